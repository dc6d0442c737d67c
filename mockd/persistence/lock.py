"""The data dir's lock file: one server per directory, never two writers.

`flock` on `<data-dir>/mockd.lock`, taken without waiting and held for the process's life. The kernel drops
it when the process ends, however it ends (`kill -9` included), so a crashed server never leaves a stale
lock behind; the PID written into the file is only there to name the holder in the refusal.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

LOCK_NAME = "mockd.lock"


class LockHeld(Exception):
    """Another live process holds the lock; `holder` is its PID when the file names one."""

    def __init__(self, holder: int | None) -> None:
        super().__init__(holder)
        self.holder = holder


class DirLock:
    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    @classmethod
    def acquire(cls, directory: Path) -> DirLock:
        """Take the lock or raise `LockHeld`; OSError when the file cannot be opened at all."""
        path = directory / LOCK_NAME
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            raise LockHeld(holder) from None
        except OSError:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        return cls(fd, path)

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        os.close(self._fd)  # closing the descriptor drops the flock
        self._fd = None


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode().strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None
