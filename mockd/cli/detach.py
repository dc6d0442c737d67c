"""`mockd start -d`: run the same command again as a background server and return once it serves.

As the Go tool (operations reference §3.3): the child gets the same arguments plus `MOCKD_CHILD=1`, its
stdin is /dev/null and its stdout and stderr go to `~/.mockd/daemon.log` (truncated on each start), and the
parent prints the PID and URLs. Two things are deliberately stricter, because a script must be able to trust
the exit code:

- the parent waits on a pipe the child writes "ready" to once both ports listen, instead of polling the PID
  file: a stale PID file, or one of another server, can no longer be mistaken for this child;
- a child that exits before it is ready (a port in use, a bad config) makes the parent exit 1 with the
  child's own error text, where the Go tool waits 30 s and exits 0 with a warning.

The log is opened for appending, so an older server still writing to it after a new `start -d` truncated
it leaves no holes. The child runs in a new session, so closing the terminal or a CI step's process group
does not stop it.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import typer

CHILD_ENV = "MOCKD_CHILD"
READY_FD_ENV = "MOCKD_READY_FD"
_WAIT = 30.0  # seconds, as the Go tool


def log_path() -> Path:
    """The Go tool's location for the detached server's output (not moved by --data-dir)."""
    return Path.home() / ".mockd" / "daemon.log"


def is_child() -> bool:
    return os.environ.get(CHILD_ENV) == "1"


def take_ready_fd() -> int | None:
    """The pipe a detaching parent waits on, if this process is that parent's child (removed from the
    environment, so processes this server starts never see it)."""
    raw = os.environ.pop(READY_FD_ENV, None)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def detach(*, port: int, admin_port: int, api_key: str | None, pid_file: Path | None) -> typer.Exit:
    """Start the child, wait until it is ready or gone, print the outcome; returns the Exit to raise."""
    log = log_path()
    try:
        log.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
    except OSError as exc:
        return _fail(f"failed to start daemon: cannot open {log}: {exc.strerror or exc}")
    read_end, write_end = os.pipe()
    env = {**os.environ, CHILD_ENV: "1", READY_FD_ENV: str(write_end)}
    if api_key:
        env["MOCKD_API_KEY"] = api_key  # the key the parent printed is the one the child uses
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "mockd", *sys.argv[1:]],
            stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env, pass_fds=(write_end,),
            start_new_session=True,
        )  # fmt: skip
    except OSError as exc:
        return _fail(f"failed to start daemon: {exc.strerror or exc}")
    finally:
        os.close(out)
        os.close(write_end)
    try:
        ready = _wait_ready(read_end)
    finally:
        os.close(read_end)
    if ready:
        return _started(child.pid, port, admin_port, pid_file)
    if child.poll() is None:
        try:
            child.wait(timeout=5)  # the pipe closed: the child is exiting; let it finish writing its log
        except subprocess.TimeoutExpired:
            return _fail(
                f"daemon (PID {child.pid}) did not become ready within {_WAIT:.0f}s; it is still running. "
                f"Check {log} for errors, and stop it with: mockd stop"
            )
    return _fail(_exited(child.returncode, log))


def _wait_ready(fd: int) -> bool:
    """True once the child wrote "ready"; False on end-of-file (it exited) or after the wait."""
    deadline = time.monotonic() + _WAIT
    got = b""
    while (left := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([fd], [], [], left)
        if not readable:
            break
        chunk = os.read(fd, 64)
        if not chunk:
            return False
        got += chunk
        if b"ready" in got:
            return True
    return False


def _started(pid: int, port: int, admin_port: int, pid_file: Path | None) -> typer.Exit:
    typer.echo(f"mockd started in background (PID {pid})")
    typer.echo(f"Admin API:   http://localhost:{admin_port}")
    typer.echo(f"Mock server: http://localhost:{port}")
    loaded = _mocks_loaded(pid, pid_file) if pid_file is not None else 0
    if loaded:
        typer.echo(f"Loaded {loaded} mocks")
    return typer.Exit(code=0)


def _mocks_loaded(pid: int, pid_file: Path) -> int:
    """What the child wrote to its PID file (0 when it is unreadable or names another process)."""
    try:
        info = json.loads(pid_file.read_text())
    except (OSError, ValueError):
        return 0
    if not isinstance(info, dict) or info.get("pid") != pid:
        return 0
    loaded = (info.get("config") or {}).get("mocksLoaded")
    return loaded if isinstance(loaded, int) else 0


def _exited(code: int | None, log: Path) -> str:
    """The child's own error lines (its log, minus blank lines), then one summary line."""
    try:
        text = log.read_text(errors="replace").strip()
    except OSError:
        text = ""
    summary = f"daemon process exited immediately (exit code {code}); full output in {log}"
    return f"{text}\n{summary}" if text else summary


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=1)
