"""The MCP server on the official SDK's low-level `Server`: `tools/list` from `schemas.TOOLS`, `tools/call`
to `registry.HANDLERS`, over stdio (`run_stdio`) or streamable HTTP (`http_app`).

The SDK does the JSON-RPC framing, the initialize handshake and protocol-version negotiation; this module
only maps calls to handlers and every failure to an `isError` tool result, so a bad argument never becomes
a JSON-RPC error or ends the session.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from weakref import WeakKeyDictionary

import mcp_types as types
from mcp.server.lowlevel.server import NotificationOptions, Server
from mcp.shared.exceptions import MCPError

from mockd import __version__
from mockd.mcp import resources
from mockd.mcp.registry import HANDLERS
from mockd.mcp.schemas import TOOLS
from mockd.mcp.session import Session, ToolError

log = logging.getLogger("mockd.mcp")
SessionFor = Callable[[Any], Session]
# The Go tool's JSON-RPC codes for resources/read failures.
RESOURCE_NOT_FOUND = -32003
INTERNAL_ERROR = -32603


def quiet_libraries() -> None:
    """One INFO line per admin call (httpx) or MCP session (the SDK) is noise in a server's log; their
    warnings still show."""
    if not log.isEnabledFor(logging.DEBUG):
        for name in ("httpx", "mcp"):
            logging.getLogger(name).setLevel(logging.WARNING)


def _tool(defn: Any) -> types.Tool:
    annotations = types.ToolAnnotations.model_validate(defn.annotations) if defn.annotations else None
    return types.Tool(
        name=defn.name,
        description=defn.description,
        input_schema=defn.input_schema(),
        annotations=annotations,
    )


def _error(text: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], is_error=True)


async def call_tool(name: str, arguments: dict[str, Any] | None, session: Session) -> types.CallToolResult:
    """One tool call: its text result, or its failure as an `isError` result."""
    handler = HANDLERS.get(name)
    if handler is None:
        return _error(f"tool not found: {name}")
    try:
        result = await handler(dict(arguments or {}), session)
    except ToolError as exc:
        return _error(str(exc))
    except Exception as exc:  # a bug here must not end the agent's session
        log.exception("tool %s failed", name)
        return _error(f"internal error in {name}: {type(exc).__name__}: {exc}")
    return types.CallToolResult(content=[types.TextContent(type="text", text=result.text)])


def connection_of(ctx: Any) -> Any:
    """The MCP connection a request came on. The SDK makes a `ServerSession` per request and keeps the
    connection private; a mockd session (workspace, context) must last as long as the connection."""
    return getattr(ctx.session, "_connection", ctx.session)


def changes_mocks(name: str, arguments: dict[str, Any] | None) -> bool:
    """Whether a successful call changed the mock list (and so the `mock://` resource list)."""
    args = arguments or {}
    if name == "manage_mock":
        return args.get("action") in ("create", "update", "delete", "toggle")
    return name == "import_mocks" and args.get("dryRun") is not True


class _Server(Server[Any]):
    """Advertises `resources.listChanged` when it sends the notification (HTTP), as the Go tool does."""

    list_changed = False

    def create_initialization_options(
        self, notification_options: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        options = notification_options or NotificationOptions(resources_changed=self.list_changed)
        return super().create_initialization_options(options, *args, **kwargs)


def build_server(
    session_for: SessionFor, on_change: Callable[[], Awaitable[None]] | None = None
) -> Server[Any]:
    """`session_for(connection)` gives the mockd session of the MCP connection a request came on;
    `on_change` runs after a call that changed the mock list."""
    tools = [_tool(d) for d in TOOLS]

    async def on_list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def on_call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        result = await call_tool(params.name, params.arguments, session_for(connection_of(ctx)))
        if on_change is not None and not result.is_error and changes_mocks(params.name, params.arguments):
            await on_change()
        return result

    async def on_list_resources(ctx: Any, params: Any) -> types.ListResourcesResult:
        found = await resources.list_resources(session_for(connection_of(ctx)))
        listed = [types.Resource(uri=r.uri, name=r.name, description=r.description, mime_type=resources.JSON)
                  for r in found]  # fmt: skip
        return types.ListResourcesResult(resources=listed)

    async def on_read_resource(ctx: Any, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        uri = str(params.uri)
        try:
            text = await resources.read_resource(session_for(connection_of(ctx)), uri)
        except resources.ResourceMissing as exc:
            raise MCPError(RESOURCE_NOT_FOUND, "Resource not found", {"uri": exc.uri}) from None
        except resources.ResourceFailed as exc:
            raise MCPError(INTERNAL_ERROR, "Internal error", {"detail": str(exc)}) from None
        contents: list[types.TextResourceContents | types.BlobResourceContents] = [
            types.TextResourceContents(uri=uri, mime_type=resources.JSON, text=text)
        ]
        return types.ReadResourceResult(contents=contents)

    server = _Server(
        "mockd",
        version=__version__,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
        on_list_resources=on_list_resources,
        on_read_resource=on_read_resource,
    )
    server.list_changed = on_change is not None
    return server


async def run_stdio(session: Session, restart_args: list[str] | None = None) -> None:
    """Serve one client on stdin/stdout until end of input; with `restart_args`, keep the server at the
    session's first admin URL alive (`mockd.mcp.watchdog`)."""
    import anyio
    from mcp.server.stdio import stdio_server

    from mockd.mcp.drain import drained
    from mockd.mcp.watchdog import watch

    quiet_libraries()
    server = build_server(lambda _conn: session)
    try:
        async with stdio_server() as streams, anyio.create_task_group() as tasks:
            read_stream, write_stream = drained(*streams)
            if restart_args is not None:
                tasks.start_soon(watch, session.admin_url, restart_args)
            await server.run(read_stream, write_stream, server.create_initialization_options())
            tasks.cancel_scope.cancel()
    finally:
        await session.aclose()


class Connections:
    """A mockd session per MCP connection (HTTP), so a workspace switch stays in the session that made it;
    and the connections to tell when the mock list changes."""

    def __init__(self, make: Callable[[], Session]) -> None:
        self._make = make
        self._sessions: WeakKeyDictionary[Any, Session] = WeakKeyDictionary()

    def session_for(self, conn: Any) -> Session:
        found = self._sessions.get(conn)
        if found is None:
            found = self._sessions[conn] = self._make()
        return found

    async def broadcast_list_changed(self) -> None:
        """`notifications/resources/list_changed` to every connection (one that has gone is skipped)."""
        for conn in list(self._sessions.keys()):
            try:
                await conn.send_resource_list_changed()
            except Exception:  # a closed stream or session: nothing to tell
                log.debug("list_changed not delivered", exc_info=True)
