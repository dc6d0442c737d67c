"""SSE connections over the admin API (protocols-reference §1.9): list, get, close, per-mock list and close,
totals, and the Go tool's 501 for the event buffer.

Reads the SSE module's connection table only if that module was ever imported, so the admin API never loads
a protocol by itself.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

from mockd.gocompat.timefmt import rfc3339_nano_local
from mockd.runtime.admin.http import AdminError, AdminRequest, Response, reply
from mockd.runtime.admin.models import OMIT, GoModel
from mockd.runtime.admin.verify import existing
from mockd.runtime.admin.websocket import ConnectionClosed, ConnectionsClosed

if TYPE_CHECKING:
    from mockd.runtime.admin.router import Handler, Router
    from mockd.runtime.world import Runtime

_MODULE = "mockd.protocols.sse"


class SSEConnection(GoModel):
    id: str
    mockId: str
    path: str
    clientIp: str
    userAgent: Annotated[str, OMIT] = ""
    connectedAt: str
    eventsSent: int
    bytesSent: int
    status: str = "active"


class SSEStats(GoModel):
    totalConnections: int
    activeConnections: int
    totalEventsSent: int
    totalBytesSent: int
    connectionErrors: int = 0
    connectionsByMock: dict[str, int]


class SSEConnectionList(GoModel):
    connections: list[SSEConnection]
    stats: SSEStats


class MockSSEConnections(GoModel):
    """A Go map: keys sorted."""

    connections: list[SSEConnection]
    count: int
    mockId: str


def _connections() -> dict[str, Any]:
    module = sys.modules.get(_MODULE)
    return module.CONNECTIONS if module is not None else {}


def _view(info: Any) -> SSEConnection:
    return SSEConnection(
        id=info.id,
        mockId=info.mock_id,
        path=info.path,
        clientIp=info.client_ip,
        userAgent=info.user_agent,
        connectedAt=rfc3339_nano_local(info.connected_at),
        eventsSent=info.events_sent,
        bytesSent=info.stream.bytes_sent,
    )


def _stats() -> SSEStats:
    module = sys.modules.get(_MODULE)
    infos = list(_connections().values())
    by_mock: dict[str, int] = {}
    for i in infos:
        by_mock[i.mock_id] = by_mock.get(i.mock_id, 0) + 1
    return SSEStats(
        totalConnections=module.Stats.total_connections if module else 0,
        activeConnections=len(infos),
        totalEventsSent=module.Stats.events_sent if module else 0,
        # bytes of ended streams plus what the open ones have sent so far
        totalBytesSent=(module.Stats.bytes_sent if module else 0) + sum(i.stream.bytes_sent for i in infos),
        connectionsByMock=dict(sorted(by_mock.items())),
    )


def _found(req: AdminRequest) -> Any:
    info = _connections().get(req.params["id"])
    if info is None:
        raise AdminError(404, "not_found", "Connection not found")
    return info


async def list_connections(req: AdminRequest) -> Response:
    views = [_view(i) for i in _connections().values()]
    return reply(SSEConnectionList(connections=views, stats=_stats()))


async def get_connection(req: AdminRequest) -> Response:
    return reply(_view(_found(req)))


async def close_connection(req: AdminRequest) -> Response:
    info = _found(req)
    info.stream.stop()
    return reply(ConnectionClosed(connection=info.id))


async def stats(req: AdminRequest) -> Response:
    return reply(_stats())


async def mock_connections(req: AdminRequest) -> Response:
    mock_id = existing(req)
    views = [_view(i) for i in _connections().values() if i.mock_id == mock_id]
    return reply(MockSSEConnections(connections=views, count=len(views), mockId=mock_id))


async def close_mock_connections(req: AdminRequest) -> Response:
    mock_id = existing(req)
    mine = [i for i in _connections().values() if i.mock_id == mock_id]
    for i in mine:
        i.stream.stop()
    return reply(ConnectionsClosed(closed=len(mine), mockId=mock_id))


async def buffer(req: AdminRequest) -> Response:
    raise AdminError(501, "not_implemented", "SSE buffer access requires direct engine access - coming soon")


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/sse/connections", list_connections),
    ("GET", "/sse/connections/{id}", get_connection),
    ("DELETE", "/sse/connections/{id}", close_connection),
    ("GET", "/sse/stats", stats),
    ("GET", "/mocks/{id}/sse/connections", mock_connections),
    ("DELETE", "/mocks/{id}/sse/connections", close_mock_connections),
    ("GET", "/mocks/{id}/sse/buffer", buffer),
    ("DELETE", "/mocks/{id}/sse/buffer", buffer),
]


def register(router: Router, rt: Runtime) -> None:
    for method, pattern, handler in ROUTES:
        router.add(method, pattern, handler)
