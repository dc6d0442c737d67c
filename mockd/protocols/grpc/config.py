"""The `grpc.services` block parsed once per build: method configs with their variants, delays in seconds,
and the matching rules (protocols-reference §4.3-4.4).

Bad durations are build errors naming the field; an `error.code` that is not an upper-case gRPC code name is
kept and answered as `UNKNOWN` at call time, as the Go tool does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mockd.chaos.durations import parse_duration
from mockd.protocols.registry import ProtocolBuildError

CODES = (
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
    "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
    "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ErrorSpec:
    code: str  # a name from CODES (anything else was turned into UNKNOWN)
    message: str
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class MethodConfig:
    response: dict[str, Any] | None
    responses: list[dict[str, Any]]
    delay: float  # seconds
    stream_delay: float
    error: ErrorSpec | None
    metadata: dict[str, str]  # lower-cased key -> pattern
    request: dict[str, Any]
    variants: list[MethodConfig] = field(default_factory=list)

    @property
    def has_match(self) -> bool:
        return bool(self.metadata or self.request)


def _duration(value: Any, where: str) -> float:
    """A Go duration (`"250ms"`) or a bare number of milliseconds (`100`, `"100"`)."""
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        raise ProtocolBuildError(where, 'expected a duration such as "100ms" or a number of milliseconds')
    if isinstance(value, int | float):
        return max(0.0, float(value) / 1000.0)
    if isinstance(value, str):
        text = value.strip()
        try:
            return max(0.0, float(text) / 1000.0)
        except ValueError:
            pass
        seconds = parse_duration(text)
        if seconds is not None:
            return max(0.0, seconds)
    raise ProtocolBuildError(
        where, f'invalid duration {value!r}: expected e.g. "100ms", "2s" or milliseconds'
    )


def _object(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ProtocolBuildError(where, "expected an object")
    return value


def parse_method(raw: Any, where: str) -> MethodConfig:
    cfg = _object(raw, where)
    response = cfg.get("response")
    if response is not None and not isinstance(response, dict):
        raise ProtocolBuildError(f"{where}.response", "expected an object (the response message as JSON)")
    responses = cfg.get("responses") or []
    if not isinstance(responses, list) or not all(isinstance(r, dict) for r in responses):
        raise ProtocolBuildError(f"{where}.responses", "expected a list of objects")
    error = None
    raw_error = cfg.get("error")
    if raw_error is not None:
        e = _object(raw_error, f"{where}.error")
        code = e.get("code", "")
        if not isinstance(code, str):
            raise ProtocolBuildError(f"{where}.error.code", 'expected a code name such as "NOT_FOUND"')
        error = ErrorSpec(
            code if code in CODES else "UNKNOWN",
            str(e.get("message") or ""),
            _object(e.get("details"), f"{where}.error.details"),
        )
    match = _object(cfg.get("match"), f"{where}.match")
    metadata = _object(match.get("metadata"), f"{where}.match.metadata")
    raw_variants = cfg.get("variants") or []
    if not isinstance(raw_variants, list):
        raise ProtocolBuildError(f"{where}.variants", "expected a list of method configs")
    return MethodConfig(
        response=response,
        responses=list(responses),
        delay=_duration(cfg.get("delay"), f"{where}.delay"),
        stream_delay=_duration(cfg.get("streamDelay"), f"{where}.streamDelay"),
        error=error,
        metadata={str(k).lower(): str(v) for k, v in metadata.items()},
        request=_object(match.get("request"), f"{where}.match.request"),
        variants=[parse_method(v, f"{where}.variants[{i}]") for i, v in enumerate(raw_variants)],
    )


def parse_services(raw: Any) -> dict[str, dict[str, MethodConfig]]:
    """`services{"<pkg>.<Service>": {methods{"<Method>": MethodConfig}}}` -> nested dicts of configs."""
    out: dict[str, dict[str, MethodConfig]] = {}
    for svc, body in _object(raw, "grpc.services").items():
        methods = _object(
            _object(body, f"grpc.services.{svc}").get("methods"), f"grpc.services.{svc}.methods"
        )
        out[svc] = {
            name: parse_method(cfg, f"grpc.services.{svc}.methods.{name}") for name, cfg in methods.items()
        }
    return out


def _pattern_holds(pattern: str, values: list[str]) -> bool:
    """`*` anything; no `*` equal; else prefix before the first `*` and suffix after it."""
    if pattern == "*":
        return bool(values)
    if "*" not in pattern:
        return pattern in values
    prefix, _, suffix = pattern.partition("*")
    return any(v.startswith(prefix) and v.endswith(suffix) and len(v) >= len(prefix) + len(suffix)
               for v in values)  # fmt: skip


def _equal(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected == actual and type(expected) is type(actual)
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return float(expected) == float(actual)
    return bool(expected == actual)


def holds(cfg: MethodConfig, metadata: dict[str, list[str]], request: dict[str, Any] | None) -> bool:
    """Whether `cfg.match` holds for this call (`request` None: bidi, where request conditions never hold)."""
    for key, pattern in cfg.metadata.items():
        if not _pattern_holds(pattern, metadata.get(key, [])):
            return False
    if cfg.request:
        if request is None:
            return False
        for key, expected in cfg.request.items():
            if key not in request or not _equal(expected, request[key]):
                return False
    return True


def select(
    cfg: MethodConfig, metadata: dict[str, list[str]], request: dict[str, Any] | None
) -> MethodConfig | None:
    """The method config then its variants: the first with a `match` that holds, else the first without
    one, else None (no candidate applies)."""
    candidates = [cfg, *cfg.variants]
    for c in candidates:
        if c.has_match and holds(c, metadata, request):
            return c
    for c in candidates:
        if not c.has_match:
            return c
    return None
