"""`mockd start -d` (operations reference §3.3) and `mockd status` (§3.5), driven the way shell scripts do.

Each test gets its own HOME (so ~/.mockd/daemon.log is the test's) and PID file. A detached server that a
failing test leaves behind is killed by the PID its PID file names, after checking it is that server.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.harness import free_port, request, run_cli

QUICKSTART = str(EXAMPLES / "quickstart.yaml")


@dataclass
class Daemon:
    home: Path
    pid_file: Path
    port: int
    admin_port: int

    @property
    def env(self) -> dict[str, str]:
        return {"HOME": str(self.home), "MOCKD_PID_FILE": str(self.pid_file)}

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, env=self.env)

    def start(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.cli("start", "-d", "--host", "127.0.0.1", "-p", str(self.port), "-a",
                        str(self.admin_port), *args)  # fmt: skip

    def pid(self) -> int | None:
        try:
            return int(json.loads(self.pid_file.read_text())["pid"])
        except (OSError, ValueError, KeyError):
            return None


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[Daemon]:
    d = Daemon(tmp_path / "home", tmp_path / "run" / "mockd.pid", free_port(), free_port())
    d.home.mkdir()
    pids: list[int] = []
    yield d
    pid = d.pid()
    if pid is not None:
        pids.append(pid)
    for pid in pids:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"mockd" in cmdline and str(d.admin_port).encode() in cmdline:
            os.kill(pid, signal.SIGKILL)


def test_start_detached_serves_reports_and_stops(daemon: Daemon) -> None:
    r = daemon.start("--config", QUICKSTART)
    assert r.returncode == 0, r.stderr
    pid = daemon.pid()
    assert pid is not None
    assert r.stdout == (
        f"mockd started in background (PID {pid})\n"
        f"Admin API:   http://localhost:{daemon.admin_port}\n"
        f"Mock server: http://localhost:{daemon.port}\n"
        "Loaded 6 mocks\n"
    )
    # The returned command means the mocks are served: no polling needed.
    reply = request(f"http://127.0.0.1:{daemon.port}/api/hello")
    assert reply.status == 200
    assert b"Hello" in reply.body

    st = daemon.cli("status", "-p", str(daemon.port), "-a", str(daemon.admin_port))
    assert st.returncode == 0
    lines = st.stdout.splitlines()
    assert lines[0].startswith("mockd v")
    assert lines[2] == "Components:"
    assert lines[3].startswith(f"  Admin API    running  http://localhost:{daemon.admin_port}  (uptime: ")
    assert lines[4].startswith(f"  Mock Engine  running  http://localhost:{daemon.port}  (uptime: ")
    assert lines[5:] == ["", "Stats:", "  Mocks loaded:      6", "  Requests served:   0"]

    js = json.loads(daemon.cli("status", "--json").stdout)
    assert js["running"] is True
    assert js["pid"] == pid
    assert js["components"]["admin"]["url"] == f"http://localhost:{daemon.admin_port}"
    assert js["stats"] == {
        "mocksLoaded": 6,
        "requestsServed": 0,
        "requestsMatched": 0,
        "requestsUnmatched": 0,
    }

    stop = daemon.cli("stop")
    assert stop.returncode == 0, stop.stderr
    assert stop.stdout == f"Stopping mockd (PID {pid}) with SIGTERM... done\n"
    assert not daemon.pid_file.exists()
    log = (daemon.home / ".mockd" / "daemon.log").read_text()
    assert f"Admin API running on http://localhost:{daemon.admin_port}" in log
    assert "Server stopped" in log

    gone = daemon.cli("status", "-p", str(daemon.port), "-a", str(daemon.admin_port))
    assert gone.returncode == 0
    assert gone.stdout == "mockd is not running\n\nTo start: mockd serve\n"
    js = json.loads(
        daemon.cli("status", "--json", "-p", str(daemon.port), "-a", str(daemon.admin_port)).stdout
    )
    assert js == {"version": "", "uptime": "", "components": {"admin": {"status": "stopped"},
                  "engine": {"status": "stopped"}}, "running": False}  # fmt: skip


def test_detached_start_without_mocks_prints_no_loaded_line(daemon: Daemon) -> None:
    r = daemon.start("--no-auth")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == f"Mock server: http://localhost:{daemon.port}"
    assert r.stderr == ""  # --no-auth: no key to announce
    assert daemon.cli("stop").returncode == 0


def test_busy_port_makes_detached_start_fail_with_the_reason(daemon: Daemon) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", daemon.port))
        blocker.listen()
        r = daemon.start("--no-auth")
    assert r.returncode == 1
    assert r.stdout == ""
    assert f"port {daemon.port} is already in use" in r.stderr
    assert "daemon process exited immediately (exit code 1)" in r.stderr
    assert daemon.pid() is None


def test_bad_config_makes_detached_start_fail_with_the_config_error(daemon: Daemon, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: '1.0'\nmocks:\n  - id: x\n    type: http\n")
    r = daemon.start("--no-auth", "--config", str(bad))
    assert r.returncode == 1
    assert "failed to load config file: 1 error" in r.stderr
    assert "daemon process exited immediately (exit code 1)" in r.stderr


def test_status_detects_a_server_without_pid_file(daemon: Daemon) -> None:
    r = daemon.start("--no-auth", "--pid-file", "")
    assert r.returncode == 0, r.stderr
    st = daemon.cli("status", "--pid-file", str(daemon.pid_file), "-p", str(daemon.port),
                    "-a", str(daemon.admin_port))  # fmt: skip
    lines = st.stdout.splitlines()
    assert lines[0] == "mockd (detected via port)"
    assert lines[3].startswith(f"  Admin API    running  http://localhost:{daemon.admin_port}")
    assert lines[4] == f"  Mock Engine  running  http://localhost:{daemon.port}"
    assert lines[-1] == "Note: No PID file found. Server may have been started manually."
    # No PID file to stop it by: the PID `start -d` printed.
    pid = int(r.stdout.split("(PID ", 1)[1].split(")", 1)[0])
    os.kill(pid, signal.SIGTERM)


def test_a_shell_script_session_with_a_data_dir(daemon: Daemon, tmp_path: Path) -> None:
    """start -d, add, list, curl, stop, start again: the mock is back (what users' CI scripts do)."""
    data = str(tmp_path / "data")
    admin = ("--admin-url", f"http://127.0.0.1:{daemon.admin_port}")
    assert daemon.start("--no-auth", "--data-dir", data).returncode == 0
    r = daemon.cli("add", "--path", "/api/flag", "-b", '{"on":true}', *admin)
    assert r.returncode == 0, r.stderr
    mock_id = r.stdout.splitlines()[0].removeprefix("Created mock: ")
    listed = daemon.cli("list", "--json", *admin)
    assert [m["id"] for m in json.loads(listed.stdout)] == [mock_id]
    assert request(f"http://127.0.0.1:{daemon.port}/api/flag").body == b'{"on":true}'
    assert daemon.cli("stop").returncode == 0

    assert daemon.start("--no-auth", "--data-dir", data).returncode == 0
    assert request(f"http://127.0.0.1:{daemon.port}/api/flag").body == b'{"on":true}'
    r = daemon.cli("get", mock_id, "--json", *admin)
    assert json.loads(r.stdout)["http"]["matcher"] == {"method": "GET", "path": "/api/flag"}
    assert daemon.cli("stop").returncode == 0
