"""A real `redis-server` on a free loopback port, and mockd replicas sharing it (`--shared-state`).

The store is Debian's `redis-server`, started without persistence and stopped by its PID (never by name).
Without it these tests skip, unless `MOCKD_REQUIRE_REDIS=1` (CI sets it) makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.harness import MockdProcess, free_port, stop_process
from tests.state import configs

REDIS_SERVER = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists()
                                                else None)  # fmt: skip
THREADS = 8


@dataclass
class RedisServer:
    """One `redis-server` process; `stop` and `start` keep the port, as an outage and recovery would."""

    port: int
    proc: subprocess.Popen | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> RedisServer:
        assert REDIS_SERVER is not None
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        """SIGTERM to this PID, then wait (SIGKILL if it lingers)."""
        if self.proc is not None:
            stop_process(self.proc)


def _require_redis() -> None:
    if REDIS_SERVER is None:
        if os.environ.get("MOCKD_REQUIRE_REDIS") == "1":
            pytest.fail("redis-server is not installed and MOCKD_REQUIRE_REDIS=1")
        pytest.skip("redis-server is not installed (apt-get install redis-server); set MOCKD_REQUIRE_REDIS=1 "
                    "to fail instead of skipping")  # fmt: skip


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    _require_redis()
    server = RedisServer(free_port()).start()
    yield server
    server.stop()


def config() -> dict[str, Any]:
    """The stateful tests' current-generation config plus a static mock and a templated one."""
    return configs.with_http_mocks()


@pytest.fixture
def replicas(tmp_path: Path, redis_server: RedisServer) -> Iterator[Callable[..., MockdProcess]]:
    """`start(*args, config=True)`: a replica on free ports sharing `redis_server` (stopped afterwards)."""
    started: list[MockdProcess] = []
    path = configs.write(tmp_path, config(), "json")

    def start(*args: str, with_config: bool = True) -> MockdProcess:
        argv = ["--no-auth", "--pid-file", "", "--shared-state", redis_server.url, *args]
        if with_config:
            argv = ["--config", str(path), *argv]
        proc = MockdProcess(argv, free_port(), free_port()).start()
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()


def wait_until(check: Callable[[], bool], timeout: float = 15.0, what: str = "condition") -> None:
    """Poll an observable state (never a fixed sleep) until `check()` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")
