"""Render one run's JSON document as the markdown report (header, methodology, targets, scenarios)."""

from __future__ import annotations

import json
import statistics
from typing import Any

METHODOLOGY = """\
Every server runs on 127.0.0.1 on this machine, one at a time under load from `wrk` on the same cores.
Each timed scenario runs a primer and a warm-up per subject (not recorded), then rounds in which every
subject is measured once, interleaved, the order turned around every other round (A B C, C B A, ...). A
compared figure is the **median of the per-round ratios** (A and B measured seconds apart share the
machine's state), shown with its min-max spread over the rounds used. Each run records CPU steal and the
CPU used by processes outside the benchmark (/proc/stat minus the server, wrk and the harness); a run with
steal > {steal}% or other processes > {foreign}% of the machine is flagged noisy. Medians and ratios use
the quiet rounds when at least 3 (or all, if fewer were asked) are quiet, else all rounds and the figure
is marked noisy; up to `--extra-rounds` rounds are added to reach enough quiet ones. Absolute req/s are
only comparable within this file.
Full method: `bench/README.md`."""


def _v(x: Any, fmt: str = "{}") -> str:
    return "—" if x is None else fmt.format(x)


def _header(doc: dict[str, Any]) -> list[str]:
    m, st = doc["machine"], doc["settings"]
    load = f"{m['load_average_at_start']} at start, {doc.get('load_average_at_end')} at end (1, 5, 15 min)"
    return [
        f"# mockd benchmark: {m['date']} on {m['host']} ({doc['mode']})",
        "",
        "| | |",
        "|---|---|",
        f"| Date | {m['date']} |",
        f"| CPU | {m['cpu']}, {m['cores']} cores |",
        f"| Kernel | {m['kernel']} |",
        f"| Python / Granian / rloop | {m['python']} / {m['granian']} / {m['rloop']} |",
        f"| mockd | {m['mockd']} (commit {m['mockd_commit']}) |",
        f"| wrk / nginx | {m['wrk']} / {m['nginx']} |",
        f"| Load average | {load} |",
        f"| Settings | wrk -t{st['threads']} -c{st['connections']} -d{st['duration_s']:g}s, "
        f"{st['runs']} rounds (+ up to {st['extra_rounds']} for quiet ones), primer {st['primer_s']:g} s, "
        f"warm-up {st['warmup_s']:g} s"
        + ("; **pinned**: servers on CPU 0, wrk on the others |" if st.get("pinned") else "; not pinned |"),
        f"| Peers | {', '.join(doc['peers']) or 'none'} |",
        f"| Command | `{doc['command']}` |",
        "",
        "## Methodology",
        "",
        METHODOLOGY.format(steal=doc["thresholds"]["steal_pct"], foreign=doc["thresholds"]["foreign_pct"]),
        "",
    ]


def _targets(rows: list[dict[str, Any]]) -> list[str]:
    out = [
        "## Design §3 targets",
        "",
        "| Target | Threshold | Figure (median) | Spread | n | Result | Note |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        status = r["status"]
        mark = {"met": "**met**", "missed": "**MISSED**"}.get(status, status)
        out.append(
            f"| {r['target']} | {r['threshold']} | {_v(r.get('figure'))} | {_v(r.get('spread'))} | "
            f"{_v(r.get('n'))} | {mark} | {r.get('note', '')} |"
        )
    return [*out, ""]


def _throughput_tables(s: dict[str, Any]) -> list[str]:
    out = [
        "| Subject | req/s (median) | min-max | p99 ms | p99 min-max | server CPU µs/req | server RSS MiB, "
        "first → last run | errors / non-2xx | noisy runs |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, v in s["subjects"].items():
        out.append(
            f"| {v.get('label', key)} (`{key}`) | {v['rps']:,} | "
            f"{v.get('rps_min', 0):,}-{v.get('rps_max', 0):,} | "
            f"{v['p99_ms']:.2f} | {v.get('p99_min_ms', 0):.2f}-{v.get('p99_max_ms', 0):.2f} | "
            f"{_v(v.get('server_cpu_us'), '{:.1f}')} | {v.get('rss_first_mib', 0):.0f} → "
            f"{v.get('rss_last_mib', 0):.0f} | {v['errors']} / {v['non_2xx']} | "
            f"{v['noisy_runs']}/{v['runs']} |"
        )
    if s.get("comparisons"):
        out += ["", "| Comparison | ratio (median) | min-max | rounds | note |", "|---|---|---|---|---|"]
        for c in s["comparisons"]:
            if c.get("ratio") is None:
                continue
            note = "noisy rounds included" if c.get("noisy") else ""
            out.append(
                f"| {c['label']} | **{c['ratio']:.3f}** | {c['min']:.3f}-{c['max']:.3f} | {c['n']} | {note} |"
            )
    return out


def _startup_table(s: dict[str, Any]) -> list[str]:
    out = [
        "| Case | first response (median) | min-max | RSS (median) | noisy runs |",
        "|---|---|---|---|---|",
    ]
    for key, v in s["subjects"].items():
        out.append(
            f"| {v['label']} (`{key}`) | {v['startup_ms']:.0f} ms | {v['startup_min_ms']:.0f}-"
            f"{v['startup_max_ms']:.0f} ms | {v['rss_mib']:.1f} MiB | {v['noisy_runs']}/{v['runs']} |"
        )
    return out


def _checks(s: dict[str, Any]) -> list[str]:
    checks = {
        k: v for k, v in s.get("checks", {}).items() if k not in ("rss_samples", "delayed_runs", "churn_runs")
    }
    if not checks:
        return []
    return ["", "Checks: `" + json.dumps(checks, separators=(", ", ": "))[:1500] + "`"]


def _scenario(s: dict[str, Any]) -> list[str]:
    out = [
        f"## Scenario {s['key']}: {s['title']}",
        "",
        f"{s['what']}. Status: **{s['status']}** ({s['seconds']} s).",
        "",
    ]
    if s["status"] != "ok":
        return out
    out += _startup_table(s) if s["key"] == "7" else _throughput_tables(s)
    out += _checks(s)
    for extra_key in ("delayed_runs", "churn_runs"):
        for i, row in enumerate(s.get("checks", {}).get(extra_key, [])):
            out.append(f"- round {i + 1}: `{json.dumps(row, separators=(', ', ': '))}`")
    return [*out, ""]


def _noise(doc: dict[str, Any]) -> list[str]:
    runs = [r for s in doc["scenarios"].values() if isinstance(s.get("runs"), list) for r in s["runs"]]
    if not runs:
        return []
    noisy = [r for r in runs if r.get("noisy")]
    return [
        "## Noise",
        "",
        f"{len(runs)} timed wrk runs, {len(noisy)} flagged noisy. Median steal "
        f"{statistics.median(r['steal_pct'] for r in runs):.2f}%, median CPU of other processes "
        f"{statistics.median(r['foreign_pct'] for r in runs):.0f}% of the machine; worst "
        f"{max(r['steal_pct'] for r in runs):.1f}% steal, {max(r['foreign_pct'] for r in runs):.0f}% other.",
        "",
    ]


def markdown(doc: dict[str, Any]) -> str:
    lines = _header(doc) + _targets(doc["targets"])
    for s in doc["scenarios"].values():
        lines += _scenario(s)
    lines += _noise(doc)
    if doc.get("closing_note"):
        lines += ["## Closing note", "", doc["closing_note"], ""]
    return "\n".join(lines)
