"""Scenario 11: chaos configured but not firing, against the same mock on a server without chaos.

Issue 15's target is >= 0.97x: with chaos enabled and a rule for another path, every request pays only the
rule lookup (the injector is consulted, decides "no fault", and the static bytes go out as before). Two
servers with the same mock, so this is the whole cost of having chaos on, measured end to end by wrk.
"""

from __future__ import annotations

from typing import Any

from mockbench import fixtures
from mockbench.context import Context
from mockbench.measure import Comparison, Subject
from mockbench.scenarios.common import check_all, timed
from mockbench.wrk import Workload

CHAOS = {
    "enabled": True,
    "seed": 1,
    "rules": [
        {
            "pathPattern": "^/elsewhere/",
            "probability": 1,
            "faults": [{"type": "error", "probability": 1, "config": {"statusCodes": [503]}}],
        }
    ],
}


def run(ctx: Context) -> dict[str, Any]:
    mocks = [fixtures.mock("static", fixtures.HIT_PATH)]
    plain = ctx.mockd("mockd-no-chaos", fixtures.collection(mocks))
    chaotic = ctx.mockd("mockd-chaos", fixtures.collection(mocks, serverConfig={"chaos": CHAOS}))
    w = Workload(fixtures.HIT_PATH)
    subjects = [
        Subject("plain", "one static mock, no chaos", plain, w),
        Subject("chaos", "same mock, chaos on with a rule for another path", chaotic, w),
    ]
    check_all(subjects, 200, fixtures.body("static").encode(), strict={"plain", "chaos"})
    comparisons = [
        Comparison("chaos/plain", "chaos on, not firing ÷ no chaos (throughput)", "chaos", "plain"),
        Comparison("chaos/plain p99", "chaos on, not firing ÷ no chaos (p99)", "chaos", "plain", "p99_ms"),
        Comparison(
            "chaos/plain cpu",
            "chaos on, not firing ÷ no chaos (server CPU per request)",
            "chaos",
            "plain",
            "server_cpu_us",
        ),
    ]
    return timed(ctx.settings, subjects, comparisons)
