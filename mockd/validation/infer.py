"""`validation.auto`: rules inferred from a resource's seed data (Go's `InferValidation`).

For every field (except `id`) with a non-null value somewhere in the seed: its type (a field seen with two
types becomes `string`, as in Go), `required` when every seed item has it, string length bounds and a
detected format, number bounds. A legacy `basePath` adds one rule per `:param`: a required string whose
pattern is guessed from seed values of the same-named field.

Deliberate difference: every number is inferred as `number`. Go says `integer` for YAML integers and
`number` for JSON ones, so a YAML seed with `price: 10` and `price: 9.99` made `price` a `string` and
rejected every later number; here JSON and YAML seeds infer the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mockd.validation import formats
from mockd.validation.rules import FieldRule, RequestRules, StatefulRules

_PARAM = re.compile(r":(\w+)")
_PREFIXED = re.compile(r"([a-z]+)-(\d+)", re.ASCII)
_NUMERIC = re.compile(r"\d+", re.ASCII)
_UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_DEFAULT_PATTERN = "^[a-zA-Z0-9_-]+$"


@dataclass(slots=True)
class _Seen:
    count: int = 0
    type: str = ""
    format: str = ""  # the detected format; two different ones clear it (a later one sets it again, as Go)
    min_length: int = 0
    max_length: int = 0
    low: float | None = None
    high: float | None = None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "string"


def infer(seed: list[dict[str, Any]], base_path: str = "") -> StatefulRules | None:
    """Rules for `seed` (None for an empty seed, as in Go)."""
    if not seed:
        return None
    seen: dict[str, _Seen] = {}
    for item in seed:
        for name, value in item.items():
            if value is not None:
                _observe(seen.setdefault(name, _Seen()), value)
    required: list[str] = []
    fields: list[tuple[str, FieldRule]] = []
    for name, info in seen.items():
        if name == "id":
            continue
        everywhere = info.count == len(seed)
        if everywhere:
            required.append(name)
        fields.append((name, _rule(info, everywhere)))
    params = tuple((p, _param_rule(p, seed)) for p in _PARAM.findall(base_path))
    shared = RequestRules(required=tuple(required), fields=tuple(fields), path_params=params)
    return StatefulRules(auto=True, shared=shared)


def _observe(info: _Seen, value: Any) -> None:
    info.count += 1
    kind = _kind(value)
    info.type = kind if info.type in ("", kind) else "string"
    if isinstance(value, str):
        length = len(value)
        if info.min_length == 0 or length < info.min_length:
            info.min_length = length
        info.max_length = max(info.max_length, length)
        detected = formats.detect(value)
        if detected:
            info.format = detected if info.format in ("", detected) else ""
    elif kind == "number":
        info.low = value if info.low is None else min(info.low, value)
        info.high = value if info.high is None else max(info.high, value)


def _rule(info: _Seen, required: bool) -> FieldRule:
    rule = FieldRule(type=info.type, required=required, format=info.format)
    if info.type == "string":
        return FieldRule(
            type=rule.type, required=required, format=rule.format,
            min_length=info.min_length or None,
            max_length=info.max_length if 0 < info.max_length < 10000 else None,
        )  # fmt: skip
    if info.type == "number":
        low = None if info.low is None else float(info.low)
        high = None if info.high is None else float(info.high)
        return FieldRule(type=rule.type, required=required, format=rule.format, min=low, max=high)
    return rule


def _param_rule(param: str, seed: list[dict[str, Any]]) -> FieldRule:
    samples = [v for item in seed if isinstance(v := item.get(param), str)]
    pattern = _guess_pattern(samples)
    return FieldRule(type="string", required=True, pattern=pattern, message=_pattern_message(param, pattern))


def _guess_pattern(samples: list[str]) -> str:
    if not samples:
        return _DEFAULT_PATTERN
    prefixes = [m[1] if (m := _PREFIXED.fullmatch(s)) else None for s in samples]
    if all(prefixes) and len(set(prefixes)) == 1:
        return f"^{prefixes[0]}-\\d+$"
    if all(formats.uuid(s) for s in samples):
        return _UUID_PATTERN
    if all(_NUMERIC.fullmatch(s) for s in samples):
        return r"^\d+$"
    return _DEFAULT_PATTERN


def _pattern_message(param: str, pattern: str) -> str:
    if pattern == r"^\d+$":
        return f"{param} must be a number"
    if pattern == _DEFAULT_PATTERN:
        return f"{param} must be alphanumeric (hyphens and underscores allowed)"
    if pattern == _UUID_PATTERN:
        return f"{param} must be a valid UUID"
    if pattern.startswith("^") and pattern.endswith(r"-\d+$"):
        return f"{param} must be in format '{pattern[1:-5]}-123'"
    return f"{param} must match required format"
