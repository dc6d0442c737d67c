"""Scenario 8: scenario 1's load while a client creates and deletes mocks over the admin API.

Each churn cycle: POST /mocks (a new mock), GET it on the mock port (it must be live at once), DELETE it,
GET it again (it must be gone: 404). Cycles run at a fixed rate; every unexpected status or exception is an
error.
"""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from typing import Any

from mockbench import fixtures
from mockbench.context import Context
from mockbench.measure import Comparison, Subject
from mockbench.scenarios.common import check_all, timed
from mockbench.servers import Server
from mockbench.wrk import Workload


class AdminChurn:
    def __init__(self, server: Server, rate: float, first_id: int) -> None:
        assert server.admin_port is not None
        self.server, self.rate, self.next_id = server, rate, first_id
        self.cycles = 0
        self.errors: list[str] = []
        self.create_ms: list[float] = []
        self.delete_ms: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._t0 = 0.0

    def _call(
        self, conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None
    ) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()

    def _cycle(self, admin: http.client.HTTPConnection, mocks: http.client.HTTPConnection) -> None:
        n = self.next_id
        self.next_id += 1
        m = fixtures.churn_mock(n)
        t = time.perf_counter()
        status, body = self._call(admin, "POST", "/mocks", json.dumps(m).encode())
        self.create_ms.append((time.perf_counter() - t) * 1000)
        if status not in (200, 201):
            self.errors.append(f"POST /mocks -> {status} {body[:80]!r}")
        status, body = self._call(mocks, "GET", f"/churn/{n}")
        if status != 200 or body.strip() != fixtures.body(m["id"]).encode():
            self.errors.append(f"GET /churn/{n} after create -> {status}")
        t = time.perf_counter()
        status, body = self._call(admin, "DELETE", f"/mocks/{m['id']}")
        self.delete_ms.append((time.perf_counter() - t) * 1000)
        if status not in (200, 204):
            self.errors.append(f"DELETE /mocks/{m['id']} -> {status} {body[:80]!r}")
        status, _ = self._call(mocks, "GET", f"/churn/{n}")
        if status != 404:
            self.errors.append(f"GET /churn/{n} after delete -> {status}")
        self.cycles += 1

    def _loop(self) -> None:
        admin = http.client.HTTPConnection("127.0.0.1", self.server.admin_port, timeout=10)
        mocks = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        self._t0 = time.monotonic()
        next_at = self._t0
        while not self._stop.is_set():
            try:
                self._cycle(admin, mocks)
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")
                admin.close()
                mocks.close()
            next_at += 1 / self.rate
            self._stop.wait(max(0.0, next_at - time.monotonic()))
        admin.close()
        mocks.close()

    def start(self) -> None:
        self._thread.start()

    def pids(self) -> list[int]:
        return []

    def stop(self) -> dict[str, Any]:
        self._stop.set()
        self._thread.join()
        elapsed = max(1e-9, time.monotonic() - self._t0)

        def p(values: list[float], q: int) -> float | None:
            return round(statistics.quantiles(values, n=100)[q - 1], 2) if len(values) >= 2 else None

        return {
            "churn_cycles": self.cycles,
            "churn_cycles_per_s": round(self.cycles / elapsed, 1),
            "admin_errors": len(self.errors),
            "admin_error_samples": self.errors[:5],
            "create_p50_ms": p(self.create_ms, 50),
            "create_p99_ms": p(self.create_ms, 99),
            "delete_p50_ms": p(self.delete_ms, 50),
            "delete_p99_ms": p(self.delete_ms, 99),
        }


def run(ctx: Context) -> dict[str, Any]:
    ctx.need("admin_mocks")
    srv = ctx.mockd("mockd-admin", fixtures.one_mock(ctx.mocks))
    w = Workload(fixtures.HIT_PATH)
    ids = iter(range(1, 10**9, 100_000))  # each run's churn mocks get fresh ids

    subjects = [
        Subject("alone", "static mock alone", srv, w),
        Subject(
            "with-churn",
            f"static mock, admin create+delete at {ctx.admin_rate:g}/s",
            srv,
            w,
            background=lambda: AdminChurn(srv, ctx.admin_rate, next(ids)),
        ),
    ]
    body = fixtures.body(fixtures.mid(ctx.mocks - 1)).encode()
    check_all(subjects, 200, body, strict={"alone", "with-churn"})
    comparisons = [
        Comparison("churn/alone", "throughput during admin churn ÷ alone", "with-churn", "alone"),
        Comparison("churn/alone p99", "p99 during admin churn ÷ alone", "with-churn", "alone", "p99_ms"),
    ]
    out = timed(ctx.settings, subjects, comparisons)
    churn = [r["extra"] for r in out["runs"] if r["subject"] == "with-churn"]
    out["checks"] = {
        "churn_runs": churn,
        "admin_errors": sum(c["admin_errors"] for c in churn),
        "mock_port_errors_during_churn": sum(
            r["socket_errors"] + r["non_2xx"] for r in out["runs"] if r["subject"] == "with-churn"
        ),
    }
    return out
