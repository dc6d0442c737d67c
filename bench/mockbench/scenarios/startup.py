"""Scenario 7: time from spawning `mockd start` to the first served mock request, and RSS at that moment.

Cases run interleaved (1 mock from a config, from a plan, 10,000 from a config, from a plan, and the bare
Granian handler as the floor of this stack), `startup_reps` rounds after one unrecorded start of each case
(which writes the bytecode cache and warms the page cache: an installed wheel ships compiled bytecode), then
medians with min-max. The probe is a raw socket retried every 2 ms, so it adds at most a few milliseconds.
"""

from __future__ import annotations

import statistics
from typing import Any

from mockbench import fixtures, servers
from mockbench.context import Context
from mockbench.measure import FOREIGN_NOISY_PCT, STEAL_NOISY_PCT, log
from mockbench.servers import Server
from mockbench.system import TICK, CpuSample, cpu_ticks, self_cpu_ticks


def _cases(ctx: Context) -> list[tuple[str, str, Any]]:
    one = ctx.config("startup-1.json", fixtures.one_mock(ctx.mocks))
    cases: list[tuple[str, str, Any]] = [("one-config", "1 mock, from a config", {"config": one})]
    if ctx.smoke:
        return cases
    many_cfg, _ = fixtures.many_mocks(ctx.mocks)
    many = ctx.config(f"startup-{ctx.mocks}.json", many_cfg)
    cases += [
        ("one-plan", "1 mock, from a plan", {"plan": ctx.compile(one)}),
        ("many-config", f"{ctx.mocks} mocks, from a config", {"config": many}),
        ("many-plan", f"{ctx.mocks} mocks, from a plan", {"plan": ctx.compile(many)}),
        ("bare-granian", "bare Granian handler (floor)", {"bare": True}),
    ]
    for peer in ctx.peers:
        if peer.kind == "go-mockd":
            cases += [
                (f"{peer.name}-one", f"{peer.name}, 1 mock, from a config", {"go": (peer.value, one)}),
                (
                    f"{peer.name}-many",
                    f"{peer.name}, {ctx.mocks} mocks, from a config",
                    {"go": (peer.value, many)},
                ),
            ]
    return cases


def _server(ctx: Context, key: str, how: dict[str, Any]) -> Server:
    body = fixtures.body(fixtures.mid(ctx.mocks - 1)).encode()
    if "bare" in how:
        return servers.bare_granian(
            ctx.python, ctx.scratch, key, 200, [("content-type", fixtures.CONTENT_TYPE)], body
        )
    if "go" in how:
        binary, config = how["go"]
        return servers.go_mockd(binary, ctx.scratch, key, config, fixtures.HIT_PATH)
    return servers.mockd(ctx.python, ctx.scratch, key, ready_path=fixtures.HIT_PATH, **how)


def _once(ctx: Context, key: str, how: dict[str, Any]) -> dict[str, Any]:
    srv = _server(ctx, key, how)
    c0, me0 = CpuSample.read(), self_cpu_ticks()
    ctx.started.append(srv)
    srv.start()
    try:
        seconds = srv.wait_ready(60)
        rss = srv.rss_kib()
        ticks = cpu_ticks(srv.pids())
        c1, me1 = CpuSample.read(), self_cpu_ticks()
    finally:
        ctx.stop(srv)
    total = max(1, c1.total - c0.total)
    steal = 100 * (c1.steal - c0.steal) / total
    foreign_ticks = (c1.busy - c0.busy) - ticks - (me1 - me0)
    foreign = max(0.0, 100 * foreign_ticks / total)
    # A start-up lasts tens of milliseconds, a few clock ticks: one tick of someone else's CPU would be
    # "30 %", so it takes at least 3 ticks (30 ms of CPU) to call a start-up noisy.
    noisy = (steal > STEAL_NOISY_PCT and c1.steal - c0.steal >= 3) or (
        foreign > FOREIGN_NOISY_PCT and foreign_ticks >= 3
    )
    wall = max(1e-9, (c1.wall - c0.wall) * TICK)
    return {
        "ms": round(seconds * 1000, 1),
        "rss_mib": round((rss or 0) / 1024, 1),
        "cpu_pct": round(100 * ticks / wall),
        "steal_pct": round(steal, 1),
        "foreign_pct": round(foreign),
        "noisy": noisy,
    }


def run(ctx: Context) -> dict[str, Any]:
    cases = _cases(ctx)
    reps = 1 if ctx.smoke else ctx.startup_reps
    samples: dict[str, list[dict[str, Any]]] = {k: [] for k, _, _ in cases}
    log("  primer: one unrecorded start per case (bytecode cache, page cache)")
    for key, _, how in cases:
        _once(ctx, key, how)
    for rep in range(reps):
        log(f"  round {rep + 1}")
        for key, _, how in cases:
            r = _once(ctx, key, how)
            samples[key].append(r)
            flag = "  NOISY" if r["noisy"] else ""
            log(f"    {key:<24} {r['ms']:8.1f} ms to first response  RSS {r['rss_mib']:6.1f} MiB{flag}")
    subjects = {}
    for key, label, _ in cases:
        rows = samples[key]
        quiet = [r for r in rows if not r["noisy"]]
        used = quiet if len(quiet) >= min(3, reps) else rows
        subjects[key] = {
            "label": label,
            "startup_ms": statistics.median(r["ms"] for r in used),
            "startup_min_ms": min(r["ms"] for r in used),
            "startup_max_ms": max(r["ms"] for r in used),
            "rss_mib": statistics.median(r["rss_mib"] for r in used),
            "runs": len(rows),
            "noisy_runs": sum(r["noisy"] for r in rows),
        }
    return {"subjects": subjects, "comparisons": [], "runs": samples}
