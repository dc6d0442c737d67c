"""Which admin API a `mockd mcp` session acts on, starting a background server when none answers
(reference §8.1, the Go tool's order):

1. `--admin-url` as given, never started;
2. `--data-dir D`: the project server on `--admin-port` (14290) / `--port` (14280), started with
   `mockd start --detach --no-auth --data-dir D … --pid-file D/mockd.pid [--config F]` if it does not answer;
3. otherwise `MOCKD_ADMIN_URL`, the current context's URL, or http://localhost:4290 if it answers; else the
   server named by the default PID file if that answers; else `mockd start --detach --no-auth` is run.

The started server's own output goes to stderr: stdout is the MCP channel.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from mockd.cli import contexts
from mockd.runtime import pidfile

log = logging.getLogger("mockd.mcp")
PROJECT_PORT = 14280
PROJECT_ADMIN_PORT = 14290


@dataclass(frozen=True)
class Target:
    admin_url: str
    context_name: str
    workspace: str
    # How to (re)start the server behind `admin_url` (`start_server` arguments); None for --admin-url,
    # which mockd mcp never starts.
    start_args: list[str] | None = None


def healthy(admin_url: str) -> bool:
    try:
        return httpx.get(admin_url.rstrip("/") + "/health", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def resolve(
    *,
    admin_url: str | None,
    data_dir: str | None,
    config: str | None,
    port: int | None,
    admin_port: int | None,
) -> Target:
    workspace = contexts.selected_workspace()
    if admin_url:
        return Target(admin_url.rstrip("/"), "custom", workspace)
    extra = ["--config", config] if config else []
    if data_dir:
        folder = Path(data_dir).expanduser()
        p, a = port or PROJECT_PORT, admin_port or PROJECT_ADMIN_PORT
        url = f"http://localhost:{a}"
        project = ["--data-dir", str(folder), "--port", str(p), "--admin-port", str(a),
                   "--pid-file", str(folder / "mockd.pid"), *extra]  # fmt: skip
        if not healthy(url):
            start_server(project)
        return Target(url, "project", workspace, project)
    url = contexts.admin_url(None).rstrip("/")
    name = _context_name()
    args: list[str] = []
    if port:
        args += ["--port", str(port)]
    if admin_port:
        args += ["--admin-port", str(admin_port)]
    args += extra
    if healthy(url):
        return Target(url, name, workspace, args)
    running = _from_pid_file()
    if running and healthy(running):
        return Target(running, name, workspace, args)
    if admin_port:
        url = f"http://localhost:{admin_port}"
    start_server(args)
    return Target(url, name, workspace, args)


def _context_name() -> str:
    try:
        return str(contexts.load().get("currentContext") or contexts.DEFAULT_CONTEXT)
    except contexts.ContextError:
        return contexts.DEFAULT_CONTEXT


def _from_pid_file() -> str | None:
    try:
        info = json.loads(Path(pidfile.DEFAULT_PATH).expanduser().read_text())
        port = int(info["admin"]["port"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return f"http://localhost:{port}"


def start_server(args: list[str]) -> None:
    """`mockd start --detach --no-auth …`; a failure is logged and the session still starts (its tools
    then say the server is unreachable)."""
    command = [sys.executable, "-m", "mockd", "start", "--detach", "--no-auth", *args]
    log.info("starting mockd: %s", " ".join(command[2:]))
    done = subprocess.run(
        command, stdin=subprocess.DEVNULL, stdout=sys.stderr, stderr=sys.stderr, check=False
    )
    if done.returncode != 0:
        log.warning(
            "could not start a mockd server (exit %d); tools will report it unreachable", done.returncode
        )
