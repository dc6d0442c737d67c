"""Reading the files a mock names, `bodyFile` at request time (reference §3.7) and `validation.schemaRef`
once on first use, within the limits of issue 12 (docs/security.md "What the admin port trusts").

A file named in a config file is trusted as far as *which* file it names: the user wrote the config. One set
over the admin API is not: anyone with admin access could otherwise have the mock port serve
`/proc/self/environ` (an API key in the environment) or any other file the server can read. So a mock created
or changed over the admin API may only name files under one folder, the *body-file root*: `--body-file-root`
when given, else the first config file's folder, else the working directory. Its relative paths resolve
against that folder. The check is made on the real path (symlinks resolved) when the mock is created and
again on every read, since files can change in between.

For every mock, wherever it came from: only regular files are read (a FIFO would hold a worker thread, and
with it the shutdown, until something writes to it; `/dev/zero` never ends), and at most
`--max-body-file-bytes` of them (10 MiB by default, the request-body cap of both ports). Anything else is the
mock port's 502 `body_file_error` (a schema: the validation's `schema compilation error`) with a message that
says what was wrong.

This module is a leaf (no runtime imports), so `mockd.validation` can use it too.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # --max-body-file-bytes: the request-body cap of both ports


class BodyFileError(Exception):
    """Why a body file was not served; the message follows `failed to read bodyFile: `."""


@dataclass(frozen=True, slots=True)
class BodyFilePolicy:
    """How one route's body file is read. `root` is None for config-file mocks (no containment check)."""

    max_bytes: int
    root: str | None = None

    def check_within(self, path: str) -> None:
        if self.root is not None and not within(path, self.root):
            raise BodyFileError(f"{path} is outside the body-file root {self.root} (--body-file-root)")

    def read(self, path: str, shown: str | None = None) -> str:
        """The file's text (undecodable bytes kept via surrogateescape). Blocking: run it in a thread.
        `shown` is the name an open error reports (default: `path`)."""
        self.check_within(path)
        try:
            # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as exc:
            raise BodyFileError(f"open {shown or path}: {_reason(exc)}") from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise BodyFileError(f"{path} is not a regular file")
            if info.st_size > self.max_bytes:
                raise BodyFileError(self._too_big(path))
            # st_size can be 0 for files that still have content (/proc), so the read itself is bounded too.
            data = _read_at_most(fd, self.max_bytes + 1)
        except OSError as exc:
            raise BodyFileError(f"read {path}: {_reason(exc)}") from None
        finally:
            os.close(fd)
        if len(data) > self.max_bytes:
            raise BodyFileError(self._too_big(path))
        return data.decode("utf-8", "surrogateescape")

    def _too_big(self, path: str) -> str:
        return f"{path} is larger than {self.max_bytes} bytes (--max-body-file-bytes)"


def within(path: str, root: str) -> bool:
    """Whether `path`, symlinks resolved, is `root` or below it (`root` is already a real path)."""
    real = os.path.realpath(path)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def resolve(body_file: str, base_dir: str) -> str:
    return body_file if os.path.isabs(body_file) else os.path.join(base_dir, body_file)


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _reason(exc: OSError) -> str:
    """Go's wording for an OS error: the lower-case strerror (`no such file or directory`)."""
    return exc.strerror.lower() if exc.strerror else str(exc)
