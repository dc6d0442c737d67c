"""One open streamed HTTP response (SSE, chunked): writes, waits that hold no worker, and clean endings.

A stream ends early when the client disconnects, when the server shuts down (`close_all`, called by the
runtime before Granian waits for open responses) or when the mock is replaced. Waits are `asyncio` sleeps
raced against those endings, so a thousand idle streams are a thousand parked coroutines and no threads.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, Protocol


class Stoppable(Protocol):
    def stop(self) -> None: ...


_OPEN: set[Stoppable] = set()  # every open stream and WebSocket connection, for `close_all`


def opened(conn: Stoppable) -> None:
    """`conn` is open: `close_all` stops it at shutdown until `closed(conn)`."""
    _OPEN.add(conn)


def closed(conn: Stoppable) -> None:
    _OPEN.discard(conn)


class Stream:
    """A streamed response on Granian's RSGI transport. Use as `async with Stream(proto, status, headers)`."""

    __slots__ = ("_disconnect", "_stop", "_transport", "bytes_sent", "ended")

    def __init__(self, proto: Any, status: int, headers: list[tuple[str, str]]) -> None:
        self._transport = proto.response_stream(status, headers)
        self._stop = asyncio.Event()
        self.ended = False  # the client left, the server is stopping, or a write failed
        self.bytes_sent = 0

        async def disconnected() -> None:
            # A coroutine, so asyncio gets a real Task (Granian's awaitable misbehaves once cancelled).
            await proto.client_disconnect()
            self.ended = True
            self._stop.set()

        self._disconnect: asyncio.Future[None] = asyncio.ensure_future(disconnected())

    async def __aenter__(self) -> Stream:
        _OPEN.add(self)
        return self

    async def __aexit__(self, *exc: object) -> None:
        _OPEN.discard(self)
        self.ended = True
        self._disconnect.cancel()
        # Granian completes the response when its transport object is released, and its disconnect
        # awaitable ends only with the connection (the task above lives on): so drop the transport here.
        self._transport = None

    def stop(self) -> None:
        """End the stream at its next write or wait (server shutdown, mock replaced)."""
        self.ended = True
        self._stop.set()

    async def write(self, data: bytes) -> bool:
        """Send `data`; False once the stream has ended (nothing is sent then)."""
        transport = self._transport
        if self.ended or transport is None:
            return False
        try:
            await transport.send_bytes(data)
        except Exception:  # the connection is gone (Granian raises ProtocolClosed)
            self.ended = True
            return False
        self.bytes_sent += len(data)
        return True

    async def wait(self, seconds: float) -> bool:
        """Sleep `seconds` on the loop; False as soon as the stream ends instead."""
        if self.ended:
            return False
        if seconds <= 0:
            return True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)
        return not self.ended


def close_all() -> None:
    """End every open stream and socket (the server is stopping): each pump returns and its response
    completes."""
    for conn in list(_OPEN):
        conn.stop()
