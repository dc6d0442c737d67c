"""Design §3 targets, each judged met or missed from the figures of this run (or "not measured", with why)."""

from __future__ import annotations

from typing import Any

Row = dict[str, Any]


def _cmp(results: dict[str, Any], scenario: str, key: str) -> dict[str, Any] | None:
    s = results.get(scenario)
    if not s or s.get("status") != "ok":
        return None
    return next((c for c in s.get("comparisons", []) if c["key"] == key and c.get("ratio") is not None), None)


def _not_measured(results: dict[str, Any], scenario: str) -> str:
    s = results.get(scenario)
    if s is None:
        return f"not measured: scenario {scenario} not selected"
    return f"not measured: scenario {scenario} {s.get('status', '')}".rstrip()


def _ratio_row(target: str, threshold: str, c: dict[str, Any] | None, ok: Any, missing: str) -> Row:
    if c is None:
        return {"target": target, "threshold": threshold, "figure": None, "status": missing}
    met = ok(c["ratio"])
    notes = []
    if ok(c["min"]) != ok(c["max"]):
        notes.append("spread crosses the threshold")
    if c.get("noisy"):
        notes.append("too few quiet rounds: noisy runs included")
    return {
        "target": target,
        "threshold": threshold,
        "figure": f"{c['ratio']:.3f}x",
        "spread": f"{c['min']:.3f}-{c['max']:.3f}",
        "n": c["n"],
        "status": "met" if met else "missed",
        "note": "; ".join(notes),
    }


def judge(results: dict[str, Any], go_peers: list[str]) -> list[Row]:
    rows: list[Row] = []
    rows.append(
        _ratio_row(
            "Throughput of one static mock vs a bare Granian RSGI handler",
            ">= 0.90x",
            _cmp(results, "1", "mockd/granian"),
            lambda r: r >= 0.9,
            _not_measured(results, "1"),
        )
    )
    if go_peers:
        for name in go_peers:
            rows.append(
                _ratio_row(
                    f"Throughput of one static mock vs Go mockd ({name})",
                    "> 1.00x (ahead)",
                    _cmp(results, "1", f"mockd/{name}"),
                    lambda r: r > 1.0,
                    _not_measured(results, "1"),
                )
            )
    else:
        rows.append(
            {
                "target": "Throughput of one static mock vs Go mockd",
                "threshold": "> 1.00x (ahead)",
                "figure": None,
                "status": "not measured: no Go mockd binary given (--go-mockd PATH)",
            }
        )
    rows.append(
        _ratio_row(
            "10,000 mocks (hit the last-defined) vs one mock",
            ">= 0.95x",
            _cmp(results, "2", "many/one last"),
            lambda r: r >= 0.95,
            _not_measured(results, "2"),
        )
    )
    rows.append(
        _ratio_row(
            "p99 latency at 64 connections vs the bare Granian handler",
            "<= 1.50x",
            _cmp(results, "1", "mockd/granian p99"),
            lambda r: r <= 1.5,
            _not_measured(results, "1"),
        )
    )
    rows.append(
        _ratio_row(
            "An imported OpenAPI route vs a hand-written static mock (issue 13)",
            ">= 0.95x",
            _cmp(results, "10", "imported/static"),
            lambda r: r >= 0.95,
            _not_measured(results, "10"),
        )
    )
    rows.append(
        _ratio_row(
            "Chaos on but not firing vs no chaos (issue 15)",
            ">= 0.97x",
            _cmp(results, "11", "chaos/plain"),
            lambda r: r >= 0.97,
            _not_measured(results, "11"),
        )
    )
    rows.append(
        _ratio_row(
            "A static mock with one of each protocol mock loaded vs without (issue 16)",
            ">= 0.98x",
            _cmp(results, "12", "loaded/plain"),
            lambda r: r >= 0.98,
            _not_measured(results, "12"),
        )
    )
    rows += _verification(results)
    rows += _startup(results)
    return rows


def _verification(results: dict[str, Any]) -> list[Row]:
    s = results.get("5")
    target_c = "Exact verification count after 1,000,000 requests"
    target_m = "Flat memory during those requests (request log bounded in bytes)"
    if not s or s.get("status") != "ok":
        why = _not_measured(results, "5")
        return [
            {"target": target_c, "threshold": "exact", "figure": None, "status": why},
            {"target": target_m, "threshold": "flat", "figure": None, "status": why},
        ]
    c = s["checks"]
    rss = c["rss"]
    count_note = "" if c["quota_reached"] else "the run ended before the quota was sent"
    return [
        {
            "target": target_c,
            "threshold": f"callCount == {c['expected_count']}",
            "figure": f"callCount {c['call_count']}, verify exactly -> passed={c['verify_exactly_passed']}",
            "status": "met" if c["exact"] else "missed",
            "note": count_note,
        },
        {
            "target": target_m,
            "threshold": f"growth <= {rss['allowed_growth_mib']} MiB",
            "figure": f"{rss['first_tenth_mib']} -> {rss['last_tenth_mib']} MiB (max {rss['max_mib']})",
            "status": "met" if rss["flat"] else "missed",
            "note": f"{rss['samples']} samples",
        },
    ]


def _startup(results: dict[str, Any]) -> list[Row]:
    s = results.get("7")
    rows = []
    for key, target, limit in (
        ("one-config", "Start-up to first served request, 1 mock (from a config)", 300),
        ("many-plan", "Start-up to first served request, 10,000 mocks from a plan", 1000),
    ):
        sub = (s or {}).get("subjects", {}).get(key) if s and s.get("status") == "ok" else None
        if sub is None:
            rows.append(
                {
                    "target": target,
                    "threshold": f"< {limit} ms",
                    "figure": None,
                    "status": _not_measured(results, "7")
                    if not s or s.get("status") != "ok"
                    else "not measured: case not run (smoke)",
                }
            )
            continue
        ms = sub["startup_ms"]
        note = ""
        if (sub["startup_min_ms"] < limit) != (sub["startup_max_ms"] < limit):
            note = "spread crosses the threshold"
        rows.append(
            {
                "target": target,
                "threshold": f"< {limit} ms",
                "figure": f"{ms:.0f} ms",
                "spread": f"{sub['startup_min_ms']:.0f}-{sub['startup_max_ms']:.0f} ms",
                "n": sub["runs"],
                "status": "met" if ms < limit else "missed",
                "note": note,
            }
        )
    return rows
