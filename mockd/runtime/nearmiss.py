"""Near-miss reports for unmatched requests (reference §3.6). Cold path: only runs after a miss.

The Rust matcher returns the facts (which fields matched, scores, expected/actual values); this module adds
the mock identity and writes the `reason` sentence exactly as the Go tool phrases it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import orjson

from mockd.gocompat.quote import go_quote

if TYPE_CHECKING:
    from mockd._native import FieldFact, NearMissFact
    from mockd.runtime.table import RouteInfo


def _join_fields(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _mismatch(f: FieldFact) -> str:
    field = f["field"]
    expected = f.get("expected", "")
    actual = f.get("actual", "")
    if field == "method":
        return f"method expected {go_quote(expected)}, got {go_quote(actual)}"
    if field in ("path", "pathPattern"):
        return f"path expected {go_quote(expected)}, got {go_quote(actual)}"
    if field in ("headers", "queryParams"):
        label = "header" if field == "headers" else "query param"
        for d in f.get("details", []):
            if not d["matched"]:
                return f"{label} {d['key']} expected {go_quote(d['expected'])}, got {go_quote(d['actual'])}"
        return "header mismatch" if field == "headers" else "query parameter mismatch"
    if field == "bodyEquals":
        return f"body expected exact match {go_quote(expected)}"
    if field == "bodyContains":
        return f"body expected to contain {go_quote(expected)}"
    if field == "bodyPattern":
        return f"body expected to match pattern {go_quote(expected)}"
    if field == "bodyJSONPath":
        return "body JSONPath condition not satisfied"
    return f"{field} did not match"


def reason(fields: Sequence[FieldFact]) -> str:
    if not fields:
        return "no fields to compare"
    matched = [f["field"] for f in fields if f["matched"]]
    first_miss = next((f for f in fields if not f["matched"]), None)
    if first_miss is None:
        return "all specified fields matched"
    if not matched:
        return _mismatch(first_miss)
    return f"{_join_fields(matched)} matched, but {_mismatch(first_miss)}"


def _go_fields(fields: Sequence[FieldFact]) -> list[FieldFact]:
    """The matcher reports plain facts; Go's FieldResult words two of them differently: bodyContains'
    `expected` is `contains "<substring>"`, and bodyJSONPath's is the conditions object itself."""
    out: list[FieldFact] = []
    for f in fields:
        if f["field"] == "bodyContains" and "expected" in f:
            f = {**f, "expected": "contains " + go_quote(f["expected"])}
        elif f["field"] == "bodyJSONPath" and "expected" in f:
            f = {**f, "expected": orjson.loads(f["expected"])}  # type: ignore[typeddict-item]
        out.append(f)
    return out


def compose(facts: Sequence[NearMissFact], infos: Sequence[RouteInfo]) -> list[dict]:
    """Full near-miss objects for the 404 body, in the Go struct's field order."""
    out = []
    for fact in facts:
        fields = _go_fields(fact["fields"])
        info = infos[fact["route"]]
        item: dict = {"mockId": info.mock_id}
        if info.name:
            item["mockName"] = info.name
        item["score"] = fact["score"]
        item["maxPossibleScore"] = fact["maxPossibleScore"]
        item["matchPercentage"] = fact["matchPercentage"]
        item["fields"] = fields
        item["reason"] = reason(fields)
        out.append(item)
    return out


def summary(near: Sequence[dict]) -> list[dict]:
    """The reduced form the request log keeps: `{mockId, mockName?, matchPercentage, reason}`."""
    out = []
    for n in near:
        item = {"mockId": n["mockId"]}
        if "mockName" in n:
            item["mockName"] = n["mockName"]
        item["matchPercentage"] = n["matchPercentage"]
        item["reason"] = n["reason"]
        out.append(item)
    return out
