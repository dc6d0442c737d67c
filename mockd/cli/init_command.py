"""`mockd init`: write a starter config (operations reference §4.6), with the Go tool's flags, prompts,
templates and messages.

Without `--template` or `--defaults` it asks four questions on stdout and reads the answers from stdin; an
empty answer or end of input takes the default, so `mockd init < /dev/null` works in scripts. An existing
file is never replaced without `--force`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from mockd.cli.client_commands import fail
from mockd.cli.init_templates import (
    PROJECT_HEADER,
    PROJECT_TEMPLATES,
    PROTOCOL_TEMPLATES,
    project,
    project_template,
)


def _answer(stdin: IO[str], default: str) -> str:
    """One line of input, stripped; the default when it is empty or input has ended."""
    return stdin.readline().strip() or default


def _wizard(stdin: IO[str]) -> dict[str, Any]:
    """The Go tool's four prompts. A port that is not a number keeps the default, as there."""

    def ask_port(prompt: str, default: int) -> int:
        typer.echo(f"{prompt} [{default}]: ", nl=False)
        text = _answer(stdin, str(default))
        return int(text) if text.lstrip("-").isdigit() else default

    admin_port = ask_port("Admin port", 4290)
    http_port = ask_port("Engine HTTP port", 4280)
    typer.echo("Enable HTTPS? (y/N): ", nl=False)
    https_port = None
    if _answer(stdin, "n").lower() in ("y", "yes"):
        https_port = ask_port("Engine HTTPS port", 4443)
    typer.echo("Auth type (none/api-key) [none]: ", nl=False)
    auth = _answer(stdin, "none")
    typer.echo()
    return project(admin_port=admin_port, http_port=http_port, https_port=https_port,
                   auth=auth if auth in ("none", "api-key") else "none")  # fmt: skip


def _template_list() -> str:
    width = max(len(name) for name in PROTOCOL_TEMPLATES)
    lines = ["Available templates:", ""]
    lines += [f"  {name:<{width}}  {desc}" for name, (desc, _) in PROTOCOL_TEMPLATES.items()]
    lines += ["", "Usage:", "  mockd init --template <name>", "  mockd init -t crud -o api.yaml", "", ""]
    lines += ["Built-in templates:"] + [f"  {name:<16}  {desc}" for name, desc in PROJECT_TEMPLATES.items()]
    return "\n".join(lines)


def _render(config: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(config, indent=2, ensure_ascii=False) + "\n"
    import yaml  # type: ignore[import-untyped]  # ships no type information

    return PROJECT_HEADER + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000)


def init(
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing config file.")] = False,
    output: Annotated[str, typer.Option("--output", "-o", help="Output filename.")] = "mockd.yaml",
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="Output format: yaml or json (default: inferred from filename).",
            show_default=False,
        ),
    ] = "",
    defaults: Annotated[bool, typer.Option("--defaults", help="Minimal config, no prompts.")] = False,
    interactive: Annotated[
        bool,
        typer.Option("--interactive", "-i", help="Ask questions (already the default)."),
    ] = False,
    template: Annotated[
        str,
        typer.Option(
            "--template", "-t", show_default=False, help="Use a predefined template ('list' shows them)."
        ),
    ] = "",
) -> None:
    """Create a starter mockd config file (asks four questions; EOF or empty answers take the defaults)."""
    del interactive  # accepted as in the Go tool, where the wizard is already the default
    fmt = fmt.lower() or ("json" if Path(output).suffix.lower() == ".json" else "yaml")
    if fmt not in ("yaml", "json"):
        raise fail(f"invalid format: {fmt} (must be yaml or json)")
    target = Path(output)
    if target.exists() and not force:
        raise fail(f"file already exists: {output}\n\nUse --force to overwrite")
    if template == "list":
        typer.echo(_template_list())
        return
    if template:
        protocol = PROTOCOL_TEMPLATES.get(template.lower())
        if protocol is not None:
            if fmt == "json":
                raise fail("protocol templates are YAML-only; use --format yaml or omit --format")
            text = protocol[1]
        else:
            config = project_template(template)
            if config is None:
                raise fail(f"unknown template: {template}\n\nRun 'mockd init --template list' "
                           "to see all available templates")  # fmt: skip
            text = _render(config, fmt)
    elif defaults:
        text = _render(project(), fmt)
    else:
        import sys

        typer.echo("Creating new mockd configuration...\n")
        text = _render(_wizard(sys.stdin), fmt)
    try:
        target.write_text(text)
    except OSError as exc:
        raise fail(f"failed to write file: {output}: {exc.strerror or exc}") from None
    typer.echo(f"\nWriting {output}...")
    # The Go tool says `mockd up`, which runs project configs; here `start --config` runs every template.
    typer.echo(f"Done! Run 'mockd start --config {output}' to start.")
