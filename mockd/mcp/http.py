"""The MCP server over streamable HTTP at `/mcp`, inside `mockd serve --mcp` (reference §8.1).

It runs beside the mock and admin ports, in the same process, on its own thread and event loop (uvicorn,
which the SDK's Starlette app is made for), so a slow agent never competes with mock traffic and uvicorn's
signal handling stays off the main thread: the server's own SIGTERM handling stops everything. The port
is bound by `bind` before the server starts, so a taken port fails start-up before anything is served.

Each MCP session gets its own mockd session (workspace, context), acting on this server's admin API over
loopback. Loopback only unless `--mcp-allow-remote`, as in the Go tool.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Awaitable, Callable
from typing import Any

DEFAULT_PORT = 9091


def bind(port: int, *, allow_remote: bool) -> socket.socket:
    """The listening socket (127.0.0.1, or every interface with `allow_remote`); `OSError` if taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("0.0.0.0" if allow_remote else "127.0.0.1", port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def background_job(
    sock: socket.socket, admin_url: str, api_key: str | None
) -> Callable[[Any], Awaitable[None]]:
    """A job for the server's background list: serves MCP on `sock` until the server stops."""
    import uvicorn
    from mcp.server.transport_security import TransportSecuritySettings

    from mockd.cli import contexts
    from mockd.mcp.server import Connections, build_server, quiet_libraries
    from mockd.mcp.session import Session

    quiet_libraries()
    workspace = contexts.selected_workspace()
    connections = Connections(lambda: Session(admin_url, "local", workspace, api_key))
    server = build_server(connections.session_for, connections.broadcast_list_changed)
    host = sock.getsockname()[0]
    # Bound to loopback, only local clients connect; remote access is what --mcp-allow-remote asks for, so
    # the SDK's Host-header (DNS rebinding) check is kept only in the loopback case.
    security = (
        None if host == "127.0.0.1" else TransportSecuritySettings(enable_dns_rebinding_protection=False)
    )
    app = server.streamable_http_app(json_response=True, host=host, transport_security=security)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
    web = uvicorn.Server(config)
    thread = threading.Thread(
        target=lambda: asyncio.run(web.serve(sockets=[sock])), name="mcp-http", daemon=True
    )

    async def job(_rt: Any) -> None:
        thread.start()
        try:
            await asyncio.Event().wait()  # until the server cancels its background jobs
        finally:
            web.should_exit = True
            thread.join(timeout=5)
            sock.close()

    return job
