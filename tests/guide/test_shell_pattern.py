"""The guide's shell pattern: `mockd start --config test-mocks.json &`, run the tests, `kill $MOCKD_PID`.

Killing that one PID must leave nothing behind: mockd is a single process serving both ports, and SIGTERM
closes both at once (reference §11.1). "At once" has a number: Jest starts the next test file's
jest.setup.js 25-100 ms after the previous file's `afterAll` killed its server, and polls /health
straight away. A server still accepting connections then answers that poll and dies under the next
file's tests. So the ports must stop accepting within a few milliseconds of the signal, as Go's
`http.Server.Shutdown` does (listeners first, then the drain).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.guide.conftest import GUIDE, PORTS, alive, port_taken, wait_healthy
from tests.harness import request

# The guide's "Start mockd Before Tests" block, with `npm test` replaced by a pause while this test plays
# the test suite, and the PID written where the test can read it.
SHELL_PATTERN = """
# Start in background
mockd start --config test-mocks.json &
MOCKD_PID=$!
echo "$MOCKD_PID" > "$PID_FILE"

# Run tests
read -r _

# Cleanup
kill $MOCKD_PID
"""


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="checks processes through Linux /proc")
def test_kill_by_pid_frees_both_ports_at_once(guide_env: dict[str, str], tmp_path: Path) -> None:
    pid_file = tmp_path / "mockd.pid"
    shell = subprocess.Popen(
        ["bash", "-c", SHELL_PATTERN], cwd=GUIDE, env={**guide_env, "PID_FILE": str(pid_file)},
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    pid = 0
    try:
        deadline = time.monotonic() + 5
        while not (pid_file.exists() and pid_file.read_text().strip()):
            assert time.monotonic() < deadline, "the shell did not start mockd"
            time.sleep(0.01)
        pid = int(pid_file.read_text())
        wait_healthy("http://127.0.0.1:4280/health")
        wait_healthy("http://127.0.0.1:4290/health")

        # "Run tests": the guide's "Reset State Between Tests" calls, against test-mocks.json's users.
        assert request("http://127.0.0.1:4280/api/users/1").json()["name"] == "Alice"
        cleared = request("http://127.0.0.1:4290/state/resources/users", method="DELETE")
        assert (cleared.status, cleared.json()) == (200, {"cleared": True})
        assert request("http://127.0.0.1:4280/api/users/1").status == 404
        reset = request("http://127.0.0.1:4290/state/resources/users/reset", method="POST")
        assert (reset.status, reset.json()) == (200, {"status": "reset", "resource": "users"})
        assert request("http://127.0.0.1:4280/api/users/1").json()["name"] == "Alice"
        assert _descendants(pid) == set(), "mockd started child processes that `kill $MOCKD_PID` would miss"

        assert shell.stdin is not None
        shell.stdin.write(b"\n")
        shell.stdin.close()
        assert shell.wait(timeout=10) == 0
        killed = time.monotonic()
        while (taken := [p for p in PORTS if port_taken(p)]) and time.monotonic() - killed < 2:
            time.sleep(0.001)
        freed_after = time.monotonic() - killed
        while alive(pid) and time.monotonic() - killed < 2:
            time.sleep(0.01)
        assert not alive(pid), f"mockd (PID {pid}) still runs 2 s after `kill $MOCKD_PID`"
        assert not taken, f"port(s) {taken} still in use 2 s after `kill $MOCKD_PID`"
        assert freed_after < 0.02, f"the ports still accepted connections {freed_after:.3f} s after the kill"
    finally:
        if shell.poll() is None:
            shell.kill()
            shell.wait()
        if pid and alive(pid):
            os.kill(pid, signal.SIGKILL)
