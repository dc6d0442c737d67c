"""`mockd workspace show|list|create|use|delete|clear` (operations reference §4.9): pick the workspace that
client commands (`add`, `list`) work in, kept in the contexts file (mockd/cli/contexts.py), and manage the
server's workspaces. Output and messages follow the Go CLI."""

from __future__ import annotations

import sys
import urllib.parse
from typing import Annotated, Any

import typer

from mockd.cli import contexts, table
from mockd.cli.client import AdminClient, AdminError
from mockd.cli.client_commands import JsonOutput, fail, print_json

workspace_app = typer.Typer(name="workspace", help="Show, pick and manage workspaces.", rich_markup_mode=None,
                            invoke_without_command=True)  # fmt: skip

OptionalUrl = Annotated[
    str | None,
    typer.Option("--admin-url", show_default=False,
                 help="Admin API base URL (default: MOCKD_ADMIN_URL, else the current context's)."),
]  # fmt: skip
WorkspaceId = Annotated[str, typer.Argument(help="The workspace's id (ws_...).", show_default=False)]


def _client(flag: str | None) -> AdminClient:
    return AdminClient.from_environment(contexts.admin_url(flag))


def _ws_path(ws_id: str) -> str:
    return "/workspaces/" + urllib.parse.quote(ws_id, safe="")


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


def _get(client: AdminClient, ws_id: str) -> dict[str, Any]:
    """The workspace, or AdminError("workspace not found: <id>") on 404."""
    try:
        reply = client.call("GET", _ws_path(ws_id))
    except AdminError as exc:
        if exc.status == 404:
            raise AdminError(f"workspace not found: {ws_id}", code="not_found", status=404) from None
        raise
    return reply if isinstance(reply, dict) else {}


@workspace_app.callback()
def main(ctx: typer.Context, as_json: JsonOutput = False) -> None:
    """Without a subcommand: `show`."""
    if ctx.invoked_subcommand is None:
        show(as_json=as_json)


@workspace_app.command("show")
def show(as_json: JsonOutput = False) -> None:
    """Show the current context's admin URL and workspace."""
    data = _load()
    ctx = contexts.current(data)
    if ctx is None:
        if as_json:
            print_json({"context": None})
        else:
            typer.echo("No current context set")
        return
    ws_id = str(ctx.get("workspace") or "")
    result: dict[str, Any] = {"adminUrl": ctx.get("adminUrl", ""), "context": data["currentContext"],
                              "workspace": ws_id}  # fmt: skip
    if ws_id:
        try:
            ws = _get(AdminClient.from_environment(str(ctx.get("adminUrl") or "")), ws_id)
            result["workspaceName"] = ws.get("name", "")
            if ws.get("description"):
                result["workspaceDescription"] = ws["description"]
            if ws.get("basePath"):
                result["basePath"] = ws["basePath"]
        except AdminError:
            pass
    if as_json:
        print_json(result)
        return
    typer.echo(f"Current context: {data['currentContext']}")
    typer.echo(f"  Admin URL: {result['adminUrl']}")
    if not ws_id:
        typer.echo("  Workspace: (default)")
        return
    typer.echo(f"  Workspace: {ws_id}")
    if "workspaceName" in result:
        typer.echo(f"    Name: {result['workspaceName']}")
    if "workspaceDescription" in result:
        typer.echo(f"    Description: {result['workspaceDescription']}")
    if "basePath" in result:
        typer.echo(f"    Base path: {result['basePath']}")
        typer.echo(f"    Mocks served under: {result['basePath']}")


@workspace_app.command("list")
def list_(admin_url: OptionalUrl = None, as_json: JsonOutput = False) -> None:
    """List the server's workspaces; * marks the one selected."""
    try:
        reply = _client(admin_url).call("GET", "/workspaces")
    except AdminError as exc:
        raise fail(exc.explain()) from None
    found = [w for w in (reply or {}).get("workspaces") or [] if isinstance(w, dict)]
    current = contexts.selected_workspace()
    if as_json:
        print_json({"currentWorkspace": current, "workspaces": found, "count": len(found)}, sort_keys=False)
        return
    if not found:
        typer.echo("No workspaces found")
        return
    rows = [["CURRENT", "ID", "NAME", "BASE PATH", "TYPE", "DESCRIPTION"]]
    for ws in found:
        ws_id = str(ws.get("id", ""))
        desc = str(ws.get("description") or "")
        desc = desc[:27] + "..." if len(desc) > 30 else desc
        rows.append(["*" if ws_id == current else "", ws_id[:17] + "..." if len(ws_id) > 20 else ws_id,
                     str(ws.get("name", "")), str(ws.get("basePath") or "/"), str(ws.get("type", "")),
                     desc or "-"])  # fmt: skip
    table.echo(rows)


workspace_app.command("ls", hidden=True, help="Alias of list.")(list_)


@workspace_app.command("create")
def create(
    name: Annotated[str, typer.Option("--name", "-n", help="Workspace name (required).")] = "",
    description: Annotated[str, typer.Option("--description", "-d", help="Workspace description.")] = "",
    kind: Annotated[str, typer.Option("--type", help="Workspace type.")] = "local",
    use: Annotated[bool, typer.Option("--use", help="Switch to this workspace after creating it.")] = False,
    admin_url: OptionalUrl = None,
    as_json: JsonOutput = False,
) -> None:
    """Create a workspace on the server (its mocks are served under /<slug of name>)."""
    if not name:
        raise fail("workspace name required (--name)")
    body: dict[str, Any] = {"name": name, "type": kind}
    if description:
        body["description"] = description
    try:
        ws = _client(admin_url).call("POST", "/workspaces", body)
    except AdminError as exc:
        raise fail(f"failed to create workspace: {exc.explain()}") from None
    if use:
        data = _load()
        ctx = contexts.current(data)
        if ctx is not None:
            ctx["workspace"] = ws["id"]
            _save(data)
    if as_json:
        print_json(ws, sort_keys=False)
        return
    typer.echo(f'Created workspace "{ws["name"]}" (ID: {ws["id"]})')
    if ws.get("basePath"):
        typer.echo(f"  Base path: {ws['basePath']}")
        base = ws["basePath"]
        typer.echo(f"  Mocks in this workspace are served under {base} (e.g., {base}/v1/resource)")
    if use:
        typer.echo(f'Switched to workspace "{ws["id"]}"')


@workspace_app.command("use")
def use(ws_id: WorkspaceId, admin_url: OptionalUrl = None, as_json: JsonOutput = False) -> None:
    """Make client commands (add, list) work in this workspace."""
    data = _load()
    ctx = contexts.current(data)
    if ctx is None:
        raise fail("no current context set; run 'mockd context add <name>' first")
    try:
        ws = _get(_client(admin_url), ws_id)
    except AdminError as exc:
        raise fail(f"failed to verify workspace: {exc.explain()}") from None
    ctx["workspace"] = ws_id
    _save(data)
    if as_json:
        print_json({"workspace": ws_id, "name": ws.get("name", "")}, sort_keys=False)
        return
    typer.echo(f'Switched to workspace "{ws_id}"')
    if ws.get("name"):
        typer.echo(f"  Name: {ws['name']}")


@workspace_app.command("delete")
def delete(
    ws_id: WorkspaceId,
    force: Annotated[bool, typer.Option("--force", "-f", help="Delete without asking.")] = False,
    admin_url: OptionalUrl = None,
    as_json: JsonOutput = False,
) -> None:
    """Delete a workspace and its mocks (asks for 'yes' unless -f)."""
    client = _client(admin_url)
    try:
        ws = _get(client, ws_id)
    except AdminError as exc:
        raise fail(f"failed to get workspace: {exc.explain()}") from None
    if not force:
        typer.echo(f'Delete workspace "{ws.get("name", "")}"?')
        typer.echo(f"  ID: {ws.get('id', ws_id)}")
        typer.echo("Type 'yes' to confirm: ", nl=False)
        if sys.stdin.readline().strip() != "yes":
            typer.echo("Aborted")
            return
    try:
        client.call("DELETE", _ws_path(ws_id))
    except AdminError as exc:
        raise fail(f"failed to delete workspace: {exc.explain()}") from None
    cleared = False
    try:
        data = contexts.load()
        ctx = contexts.current(data)
        if ctx is not None and ctx.get("workspace") == ws_id:
            ctx["workspace"] = ""
            contexts.save(data)
            cleared = True
    except contexts.ContextError:
        pass
    if as_json:
        print_json({"contextCleared": cleared, "deleted": True, "id": ws_id})
        return
    if cleared:
        typer.echo("Cleared workspace from current context")
    typer.echo(f'Deleted workspace "{ws_id}"')


workspace_app.command("rm", hidden=True, help="Alias of delete.")(delete)
workspace_app.command("remove", hidden=True, help="Alias of delete.")(delete)


@workspace_app.command("clear")
def clear() -> None:
    """Go back to the default workspace for client commands."""
    data = _load()
    ctx = contexts.current(data)
    if ctx is None:
        raise fail("no current context set")
    old = ctx.get("workspace") or ""
    if not old:
        typer.echo("No workspace was selected")
        return
    ctx["workspace"] = ""
    _save(data)
    typer.echo(f"Cleared workspace selection (was: {old})")
