"""Answer everything before ending at end of input (stdio).

The SDK stops serving as soon as stdin ends, dropping the answers to requests still being handled; a
script that pipes several requests and closes stdin (`printf … | mockd mcp`) would lose the last ones,
where the Go tool answers every line before it exits. `drained` wraps the two stdio streams so that end of
input is passed on only once every request read has been answered (or after `LIMIT` seconds).
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

import anyio

LIMIT = 30.0


def _jsonrpc(item: Any) -> Any:
    message = getattr(item, "message", None)
    return getattr(message, "root", message)


class _Pending:
    def __init__(self) -> None:
        self.ids: set[Any] = set()
        self.empty = anyio.Event()
        self.empty.set()

    def add(self, request_id: Any) -> None:
        self.ids.add(request_id)
        if self.empty.is_set():
            self.empty = anyio.Event()

    def done(self, request_id: Any) -> None:
        self.ids.discard(request_id)
        if not self.ids:
            self.empty.set()


class _Reader:
    def __init__(self, inner: Any, pending: _Pending) -> None:
        self._inner = inner
        self._pending = pending

    @property
    def last_context(self) -> Any:  # the SDK reads the sender's context off the stream when there is one
        return getattr(self._inner, "last_context", None)

    async def receive(self) -> Any:
        try:
            item = await self._inner.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            with anyio.move_on_after(LIMIT):
                await self._pending.empty.wait()
            raise
        message = _jsonrpc(item)
        if getattr(message, "method", None) is not None and getattr(message, "id", None) is not None:
            self._pending.add(message.id)
        return item

    def __aiter__(self) -> _Reader:
        return self

    async def __anext__(self) -> Any:
        try:
            return await self.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            raise StopAsyncIteration from None

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def __aenter__(self) -> _Reader:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:  # fmt: skip
        await self.aclose()


class _Writer:
    def __init__(self, inner: Any, pending: _Pending) -> None:
        self._inner = inner
        self._pending = pending

    async def send(self, item: Any) -> None:
        await self._inner.send(item)
        message = _jsonrpc(item)
        if getattr(message, "method", None) is None and getattr(message, "id", None) is not None:
            self._pending.done(message.id)  # a result or an error: that request is answered

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def __aenter__(self) -> _Writer:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:  # fmt: skip
        await self.aclose()


def drained(read_stream: Any, write_stream: Any) -> tuple[Any, Any]:
    pending = _Pending()
    return _Reader(read_stream, pending), _Writer(write_stream, pending)
