"""WebSocket connections over the admin API (mockd-reference §9.3, protocols-reference §2.6): list, get,
close, send to one, per-mock list and close, and totals.

Reads the WebSocket module's connection table only if that module was ever imported (a mock set without
WebSocket mocks has no connections), so the admin API never loads a protocol by itself.
"""

from __future__ import annotations

import base64
import binascii
import sys
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict

from mockd.gocompat.timefmt import rfc3339_nano_local
from mockd.runtime.admin.http import AdminError, AdminRequest, Response, decode_model, reply
from mockd.runtime.admin.models import OMIT, GoModel
from mockd.runtime.admin.verify import existing

if TYPE_CHECKING:
    from mockd.runtime.admin.router import Handler, Router
    from mockd.runtime.world import Runtime

_SESSION = "mockd.protocols.websocket.session"


class WebSocketConnection(GoModel):
    """Go `WebSocketConnection`. Unlike the Go tool (which never fills it), `mockId` names the mock."""

    id: str
    mockId: Annotated[str, OMIT] = ""
    path: str
    connectedAt: str
    messagesSent: int
    messagesRecv: int
    status: str = "connected"


class WebSocketStats(GoModel):
    totalConnections: int
    activeConnections: int
    totalMessagesSent: int
    totalMessagesRecv: int
    connectionsByMock: dict[str, int]


class ConnectionList(GoModel):
    connections: list[WebSocketConnection]
    stats: WebSocketStats


class MockConnections(GoModel):
    """`GET /mocks/{id}/websocket/connections` (a Go map: keys sorted)."""

    connections: list[WebSocketConnection]
    count: int
    mockId: str


class ConnectionClosed(GoModel):
    """A Go map: keys sorted."""

    connection: str
    message: str = "Connection closed"


class ConnectionsClosed(GoModel):
    closed: int
    message: str = "Connections closed"
    mockId: str


class MessageSent(GoModel):
    connection: str
    message: str = "Message sent"
    type: str


class SendRequest(BaseModel):
    """Body of `POST /websocket/connections/{id}/send`: `type` text (default) or binary (base64 `data`)."""

    model_config = ConfigDict(extra="ignore", strict=True)
    type: str = ""
    data: str = ""


def _connections() -> dict[str, Any]:
    session = sys.modules.get(_SESSION)
    return session.CONNECTIONS if session is not None else {}


def _view(conn: Any) -> WebSocketConnection:
    return WebSocketConnection(
        id=conn.id,
        mockId=conn.mock.env.mock_id,
        path=conn.mock.endpoint.path,
        connectedAt=rfc3339_nano_local(conn.connected_at),
        messagesSent=conn.sent,
        messagesRecv=conn.received,
    )


def _stats() -> WebSocketStats:
    session = sys.modules.get(_SESSION)
    conns = list(_connections().values())
    by_mock: dict[str, int] = {}
    for c in conns:
        by_mock[c.mock.env.mock_id] = by_mock.get(c.mock.env.mock_id, 0) + 1
    return WebSocketStats(
        totalConnections=session.Stats.total_connections if session else 0,
        activeConnections=len(conns),
        totalMessagesSent=session.Stats.messages_sent if session else 0,
        totalMessagesRecv=session.Stats.messages_received if session else 0,
        connectionsByMock=dict(sorted(by_mock.items())),
    )


def _found(req: AdminRequest) -> Any:
    conn = _connections().get(req.params["id"])
    if conn is None:
        raise AdminError(404, "not_found", "Connection not found")
    return conn


async def list_connections(req: AdminRequest) -> Response:
    views = [_view(c) for c in _connections().values()]
    return reply(ConnectionList(connections=views, stats=_stats()))


async def get_connection(req: AdminRequest) -> Response:
    return reply(_view(_found(req)))


async def close_connection(req: AdminRequest) -> Response:
    conn = _found(req)
    conn.stop()
    return reply(ConnectionClosed(connection=conn.id))


async def send(req: AdminRequest) -> Response:
    conn = _found(req)
    body = decode_model(SendRequest, req.json() if req.body else {})
    kind = body.type or "text"
    if kind not in ("text", "binary"):
        raise AdminError(400, "invalid_type", 'Type must be "text" or "binary"')
    frame: str | bytes = body.data
    if kind == "binary":
        try:
            frame = base64.b64decode(body.data, validate=True)
        except (binascii.Error, ValueError):
            raise AdminError(400, "invalid_data", "Data must be base64 for binary messages") from None
    await conn.send(frame)
    return reply(MessageSent(connection=conn.id, type=kind))


async def stats(req: AdminRequest) -> Response:
    return reply(_stats())


async def mock_connections(req: AdminRequest) -> Response:
    mock_id = existing(req)
    views = [_view(c) for c in _connections().values() if c.mock.env.mock_id == mock_id]
    return reply(MockConnections(connections=views, count=len(views), mockId=mock_id))


async def close_mock_connections(req: AdminRequest) -> Response:
    mock_id = existing(req)
    mine = [c for c in _connections().values() if c.mock.env.mock_id == mock_id]
    for c in mine:
        c.stop()
    return reply(ConnectionsClosed(closed=len(mine), mockId=mock_id))


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/websocket/connections", list_connections),
    ("GET", "/websocket/connections/{id}", get_connection),
    ("DELETE", "/websocket/connections/{id}", close_connection),
    ("POST", "/websocket/connections/{id}/send", send),
    ("GET", "/websocket/stats", stats),
    ("GET", "/mocks/{id}/websocket/connections", mock_connections),
    ("DELETE", "/mocks/{id}/websocket/connections", close_mock_connections),
]


def register(router: Router, rt: Runtime) -> None:
    for method, pattern, handler in ROUTES:
        router.add(method, pattern, handler)
