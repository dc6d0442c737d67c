"""Helpers shared by the scenarios: answer checks before timing, and the shape of a scenario's result."""

from __future__ import annotations

from typing import Any

from mockbench import measure
from mockbench.measure import Comparison, Run, Subject
from mockbench.servers import http_call
from mockbench.wrk import Workload


def request_of(w: Workload) -> tuple[str, str, bytes | None, dict[str, str]]:
    path = w.paths[0] if w.paths else w.path
    return w.method, path, (w.body.encode() if w.body is not None else None), dict(w.headers)


def check(subject: Subject, status: int, body: bytes | None) -> str | None:
    """None if the subject answers its workload's request as expected; else what it answered.

    A benchmark of a server that answers the wrong thing (a 404, another mock) measures nothing."""
    method, path, data, headers = request_of(subject.workload)
    reply = http_call(subject.server.port, path, method, data, headers)
    if reply.status != status or (body is not None and reply.body.strip() != body):
        return f"{subject.key}: {method} {path} -> {reply.status} {reply.body[:120]!r}"
    return None


def check_all(subjects: list[Subject], status: int, body: bytes | None, *, strict: set[str]) -> list[str]:
    """Raise if a subject in `strict` (ours and the baselines) answers wrongly; return peers' problems."""
    problems = []
    for s in subjects:
        problem = check(s, status, body if s.key in strict else None)
        if problem and s.key in strict:
            raise RuntimeError("wrong answer before timing: " + problem)
        if problem:
            problems.append(problem)
    return problems


def timed(
    ctx_settings: measure.Settings, subjects: list[Subject], comparisons: list[Comparison], **extra: Any
) -> dict[str, Any]:
    runs = measure.interleave(ctx_settings, subjects)
    return result(ctx_settings, subjects, comparisons, runs, **extra)


def result(
    s: measure.Settings, subjects: list[Subject], comparisons: list[Comparison], runs: list[Run], **extra: Any
) -> dict[str, Any]:
    summary = measure.summarise(runs, s.runs)
    for subj in subjects:
        if subj.key in summary:
            summary[subj.key]["label"] = subj.label
    return {
        "subjects": summary,
        "comparisons": [measure.compare(c, runs, s.runs) for c in comparisons],
        "runs": measure.runs_json(runs),
        **extra,
    }
