"""Interleaved measurement: primer, warm-up, then rounds of A B C ... with CPU accounting per run.

A figure that is compared is the median of per-round ratios: A and B measured seconds apart share the
machine's state at that moment, which is what makes a ratio usable on a noisy shared box. Each run records
CPU steal and the CPU used by processes that are not part of the benchmark ("foreign"); a run over either
threshold is flagged noisy, and a comparison is taken over its quiet rounds when it has enough of them.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from mockbench import wrk
from mockbench.servers import Server
from mockbench.system import TICK, CpuSample, children_cpu_ticks, cpu_ticks, self_cpu_ticks

STEAL_NOISY_PCT = 2.0  # of the machine's CPU time during the run
FOREIGN_NOISY_PCT = 10.0  # of the machine's CPU time (both cores) used by processes outside the benchmark


class Background(Protocol):
    """Load that runs around a measured run (1,000 delayed requests, admin churn)."""

    def start(self) -> None: ...
    def pids(self) -> list[int]: ...
    def stop(self) -> dict[str, Any]: ...


@dataclass
class Subject:
    key: str
    label: str
    server: Server
    workload: wrk.Workload
    background: Callable[[], Background] | None = None
    after: Callable[[], dict[str, Any]] | None = None  # runs after every wrk run (e.g. reset created items)


@dataclass
class Run:
    subject: str
    round: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    p999_ms: float
    max_ms: float
    requests: int
    socket_errors: int
    non_2xx: int
    steal_pct: float
    foreign_pct: float
    idle_pct: float  # of the machine: near 0 means the two cores were saturated (the usual case)
    server_cpu_pct: float  # of one core
    server_cpu_us: float  # server CPU per request: less sensitive than req/s to other processes' load
    wrk_cpu_pct: float  # of one core
    rss_kib: int | None
    noisy: bool
    noise: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Comparison:
    key: str
    label: str
    numerator: str
    denominator: str
    metric: str = "rps"  # or "p99_ms", "server_cpu_us"


@dataclass
class Settings:
    wrk: str
    threads: int
    connections: int
    duration_s: float
    primer_s: float
    warmup_s: float
    runs: int
    extra_rounds: int
    scratch: Path


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _wrk_argv(s: Settings, subject: Subject, duration_s: float) -> list[str]:
    """The same load for warm-up and measured runs; only the duration differs."""
    return wrk.command(
        s.wrk,
        subject.server.port,
        subject.workload,
        threads=s.threads,
        connections=s.connections,
        duration_s=duration_s,
        script_path=s.scratch / f"wrk-{subject.key}.lua",
    )


def measure(s: Settings, subject: Subject, round_no: int, duration_s: float | None = None) -> Run:
    """One wrk run against `subject`, with the machine's CPU accounted for around it."""
    bg = subject.background() if subject.background else None
    if bg is not None:
        bg.start()
    try:
        server_pids = subject.server.pids()
        extra_pids = bg.pids() if bg else []
        argv = _wrk_argv(s, subject, duration_s or s.duration_s)
        c0, srv0, bg0 = CpuSample.read(), cpu_ticks(server_pids), cpu_ticks(extra_pids)
        ch0, me0 = children_cpu_ticks(), self_cpu_ticks()
        result = wrk.finish(wrk.start(argv))
        c1, srv1, bg1 = CpuSample.read(), cpu_ticks(server_pids), cpu_ticks(extra_pids)
        ch1, me1 = children_cpu_ticks(), self_cpu_ticks()
    finally:
        extra = bg.stop() if bg is not None else {}
        if subject.after is not None:
            extra.update(subject.after())
    total = max(1, c1.total - c0.total)
    wall_ticks = max(1e-9, (c1.wall - c0.wall) * TICK)
    ours = (srv1 - srv0) + (bg1 - bg0) + (ch1 - ch0) + (me1 - me0)
    steal = 100 * (c1.steal - c0.steal) / total
    foreign = max(0.0, 100 * ((c1.busy - c0.busy) - ours) / total)
    reasons = []
    if steal > STEAL_NOISY_PCT:
        reasons.append(f"steal {steal:.1f}%")
    if foreign > FOREIGN_NOISY_PCT:
        reasons.append(f"other processes {foreign:.0f}% CPU")
    run = Run(
        subject=subject.key,
        round=round_no,
        rps=result.rps,
        p50_ms=result.p50_ms,
        p90_ms=result.p90_ms,
        p99_ms=result.p99_ms,
        p999_ms=result.p999_ms,
        max_ms=result.max_ms,
        requests=result.requests,
        socket_errors=result.errors,
        non_2xx=result.non_2xx,
        steal_pct=round(steal, 2),
        foreign_pct=round(foreign, 1),
        idle_pct=round(
            100
            * (total - (c1.busy - c0.busy) - (c1.interrupts - c0.interrupts) - (c1.steal - c0.steal))
            / total,
            1,
        ),
        server_cpu_pct=round(100 * (srv1 - srv0) / wall_ticks, 1),
        server_cpu_us=round(1e6 * (srv1 - srv0) / TICK / max(1, result.requests), 2),
        wrk_cpu_pct=round(100 * (ch1 - ch0) / wall_ticks, 1),
        rss_kib=subject.server.rss_kib(),
        noisy=bool(reasons),
        noise=", ".join(reasons),
        extra=extra,
    )
    flag = f"  NOISY ({run.noise})" if run.noisy else ""
    log(
        f"    {subject.key:<24} {run.rps:>9.0f} req/s  p99 {run.p99_ms:6.2f} ms  steal {steal:4.1f}%  "
        f"other {foreign:3.0f}%{flag}"
    )
    return run


def warm(s: Settings, subjects: list[Subject]) -> None:
    """Primer (first connections, lazy imports, caches), then warm-up; neither is recorded."""
    for subject in subjects:
        for d in (s.primer_s, s.warmup_s):
            if d > 0:
                wrk.finish(wrk.start(_wrk_argv(s, subject, d)))
                if subject.after is not None:
                    subject.after()


def interleave(s: Settings, subjects: list[Subject]) -> list[Run]:
    """Rounds of one run per subject, the order turned around every other round (A B C, C B A, ...), so a
    subject is not always measured right after the same other one and a position effect cannot land on
    every round of one ratio. If fewer than `runs` rounds were quiet, up to
    `extra_rounds` more are added, so a burst of someone else's build does not decide the figure."""
    warm(s, subjects)
    runs: list[Run] = []
    rounds = quiet = 0
    while rounds < s.runs or (quiet < s.runs and rounds < s.runs + s.extra_rounds):
        log(f"  round {rounds + 1}")
        batch = []
        for subject in subjects if rounds % 2 == 0 else reversed(subjects):
            batch.append(measure(s, subject, rounds))
            time.sleep(0.5)  # let sockets drain between runs
        runs += batch
        quiet += not any(r.noisy for r in batch)
        rounds += 1
    return runs


def _pick(pairs: list[tuple[Run, Run]], wanted: int) -> tuple[list[tuple[Run, Run]], bool]:
    quiet = [p for p in pairs if not p[0].noisy and not p[1].noisy]
    if len(quiet) >= min(3, wanted):
        return quiet, False
    return pairs, any(a.noisy or b.noisy for a, b in pairs)


def compare(c: Comparison, runs: list[Run], wanted: int) -> dict[str, Any]:
    by_round: dict[int, dict[str, Run]] = {}
    for r in runs:
        by_round.setdefault(r.round, {})[r.subject] = r
    pairs = [
        (v[c.numerator], v[c.denominator])
        for v in by_round.values()
        if c.numerator in v and c.denominator in v
    ]
    if not pairs:
        return {"key": c.key, "label": c.label, "metric": c.metric, "ratio": None}
    used, noisy = _pick(pairs, wanted)
    ratios = [getattr(a, c.metric) / getattr(b, c.metric) for a, b in used if getattr(b, c.metric)]
    return {
        "key": c.key,
        "label": c.label,
        "metric": c.metric,
        "numerator": c.numerator,
        "denominator": c.denominator,
        "ratio": round(statistics.median(ratios), 3),
        "min": round(min(ratios), 3),
        "max": round(max(ratios), 3),
        "n": len(ratios),
        "rounds_used": [a.round for a, _ in used],
        "noisy": noisy,
    }


def summarise(runs: list[Run], wanted: int) -> dict[str, dict[str, Any]]:
    """Per subject: medians (of quiet runs when there are enough) and min-max of throughput and p99."""
    out: dict[str, dict[str, Any]] = {}
    for key in dict.fromkeys(r.subject for r in runs):
        mine = [r for r in runs if r.subject == key]
        quiet = [r for r in mine if not r.noisy]
        used = quiet if len(quiet) >= min(3, wanted) else mine
        out[key] = {
            "rps": round(statistics.median(r.rps for r in used)),
            "rps_min": round(min(r.rps for r in used)),
            "rps_max": round(max(r.rps for r in used)),
            "p50_ms": round(statistics.median(r.p50_ms for r in used), 3),
            "p99_ms": round(statistics.median(r.p99_ms for r in used), 3),
            "p99_min_ms": round(min(r.p99_ms for r in used), 3),
            "p99_max_ms": round(max(r.p99_ms for r in used), 3),
            "server_cpu_us": round(statistics.median(r.server_cpu_us for r in used), 2),
            # RSS after the first and the last run of this subject: a leak shows as a climb across rounds.
            "rss_first_mib": round((mine[0].rss_kib or 0) / 1024, 1),
            "rss_last_mib": round((mine[-1].rss_kib or 0) / 1024, 1),
            "errors": sum(r.socket_errors for r in mine),
            "non_2xx": sum(r.non_2xx for r in mine),
            "rss_kib": max((r.rss_kib or 0) for r in mine) or None,
            "runs": len(mine),
            "noisy_runs": sum(r.noisy for r in mine),
        }
    return out


def runs_json(runs: list[Run]) -> list[dict[str, Any]]:
    return [{k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(r).items()} for r in runs]
