"""Scenario 6: 1,000 requests in flight on a `delayMs: 2000` mock while another mock keeps its throughput.

The delayed load is a second wrk (1 thread, 1,000 connections, 10 s timeout) started a few seconds before the
measured run so that all 1,000 are in flight when it begins, and still running when it ends.
"""

from __future__ import annotations

import subprocess
import time
from typing import Any

from mockbench import fixtures, wrk
from mockbench.context import Context
from mockbench.measure import Comparison, Settings, Subject
from mockbench.scenarios.common import check_all, timed
from mockbench.servers import Server
from mockbench.wrk import Workload

DELAY_MS = 2000
SETTLE_S = 3.0  # > the delay, so every connection has sent its first request before the measured run


def established(port: int) -> int:
    """Connections ESTABLISHED to `port` on the server side, from /proc/net/tcp (state 01)."""
    count = 0
    hexport = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if parts[1].endswith(hexport) and parts[3] == "01":
                        count += 1
        except OSError:
            continue
    return count


class DelayedLoad:
    def __init__(self, s: Settings, server: Server, inflight: int) -> None:
        self.s, self.server, self.inflight = s, server, inflight
        self.proc: subprocess.Popen | None = None
        self.connected = 0

    def start(self) -> None:
        w = Workload(fixtures.SLOW_PATH, connections=self.inflight, threads=1, timeout_s=10)
        argv = wrk.command(
            self.s.wrk,
            self.server.port,
            w,
            threads=1,
            connections=self.inflight,
            duration_s=SETTLE_S + self.s.duration_s + 2,
            script_path=self.s.scratch / "wrk-slow.lua",
        )
        self.proc = wrk.start(argv)
        time.sleep(SETTLE_S)
        self.connected = established(self.server.port)

    def pids(self) -> list[int]:
        return [self.proc.pid] if self.proc else []

    def stop(self) -> dict[str, Any]:
        assert self.proc is not None
        r = wrk.finish(self.proc)
        return {
            "delayed_requests": r.requests,
            "delayed_p50_ms": round(r.p50_ms, 1),
            "delayed_p99_ms": round(r.p99_ms, 1),
            "delayed_max_ms": round(r.max_ms, 1),
            "delayed_errors": r.errors,
            "delayed_non_2xx": r.non_2xx,
            "connections_at_start": self.connected,
            # Little's law: requests in flight = completion rate x time each spends in the system.
            "inflight_littles_law": round(r.rps * r.mean_ms / 1000),
        }


def run(ctx: Context) -> dict[str, Any]:
    s = ctx.settings
    srv = ctx.mockd("mockd-delays", fixtures.delays(DELAY_MS))
    w = Workload(fixtures.HIT_PATH)
    subjects = [
        Subject("alone", "static mock alone", srv, w),
        Subject(
            "with-delayed",
            f"static mock, {ctx.delayed_inflight} delayed requests in flight",
            srv,
            w,
            background=lambda: DelayedLoad(s, srv, ctx.delayed_inflight),
        ),
    ]
    check_all(subjects, 200, fixtures.body("static").encode(), strict={"alone", "with-delayed"})
    comparisons = [
        Comparison(
            "delayed/alone", "throughput with 1,000 delayed in flight ÷ alone", "with-delayed", "alone"
        ),
        Comparison(
            "delayed/alone p99", "p99 with 1,000 delayed in flight ÷ alone", "with-delayed", "alone", "p99_ms"
        ),
    ]
    out = timed(s, subjects, comparisons)
    delayed = [r["extra"] for r in out["runs"] if r["subject"] == "with-delayed"]
    out["checks"] = {
        "delay_ms": DELAY_MS,
        "delayed_runs": delayed,
        "delays_honoured": all(DELAY_MS <= d["delayed_p50_ms"] <= DELAY_MS * 1.1 for d in delayed),
        "no_delayed_errors": all(d["delayed_errors"] == 0 and d["delayed_non_2xx"] == 0 for d in delayed),
    }
    return out
