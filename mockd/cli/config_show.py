"""`mockd config show`: a project config (the `mockd up` shape that `mockd init` writes) as it resolves,
with `${VAR}` and `${VAR:-default}` expanded (core §2.9), whole or one admin/engine by name.

It lets a user see what a file with environment references turns into without starting anything. Files
come from `-f` (several are merged: later entries replace earlier ones with the same name, or id for
mocks), else `MOCKD_CONFIG`, else `./mockd.yaml`, `./mockd.yml`, as the Go tool finds them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any

import typer

from mockd.cli.client_commands import JsonOutput, fail, print_json

# The Go tool's project-config syntax: only braced names, with an optional `:-default`.
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_KEYED = {"admins": "name", "engines": "name", "workspaces": "name", "mocks": "id",
          "statefulResources": "name", "customOperations": "name"}  # fmt: skip


def expand(text: str) -> str:
    """`${VAR}` -> its value, "" when unset; `${VAR:-d}` -> its value, d when unset (empty is set)."""

    def one(m: re.Match[str]) -> str:
        value = os.environ.get(m.group(1))
        return value if value is not None else (m.group(2) or "")

    return _VAR.sub(one, text)


def discover() -> Path:
    env = os.environ.get("MOCKD_CONFIG")
    if env:
        if Path(env).exists():
            return Path(env)
        raise fail(f"MOCKD_CONFIG points to non-existent file: {env}")
    for name in ("mockd.yaml", "mockd.yml"):
        if (Path.cwd() / name).exists():
            return Path.cwd() / name
    raise fail("no config found. Run 'mockd init' to create one, or specify --config")


def load(path: Path) -> dict[str, Any]:
    import yaml  # type: ignore[import-untyped]  # ships no type information

    try:
        data = yaml.safe_load(expand(path.read_text()))
    except OSError as exc:
        raise fail(f"loading {path}: reading config file: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise fail(f"loading {path}: parsing config file: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise fail(f"loading {path}: parsing config file: expected a mapping at the top level")
    return data


def merge(configs: list[dict[str, Any]]) -> dict[str, Any]:
    """Later files win: scalars replace, keyed lists replace entries with the same name (or id)."""
    result: dict[str, Any] = {"version": "1.0"}
    for cfg in configs:
        for key, value in cfg.items():
            if key in _KEYED and isinstance(value, list):
                merged = list(result.get(key) or [])
                field = _KEYED[key]
                for entry in value:
                    name = entry.get(field) if isinstance(entry, dict) else None
                    at = next((i for i, e in enumerate(merged) if name and isinstance(e, dict)
                               and e.get(field) == name), None)  # fmt: skip
                    if at is None:
                        merged.append(entry)
                    else:
                        merged[at] = entry
                result[key] = merged
            else:
                result[key] = value
    return result


def _yaml(value: Any) -> str:
    import yaml

    return str(yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=1000))


def show(
    files: Annotated[
        list[str] | None,
        typer.Option(
            "--config", "-f", help="Config file path (repeat to merge several).", show_default=False
        ),
    ] = None,
    service: Annotated[
        str, typer.Option("--service", help="Show one admin or engine by name.", show_default=False)
    ] = "",
    as_json: JsonOutput = False,
) -> None:
    """Show the resolved project config (environment variables expanded)."""
    paths = [Path(f) for f in files] if files else [discover()]
    cfg = load(paths[0]) if len(paths) == 1 else merge([load(p) for p in paths])
    where = ", ".join(str(p) for p in paths)
    if service:
        for kind in ("admin", "engine"):
            for entry in cfg.get(kind + "s") or []:
                if isinstance(entry, dict) and entry.get("name") == service:
                    if as_json:
                        print_json(entry, sort_keys=False)
                        return
                    typer.echo(f"# Resolved {kind} configuration from {where}")
                    typer.echo("# Environment variables have been expanded\n")
                    typer.echo(_yaml(entry), nl=False)
                    return
        raise fail(f"service '{service}' not found in admins or engines")
    if as_json:
        print_json(cfg, sort_keys=False)
        return
    typer.echo(f"# Resolved configuration from {where}")
    typer.echo("# Environment variables have been expanded\n")
    typer.echo(_yaml(cfg), nl=False)
