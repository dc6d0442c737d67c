"""`mockd doctor`: diagnose a machine before starting a server (operations reference §4.7). Same checks,
names, symbols and JSON as the Go CLI, and it always exits 0 as there (a server already running makes the
two port checks fail by design).

`data_directory` differs: the Go tool checks `~/.mockd/data`, a folder nothing uses. Here it checks the
`--data-dir` given (`default`: the Go tool's real location), or says that nothing persists without one.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Annotated

import typer

from mockd.cli.client import AdminClient, AdminError
from mockd.cli.client_commands import JsonOutput, print_json
from mockd.cli.status import read_pid_file
from mockd.runtime.pidfile import DEFAULT_PATH

_DEFAULT_CONFIGS = ("mockd.yaml", "mockd.yml", "mockd.json", ".mockd.yaml", ".mockd.yml", ".mockd.json")


def _available(port: int) -> bool:
    """Whether a server could bind the port on all interfaces (as `mockd start` binds it)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def _config_problem(path: str) -> str | None:
    """None when the file loads; else its first error, as `mockd validate` reports it."""
    from mockd.compiler import compile_files
    from mockd.compiler.errors import ConfigError

    try:
        compile_files([Path(path)])
    except ConfigError as exc:
        errors = [d for d in exc.diagnostics if d.severity == "error"]
        return errors[0].render() if errors else str(exc)
    except OSError as exc:
        return f"{path}: {exc.strerror or exc}"
    return None


def _pid_in(path: Path) -> int | None:
    try:
        pid = json.loads(path.read_text()).get("pid")
    except (OSError, ValueError, AttributeError):
        return None
    return pid if isinstance(pid, int) else None


def doctor(
    config: Annotated[str, typer.Option("--config", help="Config file to validate.")] = "",
    port: Annotated[int, typer.Option("--port", "-p", help="Mock server port to check.")] = 4280,
    admin_port: Annotated[int, typer.Option("--admin-port", "-a", help="Admin API port to check.")] = 4290,
    data_dir: Annotated[str, typer.Option("--data-dir", help="Data dir to check ('default' allowed).")] = "",
    as_json: JsonOutput = False,
) -> None:
    """Check ports, a config file, a running server, PID file and data dir. Always exits 0."""
    checks: list[dict[str, str]] = []

    def check(name: str, status: str, detail: str) -> None:
        checks.append({"name": name, "status": status, "detail": detail})

    for number, label in ((port, "mock_server"), (admin_port, "admin_api")):
        free = _available(number)
        check(f"port_{number}_{label}", "ok" if free else "fail", "available" if free else "in use")
    if config:
        problem = _config_problem(config)
        check("config_file", "fail" if problem else "ok", problem or config)
    try:
        AdminClient.from_environment(f"http://localhost:{admin_port}", timeout=2).call("GET", "/health")
        check("mockd_running", "ok", f"responding on :{admin_port}")
    except AdminError:
        check("mockd_running", "info", f"not running on :{admin_port}")
    found = [name for name in _DEFAULT_CONFIGS if Path(name).exists()]
    if found:
        check("default_configs", "ok", f"found {len(found)}: {', '.join(found)}")
    else:
        check("default_configs", "info", "none found")
    pid_path = Path(DEFAULT_PATH).expanduser()
    info = read_pid_file(pid_path)
    if info is not None:
        check("pid_file", "ok", f"PID {info['pid']}, running")
    elif (stale := _pid_in(pid_path)) is not None:
        check("pid_file", "info", f"PID {stale}, stale")
    else:
        check("pid_file", "info", "not found")
    if data_dir:
        from mockd.cli.datadir import resolve

        folder = resolve(data_dir)
        if folder.is_dir():
            check("data_directory", "ok", str(folder))
        else:
            check("data_directory", "info", f"not found (will be created at {folder})")
    else:
        check("data_directory", "info", "not used: nothing persists without --data-dir")
    passed = all(c["status"] != "fail" for c in checks)
    if as_json:
        print_json({"allPassed": passed, "checks": checks}, sort_keys=False)  # a map of structs in Go
        return
    typer.echo("mockd doctor\n============\n")
    symbols = {"ok": "✓", "fail": "✗"}
    for c in checks:
        typer.echo(f"  {symbols.get(c['status'], '•')} {c['name']}: {c['detail']}")
    typer.echo("\n" + ("All checks passed!" if passed else "Some checks failed. See above for details."))
