"""`mockd stop`: signal the server named by the PID file that `mockd start` writes (reference §6.4).

Output, messages and exit codes follow the Go CLI. Two checks go further, because a PID file can outlive
its server and its number can be reused: a PID that is not a mockd process, or a zombie that has
already exited, counts as "not running" and is never signalled.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Annotated

import typer

from mockd.cli.client_commands import JsonOutput, fail, print_json
from mockd.runtime.pidfile import DEFAULT_PATH, remove_if_names

_POLL = 0.1


def stop(
    component: Annotated[
        str | None,
        typer.Argument(
            help="admin or engine: both live in one process here, so either stops it.", show_default=False
        ),
    ] = None,
    pid_file: Annotated[
        str, typer.Option("--pid-file", envvar="MOCKD_PID_FILE", help="PID file written by `mockd start`.")
    ] = DEFAULT_PATH,
    force: Annotated[bool, typer.Option("--force", "-f", help="Send SIGKILL instead of SIGTERM.")] = False,
    timeout: Annotated[int, typer.Option("--timeout", min=0, help="Seconds to wait for a clean exit.")] = 10,
    as_json: JsonOutput = False,
) -> None:
    """Stop the server started with `mockd start` (SIGTERM, then wait for it to exit)."""
    if component not in (None, "", "admin", "engine"):
        raise fail(f"unknown component: {component} (valid: admin, engine)")
    if component:
        typer.echo("Note: Stopping individual components is not yet supported.", err=True)
        typer.echo("      Stopping entire mockd process instead.\n", err=True)
    path = Path(pid_file).expanduser()
    try:
        pid = json.loads(path.read_text())["pid"]
        if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
            raise ValueError(pid)
    except (OSError, ValueError, KeyError, TypeError):
        raise fail(f"mockd is not running (no PID file found at {path})") from None
    if not is_mockd(pid):
        remove_if_names(path, pid)
        raise fail("mockd is not running (stale PID file removed)")
    sig, name = (signal.SIGKILL, "SIGKILL") if force else (signal.SIGTERM, "SIGTERM")
    if not as_json:
        typer.echo(f"Stopping mockd (PID {pid}) with {name}... ", nl=False)
    try:
        os.kill(pid, sig)
    except OSError as exc:
        if not as_json:
            typer.echo("failed")
        raise fail(f"failed to send signal: {exc.strerror or exc}") from None
    deadline = time.monotonic() + (0.1 if force else timeout)
    while is_mockd(pid) and time.monotonic() < deadline:
        time.sleep(_POLL)
    if force or not is_mockd(pid):
        remove_if_names(path, pid)
        if as_json:
            print_json({"stopped": True, "pid": pid, "signal": name})
        else:
            typer.echo("done")
        return
    if not as_json:
        typer.echo("timeout")
        typer.echo(f"\nProcess did not stop within {timeout} seconds.")
        typer.echo("Try: mockd stop --force")
    raise fail("timeout waiting for process to stop")


def is_mockd(pid: int) -> bool:
    """Alive, not a zombie, and running mockd (where /proc says so; elsewhere, alive is enough)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, but another user's: /proc decides
    proc = Path(f"/proc/{pid}")
    try:
        stat = (proc / "stat").read_text()
        cmdline = (proc / "cmdline").read_bytes()
    except OSError:
        return not proc.parent.joinpath("self").exists()  # no /proc at all: trust the signal check
    state = stat.rsplit(")", 1)[-1].split()[0]
    return state != "Z" and b"mockd" in cmdline
