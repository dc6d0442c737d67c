"""Generate docs/cli.md (from the typer help) and docs/errors.md (from the code), so neither can drift.

    python docs/gen_reference.py          # rewrite both pages
    python docs/gen_reference.py --check  # exit 1 if a committed page differs (run by the test suite)

The error page is read off the source with `ast`: every diagnostic the compiler can emit (slug, severity,
message template) and every error envelope the admin API can answer (status, code, message).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
COMMANDS = [
    "start",
    "compile",
    "validate",
    "schema",
    "version",
    "serve",
    "stop",
    "status",
    "add",
    "http",
    "http add",
    "http list",
    "http get",
    "http delete",
    "websocket",
    "websocket add",
    "websocket list",
    "websocket get",
    "websocket delete",
    "graphql",
    "graphql add",
    "graphql list",
    "graphql get",
    "graphql delete",
    "soap",
    "soap add",
    "soap list",
    "soap get",
    "soap delete",
    "oauth",
    "oauth add",
    "oauth list",
    "oauth get",
    "oauth delete",
    "list",
    "get",
    "update",
    "delete",
    "remove",
    "rm",
    "logs",
    "ports",
    "doctor",
    "init",
    "config",
    "config show",
    "stateful",
    "stateful add",
    "stateful list",
    "stateful reset",
    "stateful delete",
    "stateful items",
    "workspace",
    "workspace show",
    "workspace list",
    "workspace ls",
    "workspace create",
    "workspace use",
    "workspace delete",
    "workspace rm",
    "workspace remove",
    "workspace clear",
    "context",
    "context show",
    "context use",
    "context add",
    "context list",
    "context ls",
    "context remove",
    "context rm",
    "context delete",
    "health",
    "verify",
    "verify status",
    "verify check",
    "verify invocations",
    "verify reset",
    "chaos",
    "chaos enable",
    "chaos disable",
    "chaos status",
    "chaos profiles",
    "chaos apply",
    "import",
    "export",
    "convert",
    "recordings",
    "recordings sessions",
    "recordings list",
    "recordings export",
    "recordings import",
    "recordings clear",
    "recordings convert",
    "proxy",
    "proxy start",
    "proxy ca",
    "proxy ca generate",
    "proxy ca export",
    "mcp",
]


def cli_page() -> str:
    env = {**os.environ, "COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"}
    parts = [
        "# CLI reference\n",
        "Generated from `mockd <command> --help` by `docs/gen_reference.py`; do not edit by hand.\n",
    ]
    for command in COMMANDS:
        out = subprocess.run(
            [sys.executable, "-m", "mockd", *command.split(), "--help"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
        lines = [line.rstrip() for line in out.strip("\n").splitlines()]
        parts.append(f"## `mockd {command}`\n\n```\n" + "\n".join(lines) + "\n```\n")
    return "\n".join(parts)


def _placeholder(node: ast.expr) -> str:
    """A readable name for an f-string field: `<id>` for `m.id`, `<position>` for a `_where(...)` call."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        return _placeholder(node.value)
    if isinstance(node, ast.Call):
        name = _placeholder(node.func).lstrip("_")
        return "position" if name == "where" else name
    return "value"


def _text(node: ast.expr) -> str:
    """A message argument as readers see it: f-string fields become `<...>` placeholders."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                out.append(str(value.value))
            elif isinstance(value, ast.FormattedValue):
                out.append(f"<{_placeholder(value.value)}>")
        return "".join(out)
    if isinstance(node, ast.BinOp):
        return _text(node.left) + _text(node.right)
    return f"<{_placeholder(node)}>"


def _str(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def compiler_diagnostics() -> list[tuple[str, str, str]]:
    """(severity, slug, message) for every `issues.error/warning(msg, slug, ...)` and validator
    `self.error(go_field, msg, slug, where)` call in mockd/compiler."""
    found: set[tuple[str, str, str]] = set()
    for path in sorted((ROOT / "mockd" / "compiler").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in ("error", "warning") or len(node.args) < 2:
                continue
            args = node.args
            slug = _str(args[1]) if len(args) < 4 else _str(args[2])
            message = args[0] if len(args) < 4 else args[1]
            if slug and slug.replace("_", "").isalpha() and slug.islower():
                found.add((node.func.attr, slug, _text(message)))
    return sorted(found, key=lambda t: (t[0], t[1], t[2]))


def admin_errors() -> list[tuple[str, str, str]]:
    """(status, code, message) for every AdminError(...) / error_response(...) in the admin package."""
    found: set[tuple[str, str, str]] = set()
    for path in sorted((ROOT / "mockd" / "runtime" / "admin").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in ("AdminError", "RouteCollision", "error_response") or len(node.args) < 3:
                continue
            status, code, message = node.args[:3]
            if isinstance(status, ast.Constant) and _str(code):
                found.add((str(status.value), _str(code) or "", _text(message)))
    return sorted(found, key=lambda t: (t[0], t[1], t[2]))


def errors_page() -> str:
    rows = [
        "# Error reference\n",
        "Generated from the source by `docs/gen_reference.py`; do not edit by hand.",
        "`<...>` stands for a value filled in at run time.\n",
        "## Config diagnostics\n",
        "What `mockd validate`, `compile` and `start` report, one line each as",
        "`file:line:col: field.path: message`. Errors stop the command (exit 1); warnings are printed",
        "and the config loads. The messages are the Go tool's where it has one, so the admin API (which",
        "answers `validation error on <field>: <message>`) and the CLI agree. Slugs are stable.\n",
        "| Severity | Slug | Message |",
        "|---|---|---|",
    ]
    for severity, slug, message in compiler_diagnostics():
        rows.append(f"| {severity} | `{slug}` | {message.replace('|', '│')} |")
    rows += [
        "",
        "Per-field validation errors of a mock (bad method, path, regex, status code, ...) use the Go",
        "tool's messages from the reference's validation table, with the slug `validation_error` over the",
        "admin API.\n",
        "## Admin API error envelopes\n",
        'Every error reply of the admin API is `{"error": "<code>", "message": "<message>"}` with',
        "`Content-Type: application/json` (plain-text bodies only for an unknown path, 404, and a wrong",
        "method, 405, as Go's router answers).\n",
        "| Status | Code | Message |",
        "|---|---|---|",
    ]
    for status, code, message in admin_errors():
        rows.append(f"| {status} | `{code}` | {message.replace('|', '│')} |")
    return "\n".join(rows) + "\n"


def main() -> int:
    pages = {DOCS / "cli.md": cli_page(), DOCS / "errors.md": errors_page()}
    if "--check" in sys.argv:
        stale = [p.name for p, text in pages.items() if not p.exists() or p.read_text() != text]
        if stale:
            print(f"out of date: {', '.join(stale)}; run: python docs/gen_reference.py", file=sys.stderr)
            return 1
        return 0
    for path, text in pages.items():
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
