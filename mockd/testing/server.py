"""`MockdServer`: one `mockd start` subprocess on free loopback ports, for test suites.

Ready means the process printed that both ports listen *and* its admin `/health` answers (a `/health` alone
could come from some other process that grabbed the port). A process that exits before that raises
`MockdStartError` with its exit code and what it printed: for a bad config, the positioned errors
(`mocks.yaml:4:5: mocks[0].http...`), at once rather than after a timeout. It is stopped through its own
process handle (its PID), never by name.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import httpx

from mockd.client import MockdClient

READY_TIMEOUT = 30.0
# A free port can be taken by another process between our probe and mockd's bind (xdist workers start
# servers at the same moment): such a start is retried on fresh ports this many times.
PORT_RETRIES = 3


class MockdStartError(RuntimeError):
    """mockd did not come up: its exit code (None if it hung) and the tail of what it printed."""

    def __init__(self, message: str, *, returncode: int | None, output: str) -> None:
        super().__init__(message)
        self.returncode = returncode
        self.output = output


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class MockdServer:
    """A mockd process: `url` (mock port), `admin_url`, `client()`; `start()` and `stop()`."""

    def __init__(
        self,
        configs: Sequence[str | os.PathLike[str]] = (),
        *,
        extra_args: Sequence[str] = (),
        cwd: str | os.PathLike[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.configs = [Path(c) for c in configs]
        self.extra_args = list(extra_args)
        self.cwd = cwd
        self.env = env
        # Loopback callers need no key; a fixed key per server still lets a container or proxy reach it.
        self.api_key = "mk_" + secrets.token_hex(16)
        self.port = 0
        self.admin_port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.admin_port}"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def client(self) -> MockdClient:
        return MockdClient(self.admin_url, api_key=self.api_key)

    def start(self, timeout: float = READY_TIMEOUT) -> MockdServer:
        for attempt in range(PORT_RETRIES + 1):
            try:
                self._launch(timeout)
                return self
            except MockdStartError as err:
                if attempt == PORT_RETRIES or "already in use" not in err.output:
                    raise
        raise AssertionError("unreachable")

    def _launch(self, timeout: float) -> None:
        self.port, self.admin_port = free_port(), free_port()
        while self.admin_port == self.port:
            self.admin_port = free_port()
        args = [sys.executable, "-m", "mockd", "start", "--host", "127.0.0.1", "-p", str(self.port),
                "-a", str(self.admin_port), "--pid-file", "", "--api-key", self.api_key]  # fmt: skip
        for config in self.configs:
            args += ["--config", str(config)]
        # One file for stdout and stderr, never a pipe: a pipe nobody drains blocks a chatty server.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as this server
        self.proc = subprocess.Popen(
            [*args, *self.extra_args], cwd=self.cwd, env={**os.environ, **(self.env or {})},
            stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        assert self.proc is not None
        banner = f"Admin API running on http://localhost:{self.admin_port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                out = self.output()
                raise MockdStartError(
                    f"mockd exited with code {self.proc.returncode} before it was ready:\n{out.rstrip()}",
                    returncode=self.proc.returncode,
                    output=out,
                )
            if banner in self.output() and self._healthy():
                return
            time.sleep(0.05)
        out = self.output()
        self.stop()
        raise MockdStartError(
            f"mockd was not ready after {timeout:g}s:\n{out.rstrip()}", returncode=None, output=out
        )

    def _healthy(self) -> bool:
        try:
            return httpx.get(self.admin_url + "/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def output(self) -> str:
        """Everything the server printed so far (stdout and stderr together)."""
        if self._log is None:
            return ""
        return os.pread(self._log.fileno(), 1 << 22, 0).decode(errors="replace")

    def tail(self, lines: int = 20) -> str:
        return "\n".join(self.output().splitlines()[-lines:])

    def returncode(self) -> int | None:
        """None while the server runs; its exit code once it has exited."""
        return self.proc.poll() if self.proc is not None else None

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM this process, wait, SIGKILL if it hangs; returns its exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def __enter__(self) -> MockdServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
