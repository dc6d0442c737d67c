"""Chaos configuration in, `ChaosSpec` out: both shapes the Go tool reads, checked with pydantic and rules.

- the config-file shape (`serverConfig.chaos`: `{enabled, seed?, profile?, global: {...}, rules}`);
- the admin API shape (`PUT /chaos`, profiles, the CLI: global faults flat, rule faults flat or in `config`).

Everything wrong is reported, each problem with its path inside the chaos object, so the compiler can position
it (`mocks.yaml:7:22: serverConfig.chaos.rules[0].faults[1].probability: ...`) and the admin API can answer
400. A config with any error yields no spec at all: chaos is never half-applied. Where the Go tool silently
clamps or ignores (probabilities outside [0, 1], unknown fault types, numeric durations), we refuse; the
messages are the Go tool's where it has one (`probability must be between 0.0 and 1.0, got 1.5`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mockd.chaos.durations import parse_duration
from mockd.chaos.profiles import PROFILES, profile_names, unknown_profile_message
from mockd.chaos.spec import DISTRIBUTIONS, FAULT_TYPES, ChaosSpec, FaultSpec, RuleSpec
from mockd.errors import json_kind, type_message
from mockd.gocompat.quote import go_quote
from mockd.gocompat.regex import compile_go

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    loc: Loc  # inside the chaos object
    message: str
    slug: str
    severity: Literal["error", "warning"] = "error"


class ChaosConfigError(Exception):
    """A chaos configuration with errors (admin API and CLI side); `problems` lists every one.
    `undecodable`: a value of the wrong JSON type, where the Go tool's decoder fails (400 `invalid_json`)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.undecodable = any(p.slug == "invalid_type" for p in problems)
        first = problems[0]
        where = render_loc(first.loc)
        super().__init__(f"{where}: {first.message}" if where else first.message)


class _M(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)


class LatencyModel(_M):
    min: str | None = None
    max: str | None = None
    probability: float = 0
    distribution: str | None = None
    value: str | None = None
    mean: str | None = None
    stddev: str | None = None
    p50: str | None = None
    p99: str | None = None
    alpha: float | None = None


class ErrorRateModel(_M):
    probability: float = 0
    statusCodes: list[int] | None = None
    defaultCode: int = 0


class BandwidthModel(_M):
    bytesPerSecond: int = 0
    probability: float = 0


class FaultModel(_M):
    type: str = ""
    probability: float = 0
    config: dict[str, Any] | None = None


class RuleModel(_M):
    pathPattern: str = ""
    mockId: str | None = None  # ours: the rule applies to requests this mock matched
    methods: list[str] | None = None
    probability: float = 0
    faults: list[FaultModel] | None = None


class GlobalModel(_M):
    latency: LatencyModel | None = None
    errorRate: ErrorRateModel | None = None
    bandwidth: BandwidthModel | None = None


class ChaosFileModel(_M):
    """`serverConfig.chaos` (Go struct `chaos.ChaosConfig`, plus our `seed` and `profile`)."""

    enabled: bool = False
    seed: int | None = None
    profile: str | None = None
    global_: GlobalModel | None = Field(default=None, alias="global")
    rules: list[RuleModel] | None = None


class ChaosApiModel(_M):
    """`PUT /chaos` (Go struct `types.ChaosConfig`, plus our `seed`)."""

    enabled: bool = False
    seed: int | None = None
    latency: LatencyModel | None = None
    errorRate: ErrorRateModel | None = None
    bandwidth: BandwidthModel | None = None
    rules: list[RuleModel] | None = None


# Config keys each fault type reads (operations reference §1.4, §1.5); others are reported as unknown.
FAULT_KEYS: dict[str, dict[str, str]] = {
    "latency": {
        "min": "duration", "max": "duration", "distribution": "name", "value": "duration",
        "mean": "duration", "stddev": "duration", "p50": "duration", "p99": "duration", "alpha": "number",
    },
    "error": {"statusCodes": "codes", "defaultCode": "status"},
    "timeout": {"duration": "duration"},
    "empty_response": {},
    "connection_reset": {},
    "slow_body": {"bytesPerSecond": "positive"},
    "corrupt_body": {"corruptRate": "rate"},
    "partial_response": {"maxBytes": "count", "minPercent": "rate", "maxPercent": "rate"},
    "chunked_dribble": {"chunkSize": "count", "chunkDelay": "duration", "initialDelay": "duration"},
    "circuit_breaker": {
        "failureThreshold": "count", "successThreshold": "count", "openDuration": "duration",
        "tripAfter": "count", "closedErrorRate": "rate", "halfOpenErrorRate": "rate",
        "openStatusCode": "status", "openBody": "text",
    },
    "retry_after": {"statusCode": "status", "retryAfter": "duration", "body": "text"},
    "progressive_degradation": {
        "initialDelay": "duration", "delayIncrement": "duration", "maxDelay": "duration",
        "resetAfter": "count", "errorAfter": "count", "errorCode": "status",
    },
}  # fmt: skip
_MODEL_KEYS = {
    "file": {"enabled", "seed", "profile", "global", "rules"},
    "api": {"enabled", "seed", "latency", "errorRate", "bandwidth", "rules"},
    "global": {"latency", "errorRate", "bandwidth"},
    "latency": set(LatencyModel.model_fields),
    "errorRate": set(ErrorRateModel.model_fields),
    "bandwidth": set(BandwidthModel.model_fields),
    "rule": set(RuleModel.model_fields),
    "fault": set(FaultModel.model_fields),
}


def go_float(value: float) -> str:
    """A float as Go's `%v` prints it (`2`, `1.5`, `-0.1`)."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e21 else repr(float(value))


def render_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, loc: Loc, message: str, slug: str) -> None:
        self.problems.append(Problem(loc, message, slug))

    def warn(self, loc: Loc, message: str, slug: str) -> None:
        self.problems.append(Problem(loc, message, slug, "warning"))

    def unknown_keys(self, raw: Any, known: set[str], loc: Loc, what: str) -> None:
        if not isinstance(raw, dict):
            return
        for key in raw:
            if key in known:
                continue
            hint = difflib.get_close_matches(str(key), sorted(known), n=1)
            tail = f" Did you mean '{hint[0]}'?" if hint else ""
            self.warn((*loc, key), f"unknown {what} key '{key}' is ignored.{tail}", "unknown_key")

    def probability(self, value: float, loc: Loc, name: str = "probability") -> None:
        if not 0.0 <= value <= 1.0:
            self.error(
                loc, f"{name} must be between 0.0 and 1.0, got {go_float(value)}", "invalid_probability"
            )

    def duration(self, value: Any, loc: Loc, *, required: bool = False) -> float | None:
        if value is None:
            if required:
                self.error(loc, "a duration is required", "missing_duration")
            return None
        if not isinstance(value, str):
            self.error(
                loc,
                f'expected a duration string such as "100ms", got {type(value).__name__} {value!r}',
                "invalid_duration",
            )
            return None
        seconds = parse_duration(value)
        if seconds is None:
            self.error(loc, f'time: invalid duration "{value}"', "invalid_duration")
            return None
        if seconds < 0:
            self.error(loc, f'delay must not be negative, got "{value}"', "negative_delay")
            return None
        return seconds

    # ---------------------------------------------------------------------------------------------- parts

    def latency(self, m: LatencyModel, raw: Any, loc: Loc) -> dict[str, Any]:
        self.unknown_keys(raw, _MODEL_KEYS["latency"], loc, "latency")
        self.probability(m.probability, (*loc, "probability"))
        self.latency_shape(raw if isinstance(raw, dict) else {}, loc)
        out: dict[str, Any] = {"min": m.min or "", "max": m.max or "", "probability": m.probability}
        for key in ("distribution", "value", "mean", "stddev", "p50", "p99", "alpha"):
            if raw.get(key) is not None:
                out[key] = raw[key]
        return out

    def latency_shape(self, cfg: dict[str, Any], loc: Loc) -> None:
        """The distribution and its parameters (docs/chaos.md "Latency distributions")."""
        dist = cfg.get("distribution") or "uniform"
        if dist not in DISTRIBUTIONS:
            self.error(
                (*loc, "distribution"),
                f'unknown latency distribution "{dist}" (expected one of: {", ".join(DISTRIBUTIONS)})',
                "unknown_distribution",
            )
            return
        needs = {
            "uniform": (), "fixed": ("value",), "normal": ("mean", "stddev"), "lognormal": ("p50", "p99"),
            "pareto": ("min", "alpha"),
        }[dist]  # fmt: skip
        got: dict[str, float | None] = {}
        for key in ("min", "max", "value", "mean", "stddev", "p50", "p99"):
            if key in cfg:
                got[key] = self.duration(cfg[key], (*loc, key))
        for key in needs:
            if key == "alpha":
                alpha = cfg.get("alpha")
                if not isinstance(alpha, int | float) or isinstance(alpha, bool) or alpha <= 0:
                    self.error((*loc, "alpha"), f"{dist} latency needs alpha > 0", "invalid_latency")
            elif cfg.get(key) is None:
                self.error(loc, f"{dist} latency needs {key}", "invalid_latency")
        p50, p99 = got.get("p50"), got.get("p99")
        if dist == "lognormal" and p50 is not None and p99 is not None and not 0 < p50 < p99:
            self.error(loc, "lognormal latency needs 0 < p50 < p99", "invalid_latency")

    def error_rate(self, m: ErrorRateModel, raw: Any, loc: Loc) -> dict[str, Any]:
        self.unknown_keys(raw, _MODEL_KEYS["errorRate"], loc, "errorRate")
        self.probability(m.probability, (*loc, "probability"))
        for i, code in enumerate(m.statusCodes or []):
            self.status(code, (*loc, "statusCodes", i))
        if m.defaultCode:
            self.status(m.defaultCode, (*loc, "defaultCode"))
        return {
            "probability": m.probability,
            "statusCodes": list(m.statusCodes or []),
            "defaultCode": m.defaultCode,
        }

    def status(self, code: Any, loc: Loc) -> None:
        if not isinstance(code, int) or isinstance(code, bool) or not 100 <= code <= 999:
            self.error(loc, f"invalid status code {code!r} (expected 100-999)", "invalid_status")

    def bandwidth(self, m: BandwidthModel, raw: Any, loc: Loc) -> dict[str, Any]:
        self.unknown_keys(raw, _MODEL_KEYS["bandwidth"], loc, "bandwidth")
        self.probability(m.probability, (*loc, "probability"))
        if m.bytesPerSecond <= 0:
            self.error(
                (*loc, "bytesPerSecond"),
                f"bytesPerSecond must be > 0, got {m.bytesPerSecond}",
                "invalid_bandwidth",
            )
        return {"bytesPerSecond": m.bytesPerSecond, "probability": m.probability}

    def rule(self, m: RuleModel, raw: Any, loc: Loc, shape: str) -> RuleSpec:
        self.unknown_keys(raw, _MODEL_KEYS["rule"], loc, "rule")
        if m.probability != 0:
            self.probability(m.probability, (*loc, "probability"))
        try:
            compile_go(m.pathPattern)
        except ValueError as exc:
            self.error(
                (*loc, "pathPattern"),
                f"failed to compile rule for pattern {go_quote(m.pathPattern)}: {exc}",
                "invalid_regex",
            )
        if m.mockId is not None and not m.mockId:
            self.error((*loc, "mockId"), "mockId must not be empty", "invalid_mock_id")
        faults: list[FaultSpec] = []
        raw_faults = raw.get("faults") if isinstance(raw, dict) else None
        for i, fm in enumerate(m.faults or []):
            fraw = raw_faults[i] if isinstance(raw_faults, list) and i < len(raw_faults) else {}
            faults.append(self.fault(fm, fraw, (*loc, "faults", i), shape))
        out: RuleSpec = {
            "pathPattern": m.pathPattern,
            "methods": list(m.methods or []),
            "probability": m.probability,
            "faults": faults,
        }
        if m.mockId:
            out["mockId"] = m.mockId
        return out

    def fault(self, m: FaultModel, raw: Any, loc: Loc, shape: str) -> FaultSpec:
        config = dict(m.config or {})
        if shape == "api" and isinstance(raw, dict):
            # The admin API's flat form: other keys join `config`; an explicit `config` entry wins.
            for key, value in raw.items():
                if key not in _MODEL_KEYS["fault"] and key not in config:
                    config[key] = value
        else:
            self.unknown_keys(raw, _MODEL_KEYS["fault"], loc, "fault")
        self.probability(m.probability, (*loc, "probability"))
        if m.type not in FAULT_TYPES:
            hint = difflib.get_close_matches(m.type, FAULT_TYPES, n=1)
            tail = f". Did you mean '{hint[0]}'?" if hint else ""
            self.error(
                (*loc, "type"),
                f'unknown fault type "{m.type}" (expected one of: {", ".join(FAULT_TYPES)}){tail}',
                "unknown_fault_type",
            )
            return {"type": m.type, "probability": m.probability, "config": config}
        cloc: Loc = (*loc, "config") if m.config is not None or shape == "file" else loc
        keys = FAULT_KEYS[m.type]
        self.unknown_keys(config, set(keys), cloc, f"{m.type} config")
        for key, kind in keys.items():
            if key not in config:
                continue
            value, kloc = config[key], (*cloc, key)
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if kind == "duration":
                if m.type != "latency":  # latency_shape below reads its durations
                    self.duration(value, kloc)
            elif kind == "rate":
                if not number:
                    self.error(kloc, f"{key}: expected a number, got {value!r}", "invalid_value")
                else:
                    self.probability(float(value), kloc, key)
            elif kind in ("count", "positive"):
                if not number or value < 0 or (kind == "positive" and value <= 0):
                    want = "> 0" if kind == "positive" else ">= 0"
                    self.error(kloc, f"{key} must be {want}, got {value!r}", "invalid_number")
            elif kind == "status":
                self.status(value, kloc)
            elif kind == "codes":
                if not isinstance(value, list):
                    self.error(kloc, f"{key}: expected a list of status codes", "invalid_value")
                else:
                    for i, code in enumerate(value):
                        self.status(code, (*kloc, i))
            elif kind == "number" and not number:
                self.error(kloc, f"{key}: expected a number, got {value!r}", "invalid_value")
            elif kind == "text" and not isinstance(value, str):
                self.error(kloc, f"{key}: expected a string, got {value!r}", "invalid_value")
        if m.type == "latency":
            self.latency_shape(config, cloc)
        return {"type": m.type, "probability": m.probability, "config": config}


def _pydantic_problems(exc: ValidationError) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        out.append(Problem(loc, type_message(err), "invalid_type"))
    return out


def check(data: Any, shape: Literal["file", "api"]) -> tuple[ChaosSpec | None, list[Problem]]:
    """Validate one chaos object. The spec is None when chaos is off (`enabled` false) or on any error."""
    if data is None:
        return None, []
    if not isinstance(data, dict):
        return None, [Problem((), f"expected an object, got {json_kind(data)}", "invalid_type")]
    model_cls = ChaosFileModel if shape == "file" else ChaosApiModel
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        return None, _pydantic_problems(exc)
    c = _Checker()
    c.unknown_keys(data, _MODEL_KEYS[shape], (), "chaos")
    if isinstance(model, ChaosFileModel):
        glob = model.global_
        graw: dict[str, Any] = data["global"] if isinstance(data.get("global"), dict) else {}
        gloc: Loc = ("global",)
        if glob is not None:
            c.unknown_keys(graw, _MODEL_KEYS["global"], gloc, "global")
        if model.profile is not None:
            if model.profile not in PROFILES:
                c.error(("profile",), unknown_profile_message(model.profile), "unknown_profile")
            elif glob is not None:
                c.error(("profile",), "profile cannot be combined with global faults", "profile_conflict")
            else:
                prof = PROFILES[model.profile]["config"]
                glob = GlobalModel.model_validate(prof)
                graw = prof
        parts = (glob.latency, glob.errorRate, glob.bandwidth) if glob is not None else (None, None, None)
    else:
        graw, gloc = data, ()
        parts = (model.latency, model.errorRate, model.bandwidth)
    spec: ChaosSpec = {"enabled": model.enabled, "seed": model.seed, "rules": []}
    latency, error_rate, bandwidth = parts
    if latency is not None:
        spec["latency"] = c.latency(latency, graw.get("latency") or {}, (*gloc, "latency"))
    if error_rate is not None:
        spec["errorRate"] = c.error_rate(error_rate, graw.get("errorRate"), (*gloc, "errorRate"))
    if bandwidth is not None:
        spec["bandwidth"] = c.bandwidth(bandwidth, graw.get("bandwidth"), (*gloc, "bandwidth"))
    raw_rules: list[Any] = data["rules"] if isinstance(data.get("rules"), list) else []
    for i, rule in enumerate(model.rules or []):
        spec["rules"].append(c.rule(rule, raw_rules[i] if i < len(raw_rules) else {}, ("rules", i), shape))
    if any(p.severity == "error" for p in c.problems):
        return None, c.problems
    return (spec if model.enabled else None), c.problems


def from_api(data: Any) -> ChaosSpec | None:
    """`PUT /chaos` body -> spec (None: chaos off); `ChaosConfigError` with every problem otherwise."""
    spec, problems = check(data, "api")
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ChaosConfigError(errors)
    return spec


def profile_spec(name: str, seed: int | None = None) -> ChaosSpec:
    """A built-in profile as a spec; KeyError for an unknown name."""
    spec = from_api(PROFILES[name]["config"])
    assert spec is not None
    spec["seed"] = seed
    return spec


__all__ = [
    "ChaosConfigError",
    "Problem",
    "check",
    "from_api",
    "profile_names",
    "profile_spec",
    "render_loc",
]
