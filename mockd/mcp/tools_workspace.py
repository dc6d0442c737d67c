"""`manage_context` and `manage_workspace`: which admin server and which workspace this session's calls go
to. Switching is per session and not saved (the Go tool's rule): `mockd context use` is what persists."""

from __future__ import annotations

from typing import Any

from mockd.cli import contexts
from mockd.mcp import args as a
from mockd.mcp.args import Args
from mockd.mcp.results import Text, as_map, as_struct
from mockd.mcp.session import AdminFailure, Session, ToolError


def _context_info(name: str, ctx: dict[str, Any]) -> dict[str, Any]:
    """A context without its auth token (never shown to an agent)."""
    out = {"name": name, "adminUrl": str(ctx.get("adminUrl") or "")}
    for key in ("workspace", "description"):
        if ctx.get(key):
            out[key] = str(ctx[key])
    return out


def _context_result(session: Session) -> dict[str, Any]:
    out: dict[str, Any] = {"current": session.context_name, "adminUrl": session.admin_url}
    if session.workspace:
        out["workspace"] = session.workspace
    return out


async def _get_context(args: Args, session: Session) -> Text:
    result = _context_result(session)
    try:
        known = contexts.load()["contexts"]
    except contexts.ContextError:
        known = {}
    listed = [_context_info(n, c) for n, c in known.items() if isinstance(c, dict)]
    if not listed:
        listed = [_context_info(session.context_name, {**result, "description": "Current session"})]
    result["contexts"] = listed
    return as_struct(result)


async def _switch_context(args: Args, session: Session) -> Text:
    name = a.string(args, "name")
    if not name:
        raise ToolError("name is required")
    try:
        known = contexts.load()["contexts"]
    except contexts.ContextError as exc:
        raise ToolError(f"failed to load contexts: {exc}") from None
    ctx = known.get(name)
    if not isinstance(ctx, dict):
        raise ToolError(f"context not found: {name}")
    await session.switch(name, str(ctx.get("adminUrl") or ""), str(ctx.get("workspace") or ""))
    return as_struct(_context_result(session))


async def manage_context(args: Args, session: Session) -> Text:
    action = a.string(args, "action")
    if action == "get":
        return await _get_context(args, session)
    if action == "switch":
        return await _switch_context(args, session)
    raise ToolError(f"invalid action: {action}. Use: get, switch")


async def list_workspaces(session: Session) -> list[dict[str, Any]]:
    reply = await session.call("GET", "/workspaces", scoped=False)
    rows = reply.get("workspaces") if isinstance(reply, dict) else reply
    return [w for w in rows or [] if isinstance(w, dict)]


def base_path_hint(base: str) -> str:
    return f"Mocks are served under {base} (e.g., {base}/v1/resource)"


async def _list(args: Args, session: Session) -> Text:
    try:
        rows = await list_workspaces(session)
    except AdminFailure as exc:
        raise ToolError(f"failed to list workspaces: {exc.message}") from None
    items = []
    for ws in rows:
        item: dict[str, Any] = {"id": ws.get("id", ""), "name": ws.get("name", "")}
        for key in ("type", "description"):
            if ws.get(key):
                item[key] = ws[key]
        item |= {"basePath": ws.get("basePath", ""), "active": ws.get("id") == session.workspace}
        items.append(item)
    return as_map({"currentWorkspace": session.workspace, "workspaces": items})


async def _switch(args: Args, session: Session) -> Text:
    ws_id = a.string(args, "id")
    if not ws_id:
        raise ToolError("id is required")
    name = base = ""
    try:
        rows = await list_workspaces(session)
    except AdminFailure:
        rows = None  # the server may be down for a moment; the id may still be right (the Go tool's choice)
    if rows is not None:
        found = next((w for w in rows if w.get("id") == ws_id), None)
        if found is None:
            raise ToolError(f"workspace not found: {ws_id}")
        name, base = str(found.get("name") or ""), str(found.get("basePath") or "")
    session.workspace = ws_id
    result: dict[str, Any] = {"switched": True, "workspace": ws_id}
    if name:
        result["name"] = name
    if base:
        result |= {
            "basePath": base,
            "hint": base_path_hint(base).replace("Mocks are", "Mocks in this workspace are"),
        }
    return as_map(result)


async def _create(args: Args, session: Session) -> Text:
    name = a.string(args, "name")
    if not name:
        raise ToolError("name is required")
    ws = await session.run("create workspace", "POST", "/workspaces", json={"name": name}, scoped=False)
    result: dict[str, Any] = {"created": True, "id": ws.get("id", ""), "name": ws.get("name", "")}
    if ws.get("type"):
        result["type"] = ws["type"]
    if base := ws.get("basePath"):
        result["basePath"] = base
        result["hint"] = (
            f"Mocks in this workspace are served under the base path {base} (e.g., {base}/v1/resource). "
            "Use 'manage_workspace switch' to route subsequent MCP operations to this workspace."
        )
    return as_map(result)


async def manage_workspace(args: Args, session: Session) -> Text:
    action = a.string(args, "action")
    handler = {"list": _list, "switch": _switch, "create": _create}.get(action)
    if handler is None:
        raise ToolError(f"invalid action: {action}. Use: list, switch, create")
    return await handler(args, session)
