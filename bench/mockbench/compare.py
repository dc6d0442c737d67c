"""Compare two results files (e.g. two commits): which ratios moved by more than a threshold.

Only ratios are compared, never absolute req/s: two runs at different times see different machines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _ratios(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for key, s in doc.get("scenarios", {}).items():
        for c in s.get("comparisons", []) or []:
            if c.get("ratio") is not None:
                out[(key, c["key"])] = c
    return out


def compare(old_path: Path, new_path: Path, threshold_pct: float) -> tuple[list[str], int]:
    """Markdown lines, and how many ratios moved by more than `threshold_pct` percent."""
    old, new = json.loads(old_path.read_text()), json.loads(new_path.read_text())
    a, b = _ratios(old), _ratios(new)
    lines = [
        f"Ratios: {old_path.name} ({old['machine'].get('mockd_commit')}) -> {new_path.name} "
        f"({new['machine'].get('mockd_commit')}), threshold {threshold_pct:g}%",
        "",
        "| Scenario | Comparison | old | new | change | flag |",
        "|---|---|---|---|---|---|",
    ]
    flagged = 0
    for key in sorted(set(a) & set(b)):
        r0, r1 = a[key]["ratio"], b[key]["ratio"]
        change = 100 * (r1 - r0) / r0 if r0 else 0.0
        overlap = not (b[key]["max"] < a[key]["min"] or b[key]["min"] > a[key]["max"])
        flag = ""
        if abs(change) > threshold_pct:
            flagged += 1
            flag = "CHANGED" + (" (spreads overlap)" if overlap else "")
        lines.append(f"| {key[0]} | {a[key]['label']} | {r0:.3f} | {r1:.3f} | {change:+.1f}% | {flag} |")
    only = sorted(set(a) ^ set(b))
    if only:
        lines += ["", "Only in one file: " + ", ".join(f"{s}:{k}" for s, k in only)]
    return lines, flagged
