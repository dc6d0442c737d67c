"""The control channel between the owner and one worker: length-prefixed pickles over a socket pair.

Blocking calls on purpose: each side drives it from a thread of its own (the owner from its executor, the
worker from a control thread), so neither event loop needs to support socket streams (rloop does not take
every asyncio stream API). Only the owner asks; the worker only answers, so one lock per channel keeps
question and answer paired.
"""

from __future__ import annotations

import contextlib
import pickle
import socket
import struct
import threading
from typing import Any

_HEADER = struct.Struct("!I")


class ChannelClosed(EOFError):
    """The other side is gone (exited, killed, or closed its end)."""


class Channel:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._lock = threading.Lock()

    def send(self, message: Any) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.sock.sendall(_HEADER.pack(len(data)) + data)
        except OSError as exc:
            raise ChannelClosed(str(exc)) from None

    def recv(self) -> Any:
        (size,) = _HEADER.unpack(self._exact(_HEADER.size))
        return pickle.loads(self._exact(size))

    def call(self, message: Any) -> Any:
        """Send a question and wait for its answer (one exchange at a time per channel)."""
        with self._lock:
            self.send(message)
            return self.recv()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()

    def _exact(self, size: int) -> bytes:
        chunks = []
        while size:
            try:
                chunk = self.sock.recv(min(size, 1 << 20))
            except OSError as exc:
                raise ChannelClosed(str(exc)) from None
            if not chunk:
                raise ChannelClosed("end of stream")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)
