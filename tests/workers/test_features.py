"""Other features through workers: `--watch` reloads reach every worker, /metrics counts every worker's
requests."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import requests

from tests.harness import MockdProcess
from tests.workers.conftest import THREADS, config, fresh_get, in_threads, poll


def test_a_watch_reload_reaches_every_worker(start: Callable[..., MockdProcess], tmp_path: Path):
    proc = start("--watch")
    path = tmp_path / "mocks.json"
    changed = config()
    hello = next(m for m in changed["mocks"] if m.get("id") == "hello")
    hello["http"]["response"]["body"] = "reloaded"
    path.write_text(json.dumps(changed, indent=2))

    def everyone_sees_it() -> bool:
        bodies = in_threads(lambda s, i: [fresh_get(proc.url + "/hello").text for _ in range(5)])
        return {b for bs in bodies for b in bs} == {"reloaded"}

    poll(everyone_sees_it, "the reloaded mock in every worker")


def test_metrics_count_every_workers_requests(server: MockdProcess):
    def total() -> int:
        text = requests.get(server.admin + "/metrics", timeout=10).text
        found = re.search(
            r'mockd_requests_total\{method="GET",path="/echo/metrics",status="200"\} (\d+)', text
        )
        return int(found.group(1)) if found else 0

    before = total()
    in_threads(lambda s, i: [s.get(server.url + "/echo/metrics", timeout=10) for _ in range(25)])
    assert total() == before + THREADS * 25


def test_relayed_replies_carry_cors_headers_once(server: MockdProcess):
    origin = "http://localhost:3000"
    for reply in (
        requests.get(server.url + "/api/users", headers={"Origin": origin}, timeout=10),  # relayed
        requests.get(server.url + "/hello", headers={"Origin": origin}, timeout=10),  # answered by a worker
    ):
        assert reply.status_code == 200
        assert reply.headers["access-control-allow-origin"] == origin  # a repeated header would read "a, a"
