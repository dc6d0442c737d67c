"""`mockd context show|use|add|list|remove` (the Go CLI's `pkg/cli/context.go`): named pairs of admin URL
and workspace (plus an optional auth token) in the contexts file (mockd/cli/contexts.py), and which one
client commands use. Output, messages and JSON shapes follow the Go CLI; a token is never printed, only
`hasToken`.
"""

from __future__ import annotations

import os
import sys
import urllib.parse
from typing import Annotated, Any

import typer

from mockd.cli import contexts, table
from mockd.cli.client_commands import JsonOutput, fail, print_json

context_app = typer.Typer(name="context", help="Manage contexts (admin server + workspace pairs).",
                          rich_markup_mode=None, invoke_without_command=True)  # fmt: skip

Name = Annotated[str, typer.Argument(help="The context's name.", show_default=False)]
OptionalName = Annotated[str, typer.Argument(help="The context's name.", show_default=False)]


def _load() -> dict[str, Any]:
    try:
        return contexts.load()
    except contexts.ContextError as exc:
        raise fail(str(exc)) from None


def _save(data: dict[str, Any]) -> None:
    try:
        contexts.save(data)
    except contexts.ContextError as exc:
        raise fail(str(exc)) from None


def _public(ctx: dict[str, Any]) -> dict[str, Any]:
    """Go's `contextForJSON`: the token replaced by `hasToken`, empty fields left out, in struct order."""
    out: dict[str, Any] = {"adminUrl": ctx.get("adminUrl") or ""}
    for key in ("workspace", "description"):
        if ctx.get(key):
            out[key] = ctx[key]
    if ctx.get("authToken"):
        out["hasToken"] = True
    if ctx.get("tlsInsecure"):
        out["tlsInsecure"] = True
    return out


@context_app.callback()
def main(ctx: typer.Context, as_json: JsonOutput = False) -> None:
    """Without a subcommand: `show`."""
    if ctx.invoked_subcommand is None:
        show(as_json=as_json)


@context_app.command("show")
def show(as_json: JsonOutput = False) -> None:
    """Show the current context (MOCKD_CONTEXT overrides the file's choice)."""
    data = _load()
    env_name = os.environ.get("MOCKD_CONTEXT") or ""
    name = env_name or str(data.get("currentContext") or "")
    found = data["contexts"].get(name)
    if not isinstance(found, dict):
        if env_name:
            raise fail(f'context "{env_name}" (from MOCKD_CONTEXT) not found')
        if as_json:
            print_json({"context": None})
        else:
            typer.echo("No current context set")
            typer.echo("\nRun 'mockd context add <name>' to create a context")
        return
    env_ws = os.environ.get("MOCKD_WORKSPACE") or ""
    if as_json:
        result: dict[str, Any] = {"context": _public(found), "envOverride": bool(env_name), "name": name}
        if env_ws:
            result["workspaceOverride"] = env_ws
        print_json(result, sort_keys=False)  # a Go map: keys sorted (as written here)
        return
    typer.echo(f"Current context: {name}" + ("  (from MOCKD_CONTEXT)" if env_name else ""))
    typer.echo(f"  Admin URL:  {found.get('adminUrl') or ''}")
    if env_ws:
        typer.echo(f"  Workspace:  {env_ws}  (from MOCKD_WORKSPACE)")
    elif found.get("workspace"):
        typer.echo(f"  Workspace:  {found['workspace']}")
    if found.get("description"):
        typer.echo(f"  Description: {found['description']}")
    typer.echo("\nRun 'mockd context list' to see all contexts")


@context_app.command("use")
def use(name: Name, as_json: JsonOutput = False) -> None:
    """Switch to another context."""
    data = _load()
    found = data["contexts"].get(name)
    if not isinstance(found, dict):
        available = ", ".join(sorted(data["contexts"]))
        raise fail(f"context not found: {name}\n\nAvailable contexts: {available}")
    data["currentContext"] = name
    _save(data)
    if as_json:
        print_json({"context": _public(found), "name": name, "switched": True}, sort_keys=False)
        return
    typer.echo(f'Switched to context "{name}"')
    typer.echo(f"  Admin URL: {found.get('adminUrl') or ''}")
    if found.get("workspace"):
        typer.echo(f"  Workspace: {found['workspace']}")


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise fail("invalid admin URL: must start with http:// or https://")
    if not parts.netloc:
        raise fail("invalid admin URL: missing host")
    if "@" in parts.netloc:
        raise fail("invalid admin URL: embedded credentials (user:pass@host) are not allowed; use --token "
                   "for authentication")  # fmt: skip


@context_app.command("add")
def add(
    name: OptionalName = "",
    admin_url: Annotated[str, typer.Option("--admin-url", "-u", help="Admin API URL.")] = "",
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Default workspace of it.")] = "",
    description: Annotated[str, typer.Option("--description", "-d", help="Description of it.")] = "",
    token: Annotated[str, typer.Option("--token", "-t", help="Auth token, sent as the admin API key.")] = "",
    tls_insecure: Annotated[bool, typer.Option("--tls-insecure", help="Skip TLS checks.")] = False,
    use_it: Annotated[bool, typer.Option("--use", help="Switch to this context after adding.")] = False,
    as_json: JsonOutput = False,
) -> None:
    """Add a context (asks for the admin URL when -u is not given)."""
    if not name:
        raise fail("context name cannot be empty")
    if len(name) > 64:
        raise fail("context name cannot exceed 64 characters")
    if any(c in name for c in " \t\n/\\"):
        raise fail("context name cannot contain whitespace or path separators")
    if not admin_url:
        typer.echo(f'Adding context "{name}"')
        typer.echo("Admin URL (e.g., http://localhost:4290): ", nl=False)
        admin_url = sys.stdin.readline().strip()
        if not admin_url:
            raise fail("admin URL is required")
    _check_url(admin_url)
    data = _load()
    if name in data["contexts"]:
        raise fail(f"context already exists: {name}")
    ctx: dict[str, Any] = {"adminUrl": admin_url}
    for key, value in (("workspace", workspace), ("description", description), ("authToken", token)):
        if value:
            ctx[key] = value
    if tls_insecure:
        ctx["tlsInsecure"] = True
    data["contexts"][name] = ctx
    if use_it:
        data["currentContext"] = name
    _save(data)
    if as_json:
        print_json({"name": name, "context": _public(ctx), "current": data.get("currentContext") == name},
                   sort_keys=False)  # fmt: skip
        return
    typer.echo(f'Added context "{name}"')
    if use_it:
        typer.echo(f'Switched to context "{name}"')


@context_app.command("list")
def list_(as_json: JsonOutput = False) -> None:
    """List the contexts; * marks the current one."""
    data = _load()
    found = {n: c for n, c in data["contexts"].items() if isinstance(c, dict)}
    current = str(data.get("currentContext") or "")
    if as_json:
        print_json({"currentContext": current, "contexts": {n: _public(found[n]) for n in sorted(found)}},
                   sort_keys=False)  # fmt: skip
        return
    if not found:
        typer.echo("No contexts configured")
        typer.echo("\nRun 'mockd context add <name>' to create a context")
        return
    rows = [["CURRENT", "NAME", "ADMIN URL", "WORKSPACE", "DESCRIPTION"]]
    for n in sorted(found):
        ctx = found[n]
        url = str(ctx.get("adminUrl") or "")
        desc = str(ctx.get("description") or "")
        desc = desc[:27] + "..." if len(desc) > 30 else desc
        url = url[:32] + "..." if len(url) > 35 else url
        ws = str(ctx.get("workspace") or "") or "-"
        rows.append(["*" if n == current else "", n, url, ws, desc or "-"])
    table.echo(rows)


context_app.command("ls", hidden=True, help="Alias of list.")(list_)


@context_app.command("remove")
def remove(
    name: Name,
    force: Annotated[bool, typer.Option("--force", "-f", help="Force removal without confirmation.")] = False,
    as_json: JsonOutput = False,
) -> None:
    """Remove a context (asks for 'yes' unless -f; the current one cannot be removed)."""
    data = _load()
    found = data["contexts"].get(name)
    if not isinstance(found, dict):
        raise fail(f"context not found: {name}")
    if not force:
        typer.echo(f'Remove context "{name}"?')
        typer.echo(f"  Admin URL: {found.get('adminUrl') or ''}")
        if found.get("workspace"):
            typer.echo(f"  Workspace: {found['workspace']}")
        typer.echo("Type 'yes' to confirm: ", nl=False)
        if sys.stdin.readline().strip() != "yes":
            typer.echo("Aborted")
            return
    if data.get("currentContext") == name:
        raise fail("cannot remove current context; switch to another context first")
    del data["contexts"][name]
    _save(data)
    if as_json:
        print_json({"name": name, "removed": True})
        return
    typer.echo(f'Removed context "{name}"')


context_app.command("rm", hidden=True, help="Alias of remove.")(remove)
context_app.command("delete", hidden=True, help="Alias of remove.")(remove)
