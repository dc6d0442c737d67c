"""Servers under test: each one a subprocess on 127.0.0.1 and a free port, stopped by its own PID.

Nothing here looks a process up by name: `Server.stop()` signals the handle it started, waits, and kills that
handle if it does not exit. Logs go to files in the run's scratch directory (named in failures).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mockbench.system import affinity, free_port, process_tree, status_kib, tree_rss_kib

HERE = Path(__file__).resolve().parent


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def http_call(
    port: int,
    path: str,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    finally:
        conn.close()


def first_response(port: int, request: bytes, deadline: float) -> bytes | None:
    """Poll with a raw socket until the server answers `request` (connect refused => retry after 2 ms).

    Used for start-up time: a plain socket keeps the probe's own cost in microseconds."""
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.sendall(request)
                data = b""
                while b"\r\n" not in data:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                if data.startswith(b"HTTP/1.1 200"):
                    return data
        except OSError:
            pass
        time.sleep(0.002)
    return None


@dataclass
class Server:
    """One server process. `argv` is run as given (no shell), so `proc.pid` is the server itself."""

    name: str
    argv: list[str]
    port: int
    workdir: Path
    env: dict[str, str] | None = None
    admin_port: int | None = None
    ready_path: str = "/"
    proc: subprocess.Popen | None = field(default=None, init=False)
    started_at: float = field(default=0.0, init=False)

    @property
    def log(self) -> Path:
        return self.workdir / f"{self.name}.log"

    def start(self) -> Server:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.started_at = time.monotonic()
            self.proc = subprocess.Popen(
                self.argv,
                preexec_fn=affinity("server"),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **(self.env or {})},
                cwd=self.workdir,
            )
        return self

    def wait_ready(self, timeout: float = 60.0) -> float:
        """Seconds from spawn until `ready_path` answers 200; raises with the log tail otherwise."""
        req = f"GET {self.ready_path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                break
            if first_response(self.port, req, min(deadline, time.monotonic() + 0.5)) is not None:
                return time.monotonic() - self.started_at
        code = None if self.proc is None else self.proc.poll()
        self.stop()
        raise RuntimeError(
            f"{self.name} did not serve {self.ready_path} (exit {code}); log {self.log}:\n" + self.log_tail()
        )

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def pids(self) -> list[int]:
        return process_tree(self.pid)

    def rss_kib(self) -> int | None:
        return tree_rss_kib(self.pid)

    def peak_rss_kib(self) -> int | None:
        return status_kib(self.pid, "VmHWM")

    def stop(self, timeout: float = 15.0) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


# --- factories ----------------------------------------------------------------------------------------------


def mockd(
    python: str,
    workdir: Path,
    name: str,
    *,
    config: Path | None = None,
    plan: Path | None = None,
    ready_path: str = "/__mockd/health",
    extra: Sequence[str] = (),
) -> Server:
    port, admin = free_port(), free_port()
    source = ["--config", str(config)] if config is not None else ["--plan", str(plan)]
    argv = [python, "-m", "mockd", "start", "--host", "127.0.0.1", "-p", str(port), "-a", str(admin), *source]
    argv += extra
    return Server(name, argv, port, workdir, admin_port=admin, ready_path=ready_path)


def bare_granian(
    python: str,
    workdir: Path,
    name: str,
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
    *,
    read_body: bool = False,
    task_impl: str = "rust",
) -> Server:
    """One Granian worker serving `bare_app` on rloop, with Rust tasks (the stack's fastest) unless asked."""
    port = free_port()
    argv = [
        python,
        "-m",
        "granian",
        "--interface",
        "rsgi",
        "--task-impl",
        task_impl,
        "--loop",
        "rloop",
        "--workers",
        "1",
        "--no-ws",
        "--backlog",
        "2048",
        "--no-log",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "bare_app:app",
    ]
    spec = json.dumps({"status": status, "headers": headers, "body": body.decode(), "read_body": read_body})
    env = {"MOCKBENCH_BARE": spec, "PYTHONPATH": str(HERE)}
    return Server(name, argv, port, workdir, env=env)


def _nginx_quote(body: bytes) -> str:
    return "'" + body.decode().replace("\\", "\\\\").replace("'", "\\'") + "'"


def nginx(binary: str, workdir: Path, name: str, status: int, content_type: str, body: bytes) -> Server:
    """nginx `return 200` with the same body: one worker (as Granian), no access log, keep-alive unlimited."""
    port = free_port()
    root = workdir / name
    root.mkdir(parents=True, exist_ok=True)
    conf = root / "nginx.conf"
    conf.write_text(
        f"""worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 120s;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    server {{
        listen 127.0.0.1:{port} backlog=2048;
        location / {{
            default_type {content_type};
            return {status} {_nginx_quote(body)};
        }}
    }}
}}
"""
    )
    argv = [binary, "-p", str(root), "-c", str(conf), "-e", str(root / "error.log")]
    return Server(name, argv, port, workdir)


def go_mockd(binary: str, workdir: Path, name: str, config: Path, ready_path: str) -> Server:
    """The Go tool with a private data dir, pid file and HOME, so nothing outside the scratch dir is touched.

    It binds every interface (":port", no --host flag): run the harness in a private network namespace
    (`unshare -n`) if the machine is reachable from outside (bench/README.md)."""
    port, admin = free_port(), free_port()
    home = workdir / f"{name}-home"
    home.mkdir(parents=True, exist_ok=True)
    argv = [
        binary,
        "start",
        "--config",
        str(config),
        "--port",
        str(port),
        "--admin-port",
        str(admin),
        "--data-dir",
        str(home / "data"),
        "--pid-file",
        str(home / "mockd.pid"),
        "--log-level",
        "warn",
    ]
    env = {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "xdg-data"),
        "XDG_CONFIG_HOME": str(home / "xdg-config"),
    }
    return Server(name, argv, port, workdir, env=env, admin_port=admin, ready_path=ready_path)


def wiremock(jar: str, workdir: Path, name: str, mappings: list[dict], ready_path: str) -> Server:
    """WireMock standalone, quiet (no request journal, no request logging), loopback only."""
    port = free_port()
    root = workdir / name
    (root / "mappings").mkdir(parents=True, exist_ok=True)
    (root / "__files").mkdir(parents=True, exist_ok=True)
    (root / "mappings" / "bench.json").write_text(json.dumps({"mappings": mappings}))
    argv = [
        "java",
        "-jar",
        jar,
        "--port",
        str(port),
        "--bind-address",
        "127.0.0.1",
        "--root-dir",
        str(root),
        "--no-request-journal",
        "--disable-request-logging",
        "--disable-banner",
    ]
    return Server(name, argv, port, workdir, ready_path=ready_path)


def command_peer(name: str, template: str, workdir: Path, ready_path: str) -> Server:
    """Any other server: `template` is a command line with `{port}` where its port goes."""
    import shlex

    if "{port}" not in template:
        raise SystemExit(f"--peer {name}=...: the command must contain {{port}} where the port goes")
    port = free_port()
    argv = [part.replace("{port}", str(port)) for part in shlex.split(template)]
    return Server(name, argv, port, workdir, ready_path=ready_path)
