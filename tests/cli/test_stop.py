"""`mockd start --pid-file` and `mockd stop` (reference §6.1, §6.4), and `mockd serve` as start's alias.

Every process here is started by the test and ends by PID: through `mockd stop` itself (the behaviour under
test), or through the harness / `kill` by PID when a test fails first.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.harness import MockdProcess, free_port, request, run_cli

QUICKSTART = str(EXAMPLES / "quickstart.yaml")


def wait_for_file(path: Path, timeout: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return json.loads(path.read_text())
        time.sleep(0.02)
    raise AssertionError(f"{path} was not written")


@pytest.fixture
def started(mockd_server: Callable[..., MockdProcess], tmp_path: Path) -> tuple[MockdProcess, Path]:
    pid_file = tmp_path / "run" / "mockd.pid"
    server = mockd_server("--config", QUICKSTART, "--pid-file", str(pid_file))
    wait_for_file(pid_file)
    return server, pid_file


@pytest.fixture
def spawn() -> Iterator[Callable[[list[str]], subprocess.Popen]]:
    """Helper processes (not mockd servers), killed by PID afterwards."""
    procs: list[subprocess.Popen] = []

    def run(args: list[str]) -> subprocess.Popen:
        proc = subprocess.Popen(args)
        procs.append(proc)
        return proc

    yield run
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_start_writes_the_go_pid_file_shape(started: tuple[MockdProcess, Path]) -> None:
    server, pid_file = started
    info = json.loads(pid_file.read_text())
    assert server.proc is not None
    assert info["pid"] == server.proc.pid
    assert info["startTime"].endswith("Z")
    del info["pid"], info["startTime"]
    assert info == {
        "version": info["version"],
        "components": {
            "admin": {"enabled": True, "port": server.admin_port, "host": "localhost"},
            "engine": {"enabled": True, "port": server.port, "host": "localhost"},
        },
        "config": {"file": QUICKSTART, "mocksLoaded": 6},
    }


def test_stop_ends_the_server_cleanly_and_removes_the_file(started: tuple[MockdProcess, Path]) -> None:
    server, pid_file = started
    assert server.proc is not None
    r = run_cli("stop", "--pid-file", str(pid_file))
    assert (r.returncode, r.stdout, r.stderr) == (
        0, f"Stopping mockd (PID {server.proc.pid}) with SIGTERM... done\n", ""
    )  # fmt: skip
    assert server.proc.wait(timeout=10) == 0
    assert not pid_file.exists()
    with pytest.raises(urllib.error.URLError, match="Connection refused"):
        request(server.admin + "/health", timeout=1)


def test_stop_force_kills(started: tuple[MockdProcess, Path]) -> None:
    server, pid_file = started
    assert server.proc is not None
    r = run_cli("stop", "--pid-file", str(pid_file), "--force", "--json")
    assert r.returncode == 0
    assert r.stdout == f'{{\n  "pid": {server.proc.pid},\n  "signal": "SIGKILL",\n  "stopped": true\n}}\n'
    assert server.proc.wait(timeout=10) == -signal.SIGKILL
    assert not pid_file.exists()


def test_stop_without_a_pid_file(tmp_path: Path) -> None:
    missing = tmp_path / "none.pid"
    r = run_cli("stop", "--pid-file", str(missing))
    assert (r.returncode, r.stdout, r.stderr) == (
        1,
        "",
        f"mockd is not running (no PID file found at {missing})\n",
    )


def test_a_pid_that_is_not_mockd_is_never_signalled(
    tmp_path: Path, spawn: Callable[[list[str]], subprocess.Popen]
) -> None:
    # PIDs are reused: a stale file may name an unrelated process, which must survive `mockd stop`.
    other = spawn(["sleep", "60"])
    pid_file = tmp_path / "mockd.pid"
    pid_file.write_text(json.dumps({"pid": other.pid}))
    r = run_cli("stop", "--pid-file", str(pid_file))
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "mockd is not running (stale PID file removed)\n")
    assert not pid_file.exists()
    time.sleep(0.2)
    assert other.poll() is None


def test_a_process_that_ignores_sigterm_times_out_then_force_works(
    tmp_path: Path, spawn: Callable[[list[str]], subprocess.Popen]
) -> None:
    # A stand-in whose command line says mockd but which ignores SIGTERM.
    code = "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print(flush=True); time.sleep(60)"
    stubborn = subprocess.Popen([sys.executable, "-c", code, "mockd"], stdout=subprocess.PIPE)
    try:
        assert stubborn.stdout is not None
        stubborn.stdout.readline()  # the handler is in place
        pid_file = tmp_path / "mockd.pid"
        pid_file.write_text(json.dumps({"pid": stubborn.pid}))
        r = run_cli("stop", "--pid-file", str(pid_file), "--timeout", "1")
        assert (r.returncode, r.stderr) == (1, "timeout waiting for process to stop\n")
        assert r.stdout == (
            f"Stopping mockd (PID {stubborn.pid}) with SIGTERM... timeout\n\n"
            "Process did not stop within 1 seconds.\nTry: mockd stop --force\n"
        )
        assert pid_file.exists()
        r = run_cli("stop", "--pid-file", str(pid_file), "-f")
        assert (r.returncode, r.stdout) == (0, f"Stopping mockd (PID {stubborn.pid}) with SIGKILL... done\n")
        assert stubborn.wait(timeout=10) == -signal.SIGKILL
    finally:
        if stubborn.poll() is None:
            stubborn.kill()
        stubborn.wait()


def test_unknown_component() -> None:
    r = run_cli("stop", "proxy")
    assert (r.returncode, r.stderr) == (1, "unknown component: proxy (valid: admin, engine)\n")


def test_a_server_leaves_a_pid_file_it_no_longer_owns(started: tuple[MockdProcess, Path]) -> None:
    # Another server took the file over (same default path): exiting must not delete the newcomer's file.
    server, pid_file = started
    taken_over = json.dumps({"pid": os.getpid()})
    pid_file.write_text(taken_over)
    assert server.stop() == 0
    assert pid_file.read_text() == taken_over


def test_an_unwritable_pid_file_is_a_warning(
    mockd_server: Callable[..., MockdProcess], tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    server = mockd_server("--config", QUICKSTART, "--pid-file", str(blocker / "mockd.pid"))
    assert request(server.url + "/api/hello").status == 200
    assert server.proc is not None
    server.proc.send_signal(signal.SIGTERM)
    _, err = server.output()  # waits for the exit
    assert server.proc.returncode == 0
    assert f"Warning: failed to write PID file: [Errno 17] File exists: '{blocker}'\n" in err


def test_serve_is_start() -> None:
    server = MockdProcess(["--config", QUICKSTART], free_port(), free_port(), command="serve")
    try:
        server.start()
        reply = request(server.url + "/api/hello")
        assert (reply.status, reply.json()) == (200, {"message": "Hello from mockd"})
    finally:
        assert server.stop() == 0
