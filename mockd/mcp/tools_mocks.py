"""`manage_mock`: list, get, create, update, delete and toggle mocks over `/mocks` (reference §8.3).

Create sends the tool's arguments as the mock itself (minus the tool's own `action` and `extend`), enabled.
Update is the Go tool's read-merge-write: the stored mock, the new protocol objects merged into it the way
Go's JSON decoder merges into an existing struct (nested objects key by key, lists replaced) — except
`http.response`, which Go's custom decoder replaces as a whole (so `{"statusCode":201}` drops the body).
"""

from __future__ import annotations

from typing import Any

from mockd.mcp import args as a
from mockd.mcp.args import Args
from mockd.mcp.results import Text, as_map, as_struct
from mockd.mcp.session import AdminFailure, Session, ToolError

PROTOCOL_FIELDS = ("http", "websocket", "graphql", "grpc", "soap", "mqtt", "oauth")
EXTEND_ACTIONS = ("list", "get", "create", "update", "patch", "delete", "custom")
# Fields an HTTP mock cannot have next to a statefulBinding.
_RESPONSE_KINDS = ("response", "sse", "chunked")


async def manage_mock(args: Args, session: Session) -> Text:
    action = a.string(args, "action")
    handler = _ACTIONS.get(action)
    if handler is None:
        raise ToolError(f"invalid action: {action}. Use: list, get, create, update, delete, toggle")
    return await handler(args, session)


def summary_line(mock: dict[str, Any]) -> str:
    """One line saying what the mock answers: `GET /api/x`, `ws:///ws`, `grpc :50051 (svc)`, ..."""
    kind = mock.get("type", "")
    spec = mock.get(kind) if kind in PROTOCOL_FIELDS else None
    if isinstance(spec, dict):
        if kind == "http" and isinstance(spec.get("matcher"), dict):
            matcher = spec["matcher"]
            return f"{matcher.get('method') or 'ANY'} {matcher.get('path', '')}"
        if kind == "websocket":
            return "ws://" + str(spec.get("path", ""))
        if kind in ("graphql", "soap"):
            return f"{kind} {spec.get('path', '')}"
        if kind == "grpc":
            services = ", ".join(sorted(spec.get("services") or {}))
            return f"grpc :{spec.get('port', 0)} ({services})"
        if kind == "mqtt":
            topics = ", ".join(
                str(t.get("topic", "")) for t in spec.get("topics") or [] if isinstance(t, dict)
            )
            return f"mqtt :{spec.get('port', 0)} ({topics})"
        if kind == "oauth":
            return "oauth " + str(spec.get("issuer", ""))
    return str(mock.get("name") or kind)


async def _list(args: Args, session: Session) -> Text:
    kind = a.string(args, "type")
    wanted = a.optional_bool(args, "enabled")
    reply = await session.run("list mocks", "GET", "/mocks")
    out = []
    for mock in reply.get("mocks") or []:
        if kind and mock.get("type") != kind:
            continue
        enabled = mock.get("enabled") is not False
        if wanted is not None and enabled != wanted:
            continue
        row: dict[str, Any] = {"id": mock.get("id", ""), "type": mock.get("type", "")}
        if mock.get("name"):
            row["name"] = mock["name"]
        row |= {"enabled": enabled, "summary": summary_line(mock)}
        out.append(row)
    return as_struct(out)


def _need_id(args: Args) -> str:
    mock_id = a.string(args, "id")
    if not mock_id:
        raise ToolError("id is required")
    return mock_id


async def _fetch(session: Session, mock_id: str, what: str) -> dict[str, Any]:
    """The stored mock; an unreachable server says so, any other failure is "mock not found"."""
    try:
        mock: dict[str, Any] = await session.call("GET", "/mocks/" + a.seg(mock_id), scoped=False)
    except AdminFailure as exc:
        if exc.unreachable:
            raise ToolError(f"failed to {what}: {exc.message}") from None
        raise ToolError(f"mock not found: {mock_id}") from None
    return mock


async def _get(args: Args, session: Session) -> Text:
    return as_struct(await _fetch(session, _need_id(args), "get mock"))


async def _create(args: Args, session: Session) -> Text:
    kind = a.string(args, "type")
    if not kind:
        raise ToolError("type is required")
    mock = {k: v for k, v in args.items() if k not in ("action", "extend")}
    mock["type"] = kind
    mock["enabled"] = True
    if session.workspace:
        mock["workspaceId"] = session.workspace
    _apply_extend(args, mock)
    reply = await session.run("create mock", "POST", "/mocks", json=mock)
    result = {"id": reply.get("id") or (reply.get("mock") or {}).get("id", ""), "action": reply.get("action")}
    if reply.get("action") == "merged":
        result["message"] = reply.get("message", "")
    return as_map(result)


async def _update(args: Args, session: Session) -> Text:
    mock_id = _need_id(args)
    mock = await _fetch(session, mock_id, "update mock")
    if isinstance(args.get("name"), str):
        mock["name"] = args["name"]
    if isinstance(args.get("enabled"), bool):
        mock["enabled"] = args["enabled"]
    for name in PROTOCOL_FIELDS:
        if name in args:
            mock[name] = _merge_protocol(name, mock.get(name), args[name])
    _apply_extend(args, mock)
    await session.run("update mock", "PUT", "/mocks/" + a.seg(mock_id), json=mock, scoped=False)
    return as_map({"updated": True, "id": mock_id})


async def _delete(args: Args, session: Session) -> Text:
    mock_id = _need_id(args)
    await session.run("delete mock", "DELETE", "/mocks/" + a.seg(mock_id), scoped=False)
    return as_map({"deleted": True, "id": mock_id})


async def _toggle(args: Args, session: Session) -> Text:
    mock_id = _need_id(args)
    enabled = a.boolean(args, "enabled", True)  # the state to set, not a flip (the Go tool's choice)
    path = "/mocks/" + a.seg(mock_id)
    await session.run("toggle mock", "PATCH", path, json={"enabled": enabled}, scoped=False)
    return as_map({"toggled": True, "id": mock_id, "enabled": enabled})


_ACTIONS = {
    "list": _list,
    "get": _get,
    "create": _create,
    "update": _update,
    "delete": _delete,
    "toggle": _toggle,
}


def _merge_protocol(name: str, old: Any, new: Any) -> Any:
    if name == "http" and isinstance(old, dict) and isinstance(new, dict) and "response" in new:
        merged = go_merge(old, {k: v for k, v in new.items() if k != "response"})
        merged["response"] = new["response"]  # replaced whole, as Go's custom decoder does
        return merged
    return go_merge(old, new)


def go_merge(old: Any, new: Any) -> Any:
    """`json.Unmarshal(new, &old)`: objects merge key by key (recursively), anything else replaces."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return new
    out = dict(old)
    for key, value in new.items():
        out[key] = go_merge(out.get(key), value) if value is not None else None
    return {k: v for k, v in out.items() if v is not None}


def _apply_extend(args: Args, mock: dict[str, Any]) -> None:
    """`extend{table, action, operation}` ⇒ the protocol's statefulBinding (HTTP: the mock's; SOAP: every
    operation's)."""
    if "extend" not in args:
        return
    extend = args["extend"]
    if not isinstance(extend, dict):
        raise ToolError("extend must be an object with table and action")
    table, action, operation = (
        a.string(extend, "table"),
        a.string(extend, "action"),
        a.string(extend, "operation"),
    )
    if not table or not action:
        raise ToolError("extend requires both 'table' and 'action'")
    if action not in EXTEND_ACTIONS:
        raise ToolError(f"invalid extend action: {action}. Must be: {', '.join(EXTEND_ACTIONS)}")
    if action == "custom" and not operation:
        raise ToolError("extend with action 'custom' requires 'operation' name")
    binding = {"table": table, "action": action}
    if operation:
        binding["operation"] = operation
    kind = mock.get("type")
    if kind == "http":
        old = mock.get("http")
        http = {k: v for k, v in (old if isinstance(old, dict) else {}).items() if k not in _RESPONSE_KINDS}
        http["statefulBinding"] = binding
        mock["http"] = http
    elif kind == "soap":
        soap = mock.get("soap")
        operations = soap.get("operations") if isinstance(soap, dict) else None
        if not isinstance(operations, dict) or not operations:
            raise ToolError("SOAP mock must have at least one operation before adding a binding")
        for name, op in list(operations.items()):
            operations[name] = {**(op if isinstance(op, dict) else {}), "statefulBinding": binding}
    else:
        raise ToolError(f"extend bindings are supported for http and soap mocks, not {kind}")
