"""What every scenario gets: settings, tools, scratch space, peers, and a register of started servers so that
each one is stopped (by its own handle) whatever happens."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockbench import fixtures, servers
from mockbench.measure import Settings, log
from mockbench.servers import Server


class NotAvailable(Exception):
    """A feature a scenario needs is not in this mockd yet: the scenario is recorded as not run."""


@dataclass(frozen=True)
class Peer:
    kind: str  # "go-mockd" | "wiremock" | "command"
    name: str
    value: str  # binary path, jar path, or command template with {port}


@dataclass
class Context:
    settings: Settings
    python: str
    tools: dict[str, str]
    scratch: Path
    smoke: bool
    mocks: int = 10_000
    verify_requests: int = 1_000_000
    startup_reps: int = 5
    delayed_inflight: int = 1000
    admin_rate: float = 20.0
    peers: list[Peer] = field(default_factory=list)
    started: list[Server] = field(default_factory=list)
    _features: dict[str, str] | None = None

    def config(self, name: str, data: dict[str, Any]) -> Path:
        return fixtures.write(self.scratch / "configs" / name, data)

    def compile(self, config: Path) -> Path:
        plan = config.with_suffix(".plan")
        res = subprocess.run(
            [self.python, "-m", "mockd", "compile", str(config), "-o", str(plan)],
            capture_output=True,
            text=True,
            check=False,
        )
        if res.returncode != 0:
            raise RuntimeError(f"mockd compile {config} failed:\n{res.stderr}")
        return plan

    def launch(self, server: Server, timeout: float = 120.0) -> Server:
        """Start, register for cleanup, and wait until it answers its ready path."""
        self.started.append(server)
        server.start()
        server.wait_ready(timeout)
        return server

    def mockd(
        self,
        name: str,
        config: dict[str, Any],
        ready_path: str = "/__mockd/health",
        extra: Sequence[str] = (),
    ) -> Server:
        path = self.config(f"{name}.json", config)
        return self.launch(
            servers.mockd(self.python, self.scratch, name, config=path, ready_path=ready_path, extra=extra)
        )

    def bare(self, name: str, body: bytes, *, read_body: bool = False, task_impl: str = "rust") -> Server:
        return self.launch(
            servers.bare_granian(
                self.python,
                self.scratch,
                name,
                200,
                [("content-type", fixtures.CONTENT_TYPE)],
                body,
                read_body=read_body,
                task_impl=task_impl,
            )
        )

    def stop(self, server: Server) -> None:
        server.stop()
        if server in self.started:
            self.started.remove(server)

    def stop_all(self) -> None:
        while self.started:
            self.started.pop().stop()

    # --- features another engineer may still be finishing -----------------------------------------------

    def features(self) -> dict[str, str]:
        """Probe a live server once: admin create/delete, verify counts, basePath resources. Values are
        "ok" or what failed."""
        if self._features is None:
            self._features = _probe(self)
        return self._features

    def need(self, *names: str) -> None:
        missing = {n: v for n, v in self.features().items() if n in names and v != "ok"}
        if missing:
            raise NotAvailable("; ".join(f"{k}: {v}" for k, v in missing.items()))


def _probe(ctx: Context) -> dict[str, str]:
    log("probing admin and stateful features")
    srv = ctx.mockd("probe", fixtures.stateful(3))
    assert srv.admin_port is not None
    out: dict[str, str] = {}
    try:
        created = servers.http_call(
            srv.admin_port,
            "/mocks",
            "POST",
            json.dumps(fixtures.churn_mock(0)).encode(),
            {"Content-Type": "application/json"},
        )
        live = servers.http_call(srv.port, "/churn/0")
        deleted = servers.http_call(srv.admin_port, "/mocks/churn-0", "DELETE")
        gone = servers.http_call(srv.port, "/churn/0")
        out["admin_mocks"] = (
            "ok"
            if (
                created.status in (200, 201)
                and live.status == 200
                and deleted.status in (200, 204)
                and gone.status == 404
            )
            else (
                f"POST /mocks {created.status}, GET {live.status}, DELETE {deleted.status}, "
                f"then GET {gone.status}"
            )
        )
        servers.http_call(srv.port, fixtures.HIT_PATH)
        v = servers.http_call(srv.admin_port, "/mocks/static/verify")
        p = servers.http_call(
            srv.admin_port,
            "/mocks/static/verify",
            "POST",
            b'{"exactly": 1}',
            {"Content-Type": "application/json"},
        )
        ok = (
            v.status == 200
            and json.loads(v.body).get("callCount") == 1
            and p.status == 200
            and json.loads(p.body).get("passed") is True
        )
        out["verify"] = "ok" if ok else f"GET verify {v.status} {v.body[:80]!r}, POST verify {p.status}"
        item = servers.http_call(srv.port, "/api/users/2")
        made = servers.http_call(
            srv.port, fixtures.USERS, "POST", fixtures.NEW_USER.encode(), {"Content-Type": "application/json"}
        )
        reset = servers.http_call(srv.admin_port, "/state/reset", "POST")
        out["stateful"] = (
            "ok"
            if (item.status == 200 and made.status == 201 and reset.status == 200)
            else (f"GET item {item.status}, POST create {made.status}, POST /state/reset {reset.status}")
        )
    except (OSError, ValueError) as exc:
        out.setdefault("admin_mocks", f"error {exc}")
        out.setdefault("verify", f"error {exc}")
        out.setdefault("stateful", f"error {exc}")
    finally:
        ctx.stop(srv)
    log(f"  features: {out}")
    return out
