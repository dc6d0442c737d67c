"""`mockd ports`: the ports a running server listens on (reference §6.4), from its admin API, else from
its PID file; Go's fixed-width table. Always exits 0, as the Go tool's does."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from mockd.cli.client import DEFAULT_ADMIN_URL, AdminClient, AdminError
from mockd.cli.client_commands import AdminUrl, JsonOutput, print_json
from mockd.cli.status import read_pid_file
from mockd.runtime.pidfile import DEFAULT_PATH


def ports(
    pid_file: Annotated[
        str, typer.Option("--pid-file", envvar="MOCKD_PID_FILE", help="PID file written by `mockd start`.")
    ] = DEFAULT_PATH,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Add the ENGINE and ID columns.")] = False,
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Show the ports the running server listens on."""
    try:
        reply = AdminClient.for_command(admin_url).call("GET", "/ports")
        found: list[dict[str, Any]] = [p for p in (reply or {}).get("ports") or [] if isinstance(p, dict)]
    except AdminError:
        info = read_pid_file(Path(pid_file).expanduser())
        if info is None:
            if as_json:
                print_json({"ports": [], "running": False}, sort_keys=False)
            else:
                typer.echo("mockd is not running\n\nTo start: mockd serve")
            return
        found = _from_pid_file(info, verbose)
    _print(found, verbose, as_json)


def _from_pid_file(info: dict, verbose: bool) -> list[dict[str, Any]]:
    out = []
    comps = info.get("components") or {}
    for key, label in (("engine", "Mock Engine"), ("admin", "Admin API")):
        comp = comps.get(key) or {}
        if comp.get("enabled") and comp.get("port"):
            entry: dict[str, Any] = {"port": comp["port"], "protocol": "HTTP", "component": label,
                                     "status": "running"}  # fmt: skip
            if verbose:
                entry["pid"] = info["pid"]
            out.append(entry)
    return out


def _print(found: list[dict[str, Any]], verbose: bool, as_json: bool) -> None:
    if as_json:
        print_json({"ports": found, "running": bool(found)}, sort_keys=False)
        return
    if not found:
        typer.echo("No ports in use by mockd")
        return
    found = sorted(found, key=lambda p: int(p.get("port", 0)))
    typer.echo("")
    if verbose:
        typer.echo(f"{'PORT':<7} {'PROTOCOL':<10} {'COMPONENT':<15} {'STATUS':<10} {'ENGINE':<20} ID")
        typer.echo("------- ---------- --------------- ---------- -------------------- --------")
    else:
        typer.echo(f"{'PORT':<7} {'PROTOCOL':<10} {'COMPONENT':<15} STATUS")
        typer.echo("------- ---------- --------------- --------")
    for p in found:
        status = str(p.get("status", "")) + (" (TLS)" if p.get("tls") else "")
        head = f"{p.get('port', 0):<7} {p.get('protocol', ''):<10} {p.get('component', ''):<15}"
        if verbose:
            engine = p.get("engineName") or "-"
            engine_id = (p.get("engineId") or "-")[:8]
            typer.echo(f"{head} {status:<10} {engine:<20} {engine_id}")
        else:
            typer.echo(f"{head} {status}")
    typer.echo("")
