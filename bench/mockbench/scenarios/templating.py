"""Scenario 9: a templated response (path param + uuid) against a static one on the same server.

Issue 5 asks for this ratio: templates are parsed once when the mock is compiled and rendered per request,
while a mock without `{{` keeps the pre-encoded static path. Both mocks sit on one server, so the ratio is
the render's cost alone.
"""

from __future__ import annotations

import json
from typing import Any

from mockbench import fixtures
from mockbench.context import Context
from mockbench.measure import Comparison, Subject
from mockbench.scenarios.common import check, check_all, timed
from mockbench.wrk import Workload

TEMPLATED_PATH = "/api/users/42"


def config() -> dict[str, Any]:
    templated = fixtures.mock("templated", "/api/users/{id}")
    templated["http"]["response"]["body"] = '{"id":"{{request.pathParam.id}}","trace":"{{uuid}}"}'
    return fixtures.collection([fixtures.mock("static", fixtures.HIT_PATH), templated])


def run(ctx: Context) -> dict[str, Any]:
    srv = ctx.mockd("mockd-templating", config())
    subjects = [
        Subject("static", "static mock (pre-encoded bytes)", srv, Workload(fixtures.HIT_PATH)),
        Subject("templated", "path param + uuid template", srv, Workload(TEMPLATED_PATH)),
    ]
    check_all(subjects[:1], 200, fixtures.body("static").encode(), strict={"static"})
    problem = check(subjects[1], 200, None)
    if problem:
        raise RuntimeError("wrong answer before timing: " + problem)
    sample = json.loads(ctx_get(srv.port, TEMPLATED_PATH))
    if sample.get("id") != "42" or len(sample.get("trace", "")) != 36:
        raise RuntimeError(f"the template did not render: {sample}")
    comparisons = [
        Comparison("templated/static", "templated ÷ static (throughput)", "templated", "static"),
        Comparison("templated/static p99", "templated ÷ static (p99)", "templated", "static", "p99_ms"),
        Comparison(
            "templated/static cpu",
            "templated ÷ static (server CPU per request)",
            "templated",
            "static",
            "server_cpu_us",
        ),
    ]
    return timed(ctx.settings, subjects, comparisons, checks={"sample": sample})


def ctx_get(port: int, path: str) -> bytes:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().read()
    finally:
        conn.close()
