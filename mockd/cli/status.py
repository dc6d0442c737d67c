"""`mockd status`: is a server running, where, for how long, with how many mocks (reference §6.4,
operations reference §3.5).

Output follows the Go CLI: from the PID file when it names a live mockd process, else by probing the two
ports, else "not running". It always exits 0, as the Go tool's does (scripts use `mockd health` to fail).
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from mockd.cli.client import AdminClient, AdminError, parse_timestamp
from mockd.cli.client_commands import JsonOutput, print_json
from mockd.cli.stop import is_mockd
from mockd.runtime.pidfile import DEFAULT_PATH

_PROBE_TIMEOUT = 2.0


def status(
    pid_file: Annotated[
        str, typer.Option("--pid-file", envvar="MOCKD_PID_FILE", help="PID file written by `mockd start`.")
    ] = DEFAULT_PATH,
    port: Annotated[int, typer.Option("--port", "-p", help="Mock engine port to probe.")] = 4280,
    admin_port: Annotated[int, typer.Option("--admin-port", "-a", help="Admin API port to probe.")] = 4290,
    as_json: JsonOutput = False,
) -> None:
    """Show whether mockd is running (PID file, else a probe of both ports). Always exits 0."""
    info = read_pid_file(Path(pid_file).expanduser())
    if info is not None:
        _from_pid_file(info, as_json)
        return
    admin_url, engine_url = f"http://localhost:{admin_port}", f"http://localhost:{port}"
    admin_up, engine_up = _answers(admin_url + "/health"), _answers(engine_url + "/")
    if admin_up or engine_up:
        _detected(admin_url if admin_up else None, engine_url if engine_up else None, as_json)
        return
    stopped = {"status": "stopped"}
    if as_json:
        print_json({"version": "", "uptime": "", "components": {"admin": stopped, "engine": stopped},
                    "running": False}, sort_keys=False)  # fmt: skip
        return
    typer.echo("mockd is not running\n\nTo start: mockd serve")


def read_pid_file(path: Path) -> dict | None:
    """The PID file's content when it names a live mockd process."""
    try:
        info = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    pid = info.get("pid") if isinstance(info, dict) else None
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0 or not is_mockd(pid):
        return None
    return info


def _component(info: dict, name: str) -> dict:
    comp = (info.get("components") or {}).get(name)
    return comp if isinstance(comp, dict) else {}


def _url(comp: dict) -> str:
    return f"http://{comp.get('host') or 'localhost'}:{comp.get('port')}"


def _from_pid_file(info: dict, as_json: bool) -> None:
    started = parse_timestamp(str(info.get("startTime") or ""))
    uptime = format_duration((datetime.now(UTC) - started).total_seconds()) if started else "0s"
    admin, engine = _component(info, "admin"), _component(info, "engine")
    out: dict[str, Any] = {"version": str(info.get("version") or ""), "uptime": uptime}
    comps: dict[str, Any] = {}
    for key, comp in (("admin", admin), ("engine", engine)):
        comps[key] = (
            {"status": "running", "url": _url(comp), "uptime": uptime}
            if comp.get("enabled")
            else {"status": "stopped"}
        )
    stats = None
    if admin.get("enabled"):
        stats, live_uptime = _live_stats(_url(admin))
        if live_uptime:
            out["uptime"] = format_duration(live_uptime)
    out["components"] = comps
    if stats is not None:
        out["stats"] = stats
    out["running"] = True
    out["pid"] = info["pid"]
    if as_json:
        print_json(out, sort_keys=False)
        return
    typer.echo(f"mockd v{out['version']}\n\nComponents:")
    _component_line("Admin API  ", comps["admin"], out["uptime"])
    _component_line("Mock Engine", comps["engine"], out["uptime"])
    _stats_lines(stats)


def _component_line(label: str, comp: dict, uptime: str | None) -> None:
    if comp["status"] != "running":
        typer.echo(f"  {label}  {_red('stopped')}")
        return
    suffix = f"  (uptime: {uptime})" if uptime else ""
    typer.echo(f"  {label}  {_green('running')}  {comp['url']}{suffix}")


def _stats_lines(stats: dict | None) -> None:
    if stats is None:
        return
    typer.echo("\nStats:")
    typer.echo(f"  Mocks loaded:      {format_number(stats['mocksLoaded'])}")
    typer.echo(f"  Requests served:   {format_number(stats['requestsServed'])}")


def _detected(admin_url: str | None, engine_url: str | None, as_json: bool) -> None:
    out: dict[str, Any] = {"version": "", "uptime": ""}
    stats = None
    if admin_url:
        stats, live_uptime = _live_stats(admin_url)
        if live_uptime:
            out["uptime"] = format_duration(live_uptime)
    out["components"] = {
        "admin": {"status": "running", "url": admin_url} if admin_url else {"status": "stopped"},
        "engine": {"status": "running", "url": engine_url} if engine_url else {"status": "stopped"},
    }
    if stats is not None:
        out["stats"] = stats
    out["running"] = True
    if as_json:
        print_json(out, sort_keys=False)
        return
    typer.echo("mockd (detected via port)\n\nComponents:")
    _component_line("Admin API  ", out["components"]["admin"], out["uptime"])
    _component_line("Mock Engine", out["components"]["engine"], None)
    _stats_lines(stats)
    typer.echo(f"\n{_yellow('Note:')} No PID file found. Server may have been started manually.")


def _live_stats(admin_url: str) -> tuple[dict, int]:
    """Mock count from `GET /mocks` and uptime from `GET /health`, as the Go CLI (requests served is
    always 0 there: there is no stats route it reads)."""
    client = AdminClient.from_environment(admin_url, timeout=_PROBE_TIMEOUT)
    uptime = 0
    try:
        health = client.call("GET", "/health")
        if isinstance(health, dict) and isinstance(health.get("uptime"), int):
            uptime = health["uptime"]
    except AdminError:
        pass
    stats = {"mocksLoaded": 0, "requestsServed": 0, "requestsMatched": 0, "requestsUnmatched": 0}
    try:
        listed = client.call("GET", "/mocks")
        if isinstance(listed, dict) and isinstance(listed.get("mocks"), list):
            stats["mocksLoaded"] = len(listed["mocks"])
    except AdminError:
        pass
    return stats, uptime


def _answers(url: str) -> bool:
    """Any HTTP answer counts (a 404 from the mock port too); no answer at all does not."""
    try:
        with urllib.request.urlopen(url, timeout=_PROBE_TIMEOUT):
            return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, OSError, ValueError):
        return False


def format_duration(seconds: float) -> str:
    """Go's status formatting: 42s, 3m 5s, 2h 7m, 1d 2h 7m."""
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m {s % 60}s"
    hours, mins = s // 3600, (s // 60) % 60
    if hours >= 24:
        return f"{hours // 24}d {hours % 24}h {mins}m"
    return f"{hours}h {mins}m"


def format_number(n: int) -> str:
    return f"{n:,}"


def _tty() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _green(s: str) -> str:
    return f"\033[32m{s}\033[0m" if _tty() else s


def _red(s: str) -> str:
    return f"\033[31m{s}\033[0m" if _tty() else s


def _yellow(s: str) -> str:
    return f"\033[33m{s}\033[0m" if _tty() else s
