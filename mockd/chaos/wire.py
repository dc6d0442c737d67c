"""Faults on the wire, over Granian's RSGI protocol object: what the client really sees.

- delays are `asyncio.sleep`: a thousand held requests hold no thread;
- a slow body and a dribble are streamed (`proto.response_stream`) with sleeps between chunks;
- a partial response announces the whole body's `Content-Length`, sends the first `maxBytes` bytes and ends,
  so the connection closes short of the promised length (curl: exit 18, "transfer closed with N bytes
  remaining"; requests: `ChunkedEncodingError`/`IncompleteRead`);
- a connection reset is a TCP RST: RSGI gives an app no socket and no abort call, so `abort_connection`
  finds this request's socket among the process's descriptors by its two addresses and disconnects it with
  `connect(AF_UNSPEC)`, which makes Linux send a RST at once. Where that cannot be done (not Linux, socket not
  found) the nearest behaviour is a response head promising one byte and a close with none: the client gets
  no usable reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import random
import socket
import sys
from collections.abc import AsyncIterator
from typing import Any

from mockd.chaos.injector import Fault, Reply

Headers = list[tuple[str, str]]

WRITER_KINDS = frozenset({"slow_body", "corrupt_body", "partial_response", "chunked_dribble"})


class CaptureProto:
    """Stands in for the RSGI protocol while the mock answers, so writer faults can reshape the reply.

    The request body is read through it from the real protocol, or replayed when chaos already read it."""

    __slots__ = ("_chunks", "_proto", "_replay", "body", "headers", "status")

    def __init__(self, proto: Any, replay: bytes | None = None) -> None:
        self._proto = proto
        self._replay = replay
        self.status = 500
        self.headers: Headers = []
        self.body = b""
        self._chunks: list[bytes] | None = None

    async def __call__(self) -> bytes:
        if self._replay is not None:
            return self._replay
        return bytes(await self._proto())

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._replay is not None:
            yield self._replay
            return
        async for chunk in self._proto:
            yield bytes(chunk)

    def response_empty(self, status: int, headers: Headers) -> None:
        self.status, self.headers = status, list(headers)

    def response_bytes(self, status: int, headers: Headers, body: bytes) -> None:
        self.status, self.headers, self.body = status, list(headers), bytes(body)

    def response_str(self, status: int, headers: Headers, body: str) -> None:
        self.response_bytes(status, headers, body.encode())

    def response_file(self, status: int, headers: Headers, file: str) -> None:
        with open(file, "rb") as fh:
            self.response_bytes(status, headers, fh.read())

    def response_stream(self, status: int, headers: Headers) -> _Collector:
        self.status, self.headers = status, list(headers)
        self._chunks = []
        return _Collector(self._chunks)

    async def client_disconnect(self) -> None:
        await self._proto.client_disconnect()

    def reply(self) -> Reply:
        body = b"".join(self._chunks) if self._chunks is not None else self.body
        return self.status, self.headers, body


class ReplayProto:
    """The real RSGI protocol with a request body chaos already read, for the mock to read again (or the
    error reading it raised, such as the body cap's)."""

    __slots__ = ("_body", "_error", "_proto")

    def __init__(self, proto: Any, body: bytes, error: Exception | None = None) -> None:
        self._proto = proto
        self._body = body
        self._error = error

    async def __call__(self) -> bytes:
        if self._error is not None:
            raise self._error
        return self._body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._error is not None:
            raise self._error
        yield self._body

    def __getattr__(self, name: str) -> Any:
        return getattr(self._proto, name)


class _Collector:
    __slots__ = ("_chunks",)

    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = chunks

    async def send_bytes(self, data: bytes) -> None:
        self._chunks.append(bytes(data))

    async def send_str(self, data: str) -> None:
        self._chunks.append(data.encode())


def corrupt(body: bytes, rate: float, seed: int) -> bytes:
    """Each byte replaced by a random one with probability `rate` (its own generator, seeded by the
    injector's draw, so a seeded run corrupts the same bytes)."""
    if not body or rate <= 0:
        return body
    rng = random.Random(seed)
    out = bytearray(body)
    for i in range(len(out)):
        if rng.random() < rate:
            out[i] = rng.randrange(256)
    return bytes(out)


async def deliver(proto: Any, reply: Reply, writers: list[Fault], head_only: bool = False) -> None:
    """Send `reply` through the writer faults (in selection order: corrupt, cut, pace)."""
    status, headers, body = reply
    limit: int | None = None
    pace: tuple[int, float, float] | None = None  # (chunk size, delay between chunks, initial delay)
    for fault in writers:
        if fault.kind == "corrupt_body":
            body = corrupt(body, fault.args[0], fault.args[1])
        elif fault.kind == "partial_response":
            limit = fault.args[0] if limit is None else min(limit, fault.args[0])
        elif fault.kind == "slow_body":
            bps = fault.args[0]
            if pace is None and len(body) > bps > 0:
                pace = (bps, 1.0, 0.0)  # a chunk of `bps` bytes per second, no sleep after the last
        elif fault.kind == "chunked_dribble" and pace is None:
            size, delay, initial = fault.args
            pace = (size, delay, initial)
    if head_only or (limit is None and pace is None):
        proto.response_bytes(status, headers, body)
        return
    headers = [h for h in headers if h[0].lower() != "content-length"]
    end = len(body)
    if limit is not None and limit < len(body):
        # promise the whole body, send the head of it: the client sees the connection close short
        headers.append(("content-length", str(len(body))))
        end = limit
    transport = proto.response_stream(status, headers)
    size, delay, initial = pace if pace is not None else (end or 1, 0.0, 0.0)
    if initial > 0:
        await asyncio.sleep(initial)
    pos = 0
    while pos < end:
        chunk = body[pos : min(pos + size, end)]
        await transport.send_bytes(chunk)
        pos += len(chunk)
        if pos < end and delay > 0:
            # slow_body: chunk/bps seconds between chunks (the Go writer's pacing)
            await asyncio.sleep(delay * len(chunk) / size)


_LIBC: Any = None


def _libc() -> Any:
    global _LIBC
    if _LIBC is None:
        _LIBC = ctypes.CDLL(None, use_errno=True)
    return _LIBC


def _split(addr: str) -> tuple[str, int] | None:
    host, _, port = str(addr).rpartition(":")
    try:
        return host.strip("[]"), int(port)
    except ValueError:
        return None


def abort_connection(scope: Any) -> bool:
    """Reset this request's TCP connection (a RST on the wire). False when it cannot be done here."""
    if not sys.platform.startswith("linux"):
        return False
    peer, local = _split(scope.client), _split(scope.server)
    if peer is None or local is None:
        return False
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return False
    for name in names:
        try:
            if not os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                continue
            sock = socket.socket(fileno=os.dup(int(name)))
        except (OSError, ValueError):
            continue
        try:
            try:
                if sock.type != socket.SOCK_STREAM or sock.family not in (socket.AF_INET, socket.AF_INET6):
                    continue
                got_peer, got_local = sock.getpeername(), sock.getsockname()
            except OSError:
                continue
            if got_peer[1] == peer[1] and got_local[1] == local[1] and _same_host(got_peer[0], peer[0]):
                unspec = (ctypes.c_ubyte * 16)()  # struct sockaddr with sa_family = AF_UNSPEC (0)
                return _libc().connect(sock.fileno(), unspec, 16) == 0
        finally:
            sock.close()  # our duplicate only; the server's descriptor stays open
    return False


def _same_host(a: str, b: str) -> bool:
    return a == b or a.removeprefix("::ffff:") == b.removeprefix("::ffff:")


def reset(scope: Any, proto: Any) -> None:
    """`connection_reset`: a TCP RST, or the nearest we can do (module docstring)."""
    try:
        aborted = abort_connection(scope)
    except Exception:  # never let the reset itself fail the request
        aborted = False
    if aborted:
        with contextlib.suppress(Exception):  # the connection is gone; Granian just drops this reply
            proto.response_empty(200, [])
        return
    with contextlib.suppress(Exception):
        proto.response_stream(200, [("content-length", "1")])
