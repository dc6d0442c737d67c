"""What every guide test needs: the examples folder, the guide's fixed ports, and an environment to run a
suite in that starts *our* `mockd` from PATH and finds 4280/4290 free, before and after."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.harness import port_taken as harness_port_taken
from tests.harness import request

GUIDE = EXAMPLES / "integration-testing"
PORTS = (4280, 4290)
BIN = Path(sys.executable).parent  # the virtualenv running these tests; its `mockd` is the one under test
REQUIRED = bool(os.environ.get("MOCKD_REQUIRE_EXAMPLES"))


def port_taken(port: int) -> bool:
    """Whether mockd could not start here on its default `--host` (all interfaces)."""
    return harness_port_taken(port, "0.0.0.0")


def proc_state(pid: int) -> str | None:
    """The /proc state letter of a process ("Z" for a zombie), or None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def alive(pid: int) -> bool:
    """Running: a zombie waiting for its reaper has already exited and holds no port."""
    return proc_state(pid) not in (None, "Z")


def guide_servers() -> list[int]:
    """PIDs of running `mockd start` processes whose working directory is the examples folder."""
    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            cwd = (entry / "cwd").resolve()
        except OSError:
            continue
        is_mockd = b"start" in argv and any(a.endswith(b"mockd") for a in argv)
        if is_mockd and cwd == GUIDE.resolve() and alive(int(entry.name)):
            pids.append(int(entry.name))
    return pids


def missing(message: str) -> None:
    """Skip, unless CI asked for every example (`MOCKD_REQUIRE_EXAMPLES`): then fail."""
    if REQUIRED:
        pytest.fail(message + " (MOCKD_REQUIRE_EXAMPLES is set, so no example may be skipped)")
    pytest.skip(message)


def require(*tools: str, path: str) -> None:
    absent = [t for t in tools if shutil.which(t, path=path) is None]
    if absent:
        missing(
            f"{', '.join(absent)} not on PATH: the guide's examples need Node.js 20+ with npm and Go 1.22+"
        )


@pytest.fixture
def guide_env() -> Iterator[dict[str, str]]:
    """The environment a suite runs in: this virtualenv's `bin` first on PATH, no `MOCKD_*` variable (they
    would move the ports, design D5) and no `API_BASE_URL`. Fails clearly if 4280/4290 are taken; afterwards,
    fails if the suite left a server behind or a port taken (and ends such a server by its PID)."""
    assert (BIN / "mockd").exists(), f"no mockd in {BIN}: install the package into this virtualenv"
    taken = [p for p in PORTS if port_taken(p)]
    if taken:
        pytest.fail(
            f"port(s) {taken} already in use: the guide's examples start mockd on the fixed ports 4280/4290. "
            "Stop whatever listens there (ss -ltnp | grep -E ':(4280|4290)') and run again."
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKD_") and k != "API_BASE_URL"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    yield env
    # A suite may end right after signalling its server (Jest's afterAll does not wait): give it a moment.
    deadline = time.monotonic() + 5
    while (left := guide_servers()) or (taken := [p for p in PORTS if port_taken(p)]):
        if time.monotonic() >= deadline:
            for pid in left:
                os.kill(pid, signal.SIGKILL)
            pytest.fail(f"5 s after the suite: mockd still running (PIDs {left}), ports taken {taken}")
        time.sleep(0.02)


def wait_healthy(url: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if request(url, timeout=1).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    pytest.fail(f"{url} did not answer 200 within {timeout} s")
