"""Start `mockd start` as a subprocess on free loopback ports and stop it by PID.

Every server a test starts goes through `MockdProcess`, whose `stop()` signals, waits for and, if need be,
kills that one process handle (never anything found by name).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

MOCKD = [sys.executable, "-m", "mockd"]


def port_taken(port: int, host: str = "127.0.0.1") -> bool:
    """True when a server could not start on this port: something accepts connections on it, or it cannot be
    bound with SO_REUSEADDR (as every server binds; connections a test made leave TIME_WAIT entries)."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            return True
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def wait_for_delayed(admin_url: str, count: int, timeout: float = 15.0) -> None:
    """Wait until at least `count` responses are sleeping out their mock's delay on the server (its
    `mockd_delayed_responses_in_flight` gauge): the observable sign that those requests have arrived."""
    deadline = time.monotonic() + timeout
    value = ""
    while time.monotonic() < deadline:
        with urllib.request.urlopen(admin_url + "/metrics", timeout=5) as resp:
            for line in resp.read().decode().splitlines():
                if line.startswith("mockd_delayed_responses_in_flight "):
                    value = line.split()[1]
        if value and int(value) >= count:
            return
        time.sleep(0.01)
    raise AssertionError(f"never {count} delayed responses in flight (last seen: {value!r})")


_HANDED_OUT: set[int] = set()


def stop_process(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
    """Signal this process by its PID (never by name), wait, kill it if it does not exit; its exit code."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def free_port() -> int:
    """A loopback port nothing listens on, never one handed out before in this test run: a server an earlier
    test stopped may still hold its port for a moment (or a worker of it may), and a new server that shared
    it would have its requests answered by the old one."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


@dataclass
class HttpReply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    url: str, method: str = "GET", body: bytes | str | dict | list | None = None,
    headers: dict[str, str] | None = None, timeout: float = 10.0,
) -> HttpReply:  # fmt: skip
    """One HTTP call with the standard library, returning 4xx/5xx replies instead of raising."""
    data: bytes | None
    hdrs = dict(headers or {})
    if isinstance(body, dict | list):
        data = json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    elif isinstance(body, str):
        data = body.encode()
    else:
        data = body
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return HttpReply(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read())
    except urllib.error.HTTPError as err:
        return HttpReply(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())


@dataclass
class MockdProcess:
    args: list[str]
    port: int
    admin_port: int
    cwd: Path | None = None
    env: dict[str, str] | None = None
    command: str = "start"  # or "serve", its alias
    proc: subprocess.Popen | None = field(default=None, init=False)
    # The server's stdout and stderr go to files, never pipes: a pipe nobody drains fills up and blocks a
    # chatty server mid-test.
    _out: IO[bytes] | None = field(default=None, init=False, repr=False)
    _err: IO[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def admin(self) -> str:
        return f"http://127.0.0.1:{self.admin_port}"

    def start(self, wait: bool = True) -> MockdProcess:
        env = {**os.environ, **(self.env or {})}
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as this process object
        self._err = tempfile.TemporaryFile()  # noqa: SIM115
        self.proc = subprocess.Popen(
            [*MOCKD, self.command, "--host", "127.0.0.1", "-p", str(self.port), "-a", str(self.admin_port),
             *self.args],
            cwd=self.cwd, env=env, stdout=self._out, stderr=self._err,
        )  # fmt: skip
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Ready means this process said both its servers are up (it prints that only once both ports are
        bound) and its admin port answers: /health alone could be answered by some other process."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                out, err = self.output()
                raise RuntimeError(f"mockd exited with {self.proc.returncode}:\n{out}\n{err}")
            try:
                if self._said_ready() and request(self.admin + "/health", timeout=1).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("mockd did not become healthy in time")

    def printed(self) -> str:
        """What the running server has written to stdout so far (it keeps running)."""
        if self._out is None:
            return ""
        return os.pread(self._out.fileno(), 1 << 20, 0).decode(errors="replace")

    def _said_ready(self) -> bool:
        if self._out is None:  # a process a test started itself, with its own pipes: /health must do
            return True
        printed = os.pread(self._out.fileno(), 1 << 16, 0)
        return f"Admin API running on http://localhost:{self.admin_port}".encode() in printed

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int | None:
        """Signal this process, wait for it, kill it if it does not exit; returns its exit code."""
        if self.proc is None:
            return None
        return stop_process(self.proc, sig, timeout)

    def output(self) -> tuple[str, str]:
        """stdout and stderr of the process, once it has exited (waits for the exit)."""
        assert self.proc is not None
        assert self._out is not None
        assert self._err is not None
        self.proc.wait()
        texts = []
        for stream in (self._out, self._err):
            stream.seek(0)
            texts.append(stream.read().decode())
        return texts[0], texts[1]


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:  # fmt: skip
    return subprocess.run(
        [*MOCKD, *args], cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip
