"""JSON text exactly as Go's `encoding/json` writes it: the one encoder every part of mockd uses.

Clients compare bodies byte for byte, so the bytes depend on Go's choices, which differ from Python's and
orjson's:

- `<`, `>`, `&`, U+2028 and U+2029 inside strings are escaped as `\\u003c`, `\\u003e`, `\\u0026`, `\\u2028`,
  `\\u2029`;
- floats are written in the shortest form that round-trips, without exponent between 1e-6 and 1e21 and never
  with a trailing `.0` (`1.0` -> `1`, `-0.0` -> `-0`, `1e20` -> `100000000000000000000`, `1e21` -> `1e+21`,
  `1e-7` -> `1e-7`);
- map keys are sorted (a Go map); struct fields keep their declared order (our pydantic models' order);
- NaN and infinities are an error (`json: unsupported value: NaN`);
- the streaming encoder (admin replies) ends the body with one newline.

`marshal` is the request-time entry: orjson does the work, and the few fix-ups are exact byte replacements
(the escaped characters can only occur inside strings). A float that orjson writes differently from Go
(a trailing `.0`, an exponent, `-0.0`) or an integer beyond 64 bits sends the value through the exact
encoder instead; the check is a regular expression over the output, so a false alarm (such text inside a
string) only costs the slower, still exact, path. `marshal_text` is the compile-time entry (YAML bodies,
JSONPath expectations), always exact and always with sorted keys, as the Go tool re-encodes a decoded map.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

import orjson

_STR_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_BYTE_ESCAPES = (
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)
_INT64 = 1 << 63
_EXACT_INT = float(1 << 53)  # every integral float64 below this prints as its integer
_NEEDS_ESCAPE = re.compile(rb"[<>&]|\xe2\x80[\xa8\xa9]")
# A number token orjson writes differently from Go: integral (`1.0`), or with an exponent (`1e+16`, `1e-7`).
_NON_GO_FLOAT = re.compile(rb"(?:^|[\[:,])-?[0-9]+(?:\.0(?=$|[,\]}])|(?:\.[0-9]+)?e)")


class UnsupportedValue(ValueError):
    """A value Go's encoder refuses (NaN, ±Inf, a map with non-string keys)."""


def marshal(value: Any, *, sort_keys: bool = False) -> bytes:
    """Go `json.Marshal`: compact, HTML-escaped, no trailing newline. `sort_keys` for map-backed values."""
    try:
        data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0)
    except orjson.JSONEncodeError:  # an integer beyond 64 bits (or a type Go cannot encode either)
        return marshal_text(value, sort_keys=sort_keys).encode()
    if _NON_GO_FLOAT.search(data) is not None:
        return marshal_text(value, sort_keys=sort_keys).encode()
    if _NEEDS_ESCAPE.search(data) is not None:
        for raw, escaped in _BYTE_ESCAPES:
            data = data.replace(raw, escaped)
    return data


def marshal_indent_fast(value: Any) -> str | None:
    """Go `json.MarshalIndent(v, "", "  ")` with sorted keys when orjson's numbers are Go's (else None:
    use the exact encoder). The escapes are byte replacements, as in `marshal`."""
    try:
        compact = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        return None
    if _NON_GO_FLOAT.search(compact) is not None:
        return None
    data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
    if _NEEDS_ESCAPE.search(data) is not None:
        for raw, escaped in _BYTE_ESCAPES:
            data = data.replace(raw, escaped)
    return data.decode()


def go_numbers(value: Any) -> Any:
    """Numbers as Go holds them after decoding into `interface{}` (every number a float64), in the form that
    lets `marshal` take its fast path: integral floats below 2**53 as ints (Go prints float64 10 as `10`;
    larger ones stay floats, since Go prints their shortest digits, `12345678901234567000`, not the binary
    value; `-0.0` stays a float, printed `-0`), integers beyond int64/uint64 as floats (Go's float64
    rounding)."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT_INT and (value or math.copysign(1.0, value) > 0):
            return int(value)
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value if -_INT64 <= value < 2 * _INT64 else float(value)
    if isinstance(value, dict):
        return {k: go_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [go_numbers(v) for v in value]
    return value


def encode(value: Any, *, sort_keys: bool = False) -> bytes:
    """Go `json.NewEncoder(w).Encode`: as `marshal`, plus the trailing newline."""
    return marshal(value, sort_keys=sort_keys) + b"\n"


def marshal_text(value: Any, *, sort_keys: bool = True) -> str:
    """The exact encoder, as text. Raises `UnsupportedValue` where Go's encoder returns an error."""
    parts: list[str] = []
    _emit(value, parts, sort_keys)
    return "".join(parts)


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
    if any(c in out for c in _STR_ESCAPES):
        out = "".join(_STR_ESCAPES.get(c, c) for c in out)
    return out


def _emit(value: Any, out: list[str], sort_keys: bool) -> None:
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
        for i, key in enumerate(sorted(value) if sort_keys else value):
            if i:
                out.append(",")
            out.append(quote(key))
            out.append(":")
            _emit(value[key], out, sort_keys)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _emit(item, out, sort_keys)
        out.append("]")
    else:
        raise UnsupportedValue(f"json: unsupported type: {type(value).__name__}")
