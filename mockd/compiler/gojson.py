"""Go `encoding/json` output for values decoded from YAML (bodies, JSONPath expectations).

A YAML mapping body is served as the Go tool's `json.Marshal` of the decoded value (reference §2.4), so the
bytes a client sees depend on Go's choices, which differ from Python's `json.dumps`:

- map keys sorted; compact separators;
- `<`, `>`, `&`, U+2028 and U+2029 inside strings escaped as `\\u003c`, `\\u003e`, `\\u0026`, `\\u2028`,
  `\\u2029`;
- floats in the shortest form that round-trips, written without exponent between 1e-6 and 1e21 and never
  with a trailing `.0` (`1.0` -> `1`, `1e20` -> `100000000000000000000`, `1e21` -> `1e+21`, `1e-7` -> `1e-7`);
- NaN and infinities are an error (`json: unsupported value: NaN`).
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


class UnsupportedValue(ValueError):
    """A value Go's encoder refuses (NaN, ±Inf, a map with non-string keys)."""


def format_float(value: float) -> str:
    """Go's `strconv.FormatFloat(f, 'f' or 'e', -1, 64)` choice as made by `encoding/json`."""
    if math.isnan(value) or math.isinf(value):
        raise UnsupportedValue(f"json: unsupported value: {_go_float_name(value)}")
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    magnitude = abs(value)
    if magnitude < 1e-6 or magnitude >= 1e21:
        # Shortest round-trip digits in exponent form. Go writes at least two exponent digits and
        # encoding/json then trims a negative two-digit exponent's leading zero ("e-07" -> "e-7").
        sign, digits, exp = Decimal(repr(value)).as_tuple()
        assert isinstance(exp, int)
        exp10 = exp + len(digits) - 1
        shortest = "".join(map(str, digits)).rstrip("0") or "0"
        mantissa = ("-" if sign else "") + shortest[0] + ("." + shortest[1:] if len(shortest) > 1 else "")
        exponent = f"{abs(exp10):02d}"
        if exp10 < 0 and len(exponent) == 2 and exponent[0] == "0":
            exponent = exponent[1]
        return f"{mantissa}e{'-' if exp10 < 0 else '+'}{exponent}"
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _go_float_name(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    return "+Inf" if value > 0 else "-Inf"


def quote(text: str) -> str:
    """A JSON string literal as Go writes it (HTML-safe, control characters as `\\u00XX`)."""
    out = json.dumps(text, ensure_ascii=False)
    if any(c in out for c in _ESCAPES):
        out = "".join(_ESCAPES.get(c, c) for c in out)
    return out


def marshal(value: Any) -> str:
    """Compact Go `json.Marshal` text of a plain JSON-like value (dict keys sorted, as Go maps are)."""
    parts: list[str] = []
    _emit(value, parts)
    return "".join(parts)


def _emit(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(quote(value))
    elif isinstance(value, int):
        out.append(str(int(value)))
    elif isinstance(value, float):
        out.append(format_float(value))
    elif isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise UnsupportedValue("json: unsupported type: map[interface {}]interface {}")
        out.append("{")
        for i, key in enumerate(sorted(value)):
            if i:
                out.append(",")
            out.append(quote(key))
            out.append(":")
            _emit(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _emit(item, out)
        out.append("]")
    else:
        raise UnsupportedValue(f"json: unsupported type: {type(value).__name__}")
