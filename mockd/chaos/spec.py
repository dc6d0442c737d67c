"""The compiled chaos configuration: plain JSON data that the plan carries and the injector is built from.

It is the admin API's shape (global faults flat: `latency`, `errorRate`, `bandwidth`), after validation,
with every rule and fault probability present, plus `seed`. Values are as configured (durations stay Go
strings such as `"250ms"`), so `GET /chaos` can echo them; the injector parses them once when it is built.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

FAULT_TYPES = (
    "latency",
    "error",
    "timeout",
    "empty_response",
    "connection_reset",
    "slow_body",
    "corrupt_body",
    "partial_response",
    "chunked_dribble",
    "circuit_breaker",
    "retry_after",
    "progressive_degradation",
)
# Selected whenever their rule fires, whatever their own probability (operations reference §1.3).
STATEFUL_TYPES = frozenset({"circuit_breaker", "retry_after", "progressive_degradation"})
DISTRIBUTIONS = ("uniform", "fixed", "normal", "lognormal", "pareto")


class FaultSpec(TypedDict):
    type: str
    probability: float
    config: dict[str, Any]


class RuleSpec(TypedDict):
    pathPattern: str
    mockId: NotRequired[str]  # ours: only requests this mock matched (the pattern still applies)
    methods: list[str]
    probability: float
    faults: list[FaultSpec]


class ChaosSpec(TypedDict):
    enabled: bool
    seed: int | None  # None: seeded from the clock, as the Go tool always is
    latency: NotRequired[dict[str, Any]]  # min/max/probability, plus distribution keys (docs/chaos.md)
    errorRate: NotRequired[dict[str, Any]]  # probability, statusCodes, defaultCode
    bandwidth: NotRequired[dict[str, Any]]  # bytesPerSecond, probability
    rules: list[RuleSpec]


def to_api(spec: ChaosSpec | None) -> dict[str, Any]:
    """`GET /chaos`: the Go tool's serialisation (`enabled` always; absent parts omitted; in rules,
    empty `methods`/`faults`/`config` and a zero `probability` omitted)."""
    if spec is None or not spec["enabled"]:
        return {"enabled": False}
    out: dict[str, Any] = {"enabled": True}
    if "latency" in spec:
        out["latency"] = dict(spec["latency"])
    if "errorRate" in spec:
        er = spec["errorRate"]
        out["errorRate"] = {"probability": er["probability"]}
        if er.get("statusCodes"):
            out["errorRate"]["statusCodes"] = list(er["statusCodes"])
        if er.get("defaultCode"):
            out["errorRate"]["defaultCode"] = er["defaultCode"]
    if "bandwidth" in spec:
        out["bandwidth"] = dict(spec["bandwidth"])
    rules = []
    for rule in spec["rules"]:
        r: dict[str, Any] = {"pathPattern": rule["pathPattern"]}
        if "mockId" in rule:
            r["mockId"] = rule["mockId"]
        if rule["methods"]:
            r["methods"] = list(rule["methods"])
        faults = []
        for fault in rule["faults"]:
            f: dict[str, Any] = {"type": fault["type"], "probability": fault["probability"]}
            if fault["config"]:
                f["config"] = dict(fault["config"])
            faults.append(f)
        if faults:
            r["faults"] = faults
        if rule["probability"]:
            r["probability"] = rule["probability"]
        rules.append(r)
    if rules:
        out["rules"] = rules
    if spec.get("seed") is not None:
        out["seed"] = spec["seed"]
    return out
