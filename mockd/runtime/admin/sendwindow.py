"""How far behind a streaming client is: bytes handed to Granian minus bytes the client's TCP stack acked.

Granian's stream transport puts every chunk in an unbounded channel and `send_bytes` returns at once
(`mpsc::unbounded_channel` in its `src/rsgi/io.rs`), so awaiting it never waits for the client: a client that
reads nothing made the server hold every frame sent to it (issue 12: 5.8 GB in 25 s). Granian exposes no
count of what it still holds, so we measure the other end instead. The connection's socket is a file
descriptor of this process; `TCP_INFO` on it reports `tcpi_bytes_acked`, the bytes the client's kernel has
taken. Whatever was handed over and is not acked yet sits in Granian's channel, hyper's buffer or the
kernel's send queue, and that is what `SendWindow` keeps under `limit`: the stream's pump waits (and the
request log's queue fills and drops, see journal.Subscription) until the client catches up.

Only streams use this, and they look at the socket only when the window is full, so the mock port never pays.
Without Linux's /proc and TCP_INFO the window cannot be measured, and it then assumes the client drains
`FALLBACK_RATE` bytes a second: memory still grows under a client that never reads, but slowly.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import struct
import time

IN_FLIGHT_LIMIT = 1024 * 1024  # bytes handed to Granian and not yet acked by the client, per stream
FALLBACK_RATE = 1024 * 1024  # bytes/second assumed to drain when the socket cannot be inspected
_TCP_INFO_LEN = 232  # enough of `struct tcp_info` for tcpi_bytes_acked
_BYTES_ACKED = struct.Struct("=Q")
_BYTES_ACKED_OFFSET = 120  # offsetof(struct tcp_info, tcpi_bytes_acked), Linux >= 4.1
_POLL_FIRST = 0.01
_POLL_MAX = 0.25


class ClientGone(Exception):
    """The connection's socket is gone (closed, or its descriptor now names another connection)."""


_Ends = tuple[int, "ipaddress.IPv4Address | ipaddress.IPv6Address", int]  # local port, peer address, port


def _parse(host: str, port: object) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, int] | None:
    try:
        return ipaddress.ip_address(host.strip("[]").partition("%")[0]), int(port)  # type: ignore[call-overload]
    except ValueError:
        return None


def _scope_ends(client: str, server: str) -> _Ends | None:
    """From RSGI's `scope.client` and `scope.server` (`127.0.0.1:4290`, `[::1]:4290`). The server's address
    is the bound one (`0.0.0.0`, `[::]`), so only its port is compared."""
    peer_host, _, peer_port = client.rpartition(":")
    _, _, local_port = server.rpartition(":")
    peer = _parse(peer_host, peer_port)
    if peer is None or not local_port.isdigit():
        return None
    return int(local_port), peer[0], peer[1]


def _socket_ends(sock: socket.socket) -> _Ends | None:
    try:
        local = sock.getsockname()
        peer = sock.getpeername()
    except OSError:
        return None
    if not isinstance(local, tuple) or not isinstance(peer, tuple):
        return None  # a Unix socket
    parsed = _parse(peer[0], peer[1])
    return None if parsed is None else (local[1], parsed[0], parsed[1])


def _find_fd(ends: _Ends) -> int | None:
    """The descriptor of this process's TCP socket with these ends (Linux /proc), else None."""
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return None
    for name in fds:
        fd = int(name)
        try:
            if not os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                continue
            sock = socket.socket(fileno=fd)  # borrows the descriptor: detached below, never closed
        except OSError:
            continue
        try:
            if _socket_ends(sock) == ends:
                return fd
        finally:
            sock.detach()
    return None


class SendWindow:
    """Per stream: call `sent(n)` after handing `n` bytes to the transport; it returns once the client has
    acked enough that less than `limit` bytes are outstanding, or raises `ClientGone`."""

    def __init__(self, client: str, server: str, limit: int = IN_FLIGHT_LIMIT) -> None:
        self.limit = limit
        self._handed = 0
        self._acked = 0  # of the bytes handed, those the client has acked, as of the last look
        self._fd: int | None = None
        self._ends: _Ends | None = None
        self._base = 0  # tcpi_bytes_acked when the stream began: earlier responses on this connection
        self._clock = time.monotonic()
        ends = _scope_ends(client, server)
        if ends is not None and hasattr(socket, "TCP_INFO"):
            fd = _find_fd(ends)
            if fd is not None:
                self._fd, self._ends = fd, ends
                try:
                    self._base = self._bytes_acked()
                except ClientGone:
                    pass
                except struct.error:  # a kernel older than 4.1: no tcpi_bytes_acked
                    self._fd = self._ends = None

    @property
    def measured(self) -> bool:
        return self._fd is not None

    def _bytes_acked(self) -> int:
        assert self._fd is not None
        try:
            sock = socket.socket(fileno=self._fd)
        except OSError:
            raise ClientGone from None
        try:
            if _socket_ends(sock) != self._ends:  # closed, and the number reused by another connection
                raise ClientGone
            info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, _TCP_INFO_LEN)
        except OSError:
            raise ClientGone from None
        finally:
            sock.detach()
        return _BYTES_ACKED.unpack_from(info, _BYTES_ACKED_OFFSET)[0]

    def _refresh(self) -> None:
        if self._fd is not None:
            self._acked = self._bytes_acked() - self._base
        else:
            now = time.monotonic()
            self._acked = min(self._handed, self._acked + int((now - self._clock) * FALLBACK_RATE))
            self._clock = now

    @property
    def outstanding(self) -> int:
        return self._handed - self._acked

    async def sent(self, n: int) -> None:
        self._handed += n
        if self._handed - self._acked <= self.limit:
            return  # within the window as last measured: no system call
        delay = _POLL_FIRST
        self._refresh()
        while self._handed - self._acked > self.limit:
            await asyncio.sleep(delay)
            delay = min(delay * 2, _POLL_MAX)
            self._refresh()
