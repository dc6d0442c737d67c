"""Shared fixtures: servers on free loopback ports, stopped by PID after each test that starts one."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.harness import MockdProcess, free_port

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# CLI output is compared against golden text: fix the terminal width typer/rich would otherwise detect.
os.environ.setdefault("COLUMNS", "100")
os.environ.setdefault("TERM", "dumb")

# Servers started by tests write their PID file here, not in the user's ~/.mockd (tests that need their own
# pass --pid-file). Shared by every server of the run, which the PID file's rules make safe.
_PID_DIR = tempfile.mkdtemp(prefix="mockd-tests-")
atexit.register(shutil.rmtree, _PID_DIR, True)
os.environ["MOCKD_PID_FILE"] = os.path.join(_PID_DIR, "mockd.pid")


@pytest.fixture
def mockd_server() -> Iterator[Callable[..., MockdProcess]]:
    """Factory: `mockd_server("--config", path)` starts a server and guarantees it is stopped afterwards."""
    started: list[MockdProcess] = []

    def start(*args: str, wait: bool = True, env: dict[str, str] | None = None,
              cwd: Path | None = None) -> MockdProcess:  # fmt: skip
        proc = MockdProcess(list(args), free_port(), free_port(), cwd=cwd, env=env)
        started.append(proc)
        return proc.start(wait=wait)

    yield start
    for proc in started:
        proc.stop()
