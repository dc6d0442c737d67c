"""Scenario 5: one million requests to one mock, then its counter must be exact; RSS sampled throughout.

wrk cannot stop after N requests, so its script sends the counted path exactly `quota` times per thread and
then switches to another mock until the run ends. Every counted request was therefore answered before the run
ended (a connection only sends its next request after the previous response), unless wrk reports a socket
error, which the check requires to be zero. The server's count must then equal threads x quota exactly.
"""

from __future__ import annotations

import json
import math
import statistics
import threading
import time
from typing import Any

from mockbench import fixtures, measure
from mockbench.context import Context
from mockbench.measure import Subject
from mockbench.servers import Server, http_call
from mockbench.wrk import Workload

FLAT_MIB = 4.0  # RSS may grow this much from the first to the last tenth of the run ...
FLAT_PCT = 5.0  # ... or this share of the starting RSS, whichever is larger, and still count as flat


class RssSampler:
    def __init__(self, server: Server, every_s: float = 0.25) -> None:
        self.server, self.every = server, every_s
        self.samples: list[tuple[float, int]] = []  # (seconds, KiB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        t0 = time.monotonic()
        while not self._stop.is_set():
            rss = self.server.rss_kib()
            if rss is not None:
                self.samples.append((round(time.monotonic() - t0, 2), rss))
            self._stop.wait(self.every)

    def start(self) -> None:
        self._thread.start()

    def pids(self) -> list[int]:
        return []

    def stop(self) -> dict[str, Any]:
        self._stop.set()
        self._thread.join()
        return {}


def flatness(samples: list[tuple[float, int]]) -> dict[str, Any]:
    values = [kib for _, kib in samples]
    tenth = max(1, len(values) // 10)
    first, last = statistics.median(values[:tenth]), statistics.median(values[-tenth:])
    growth = (last - first) / 1024
    allowed = max(FLAT_MIB, first / 1024 * FLAT_PCT / 100)
    return {
        "samples": len(values),
        "first_tenth_mib": round(first / 1024, 1),
        "last_tenth_mib": round(last / 1024, 1),
        "max_mib": round(max(values) / 1024, 1),
        "growth_mib": round(growth, 2),
        "allowed_growth_mib": round(allowed, 1),
        "flat": growth <= allowed,
    }


def run(ctx: Context) -> dict[str, Any]:
    ctx.need("verify")
    s = ctx.settings
    srv = ctx.mockd("mockd-verify", fixtures.verification())
    assert srv.admin_port is not None
    overflow = Subject("static", "static mock (primer, overflow)", srv, Workload(fixtures.HIT_PATH))
    measure.warm(s, [overflow])  # fills the request log to its bound before the RSS baseline
    rate = measure.measure(s, overflow, -1, duration_s=max(2.0, min(5.0, s.duration_s))).rps
    threads = s.threads
    quota = math.ceil(ctx.verify_requests / threads)
    expected = quota * threads
    duration = min(900.0, 1.5 * expected / max(rate, 1.0) + 5)
    measure.log(f"  {expected} counted requests at ~{rate:.0f} req/s: a {duration:.0f} s wrk run")
    sampler = RssSampler(srv)
    counted = Subject(
        "counted",
        f"{expected} requests to one mock, then overflow",
        srv,
        Workload(fixtures.COUNTED_PATH, quota=quota, overflow_path=fixtures.HIT_PATH),
        background=lambda: sampler,
    )
    run_ = measure.measure(s, counted, 0, duration_s=duration)
    got = http_call(srv.admin_port, f"/mocks/{fixtures.COUNTED_ID}/verify")
    call_count = json.loads(got.body).get("callCount") if got.status == 200 else None
    post = http_call(
        srv.admin_port,
        f"/mocks/{fixtures.COUNTED_ID}/verify",
        "POST",
        json.dumps({"exactly": expected}).encode(),
        {"Content-Type": "application/json"},
    )
    passed = json.loads(post.body).get("passed") if post.status == 200 else None
    enough = run_.requests >= expected
    rss = flatness(sampler.samples)
    return {
        "subjects": {"counted": {"label": counted.label, **measure.summarise([run_], 1)["counted"]}},
        "comparisons": [],
        "runs": measure.runs_json([run_]),
        "checks": {
            "expected_count": expected,
            "wrk_requests": run_.requests,
            "quota_reached": enough,
            "socket_errors": run_.socket_errors,
            "non_2xx": run_.non_2xx,
            "verify_get_status": got.status,
            "call_count": call_count,
            "verify_post_status": post.status,
            "verify_exactly_passed": passed,
            "exact": bool(enough and run_.socket_errors == 0 and call_count == expected and passed is True),
            "rss": rss,
            "rss_samples": sampler.samples[:: max(1, len(sampler.samples) // 60)],
            "peak_rss_mib": round((srv.peak_rss_kib() or 0) / 1024, 1),
        },
    }
