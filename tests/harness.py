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
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def admin(self) -> str:
        return f"http://127.0.0.1:{self.admin_port}"

    def start(self, wait: bool = True) -> MockdProcess:
        env = {**os.environ, **(self.env or {})}
        self.proc = subprocess.Popen(
            [*MOCKD, self.command, "--host", "127.0.0.1", "-p", str(self.port), "-a", str(self.admin_port),
             *self.args],
            cwd=self.cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                out, err = self.proc.communicate()
                raise RuntimeError(
                    f"mockd exited with {self.proc.returncode}:\n{out.decode()}\n{err.decode()}"
                )
            try:
                if request(self.admin + "/health", timeout=1).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("mockd did not become healthy in time")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int | None:
        """Signal this process, wait for it, kill it if it does not exit; returns its exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return self.proc.returncode

    def output(self) -> tuple[str, str]:
        """stdout and stderr of a process that has exited."""
        assert self.proc is not None
        out, err = self.proc.communicate()
        return out.decode(), err.decode()


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:  # fmt: skip
    return subprocess.run(
        [*MOCKD, *args], cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip
