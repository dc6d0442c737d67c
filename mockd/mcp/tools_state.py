"""`manage_state` (stateful tables over `/state/resources…`) and `manage_custom_operation`
(`/state/operations…`), reference §8.3. Both are multiplexed by `action`, as in the Go tool, so an agent's
tool list stays short."""

from __future__ import annotations

from typing import Any

from mockd.mcp import args as a
from mockd.mcp.args import Args
from mockd.mcp.results import Deep, Text, as_decoded, as_map, as_struct
from mockd.mcp.session import AdminFailure, Session, ToolError

_STATE_ACTIONS = "overview, add_resource, list_items, get_item, create_item, reset, delete_resource"


def _resource(args: Args, message: str = "resource is required") -> str:
    name = a.string(args, "resource")
    if not name:
        raise ToolError(message)
    return name


def _items_path(name: str) -> str:
    return f"/state/resources/{a.seg(name)}/items"


async def _overview(args: Args, session: Session) -> Text:
    return as_struct(await session.run("get state overview", "GET", "/state"))


async def _add_resource(args: Args, session: Session) -> Text:
    name = _resource(args, "resource name is required")
    id_field = a.string(args, "id_field") or "id"
    body: dict[str, Any] = {"name": name, "idField": id_field}
    for arg, key in (
        ("id_strategy", "idStrategy"),
        ("id_prefix", "idPrefix"),
        ("parent_field", "parentField"),
    ):
        if value := a.string(args, arg):
            body[key] = value
    if max_items := a.integer(args, "max_items"):
        body["maxItems"] = max_items
    seed = args.get("seed_data")
    if isinstance(seed, list) and (rows := [row for row in seed if isinstance(row, dict)]):
        body["seedData"] = rows
    for arg in ("response", "relationships"):
        if obj := a.mapping(args, arg):
            body[arg] = obj
    try:
        await session.call("POST", "/state/resources", json=body)
    except AdminFailure as exc:
        reason = f"resource already exists: {name}" if exc.status == 409 else exc.message
        raise ToolError(f"failed to create stateful resource: {reason}") from None
    return as_map({"created": True, "resource": name, "idField": id_field})


async def _list_items(args: Args, session: Session) -> Text:
    name = _resource(args)
    params = {
        "limit": str(a.integer(args, "limit", 100)),  # the Go code's default (its schema says 50)
        "offset": str(a.integer(args, "offset", 0)),
        "sort": a.string(args, "sort", "createdAt"),
        "order": a.string(args, "order", "desc"),
    }
    try:
        reply = await session.call("GET", _items_path(name), params=params)
    except AdminFailure as exc:
        reason = f"stateful resource not found: {name}" if exc.status == 404 else exc.message
        raise ToolError(f"failed to list stateful items: {reason}") from None
    meta = reply.get("meta") or {}
    return as_struct(
        {
            "data": [Deep(row) for row in reply.get("data") or []],
            "meta": {k: meta.get(k, 0) for k in ("total", "limit", "offset", "count")},
        }
    )


async def _get_item(args: Args, session: Session) -> Text:
    name = _resource(args)
    item_id = a.string(args, "item_id") or a.string(args, "id")
    if not item_id:
        raise ToolError("item_id is required")
    try:
        item = await session.call("GET", f"{_items_path(name)}/{a.seg(item_id)}")
    except AdminFailure:
        raise ToolError(f"item not found: {item_id} in resource {name}") from None
    return as_decoded(item)


async def _create_item(args: Args, session: Session) -> Text:
    name = _resource(args)
    data = a.mapping(args, "data")
    if data is None:
        raise ToolError("data is required")
    return as_decoded(await session.run("create item", "POST", _items_path(name), json=data))


async def _reset(args: Args, session: Session) -> Text:
    name = _resource(args, "resource is required — specify which resource to reset")
    await session.run("reset", "POST", f"/state/resources/{a.seg(name)}/reset")
    return as_map({"reset": True, "resource": name, "message": "resource reset to seed data"})


async def _delete_resource(args: Args, session: Session) -> Text:
    name = _resource(args)
    await session.run("delete resource", "POST", f"/state/resources/{a.seg(name)}/unregister")
    return as_map({"deleted": True, "resource": name, "message": "resource fully unregistered"})


_STATE = {
    "overview": _overview,
    "add_resource": _add_resource,
    "list_items": _list_items,
    "get_item": _get_item,
    "create_item": _create_item,
    "reset": _reset,
    "delete_resource": _delete_resource,
}


async def manage_state(args: Args, session: Session) -> Text:
    action = a.string(args, "action")
    handler = _STATE.get(action)
    if handler is None:
        raise ToolError(f"invalid action: {action}. Use: {_STATE_ACTIONS}")
    return await handler(args, session)


async def _named(
    session: Session, what: str, method: str, name: str, suffix: str = "", body: Any = None
) -> Any:
    """A call about one operation: unreachable says so, any other failure is "operation not found"."""
    try:
        return await session.call(method, f"/state/operations/{a.seg(name)}{suffix}", json=body)
    except AdminFailure as exc:
        if exc.unreachable:
            raise ToolError(f"failed to {what}: {exc.message}") from None
        raise ToolError(f"operation not found: {name}") from None


def _need_name(args: Args, action: str) -> str:
    name = a.string(args, "name")
    if not name:
        raise ToolError(f"name is required for action={action}")
    return name


async def manage_custom_operation(args: Args, session: Session) -> Text:
    action = a.string(args, "action")
    if not action:
        raise ToolError("action is required (list, get, register, delete, execute)")
    if action == "list":
        reply = await session.run("list operations", "GET", "/state/operations")
        ops = reply.get("operations") or [] if isinstance(reply, dict) else []
        return as_map({"operations": ops, "count": len(ops)})
    if action == "get":
        return as_struct(await _named(session, "get operation", "GET", _need_name(args, action)))
    if action == "register":
        definition = a.mapping(args, "definition")
        if definition is None:
            raise ToolError("definition is required for action=register")
        await session.run("register operation", "POST", "/state/operations", json=definition)
        return as_map({"registered": True})
    if action == "delete":
        name = _need_name(args, action)
        await _named(session, "delete operation", "DELETE", name)
        return as_map({"deleted": True, "name": name})
    if action == "execute":
        name = _need_name(args, action)
        body = a.mapping(args, "input") or {}
        return as_decoded(await _named(session, "execute operation", "POST", name, "/execute", body))
    raise ToolError(f"unknown action: {action}. Use list, get, register, delete, or execute")
