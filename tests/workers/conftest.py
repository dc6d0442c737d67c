"""Servers with `--workers N` for the tests of mockd/runtime/workers, and what they look at in /proc."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.harness import MockdProcess, free_port
from tests.state import configs

WORKERS = 4
THREADS = 8


def config() -> dict[str, Any]:
    """`configs.with_http_mocks()` plus a mock answering `sequence("n")`: one sequence across all workers."""
    cfg = configs.with_http_mocks()
    cfg["mocks"] += [
        {"id": "seq", "type": "http",
         "http": {"matcher": {"method": "GET", "path": "/seq"},
                  "response": {"statusCode": 200, "body": '{{sequence("n")}}'}}},
    ]  # fmt: skip
    return cfg


def launch(directory: Path, *args: str, workers: int = WORKERS) -> MockdProcess:
    path = configs.write(directory, config(), "json")
    argv = ["--config", str(path), "--no-auth", "--pid-file", "", "--workers", str(workers), *args]
    return MockdProcess(argv, free_port(), free_port()).start()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockdProcess]:
    proc = launch(tmp_path_factory.mktemp("workers"))
    yield proc
    proc.stop()


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[..., MockdProcess]]:
    """Servers of one test (stopped afterwards, if the test did not)."""
    started: list[MockdProcess] = []

    def run(*args: str, workers: int = WORKERS) -> MockdProcess:
        proc = launch(tmp_path, *args, workers=workers)
        started.append(proc)
        return proc

    yield run
    for proc in started:
        proc.stop()


def children(pid: int) -> list[int]:
    """The live children of `pid` (workers are spawned from its main thread)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split() if alive(int(p))]


def alive(pid: int) -> bool:
    """Running (a zombie has exited: it only waits to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def poll(condition: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"never {what}")


def in_threads(work: Callable[[requests.Session, int], Any], n: int = THREADS) -> list[Any]:
    """`work(session, index)` in `n` threads released together, each with its own keep-alive session."""
    barrier = threading.Barrier(n)

    def run(i: int) -> Any:
        with requests.Session() as session:
            barrier.wait()
            return work(session, i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def fresh_get(url: str) -> requests.Response:
    """A GET on a new connection: the kernel picks the worker per connection, so many of these reach all."""
    return requests.get(url, timeout=10, headers={"Connection": "close"})


def worker_pids(proc: MockdProcess) -> list[int]:
    assert proc.proc is not None
    return children(proc.proc.pid)


def errors_so_far(proc: MockdProcess) -> str:
    """What the running server has written to stderr so far."""
    assert proc._err is not None
    return os.pread(proc._err.fileno(), 1 << 20, 0).decode(errors="replace")


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])
