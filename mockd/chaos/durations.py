"""Go's `time.ParseDuration`, as the Go tool reads every chaos duration (`"250ms"`, `"1.5s"`, `"1h2m"`)."""

from __future__ import annotations

import re

_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "\u00b5s": 1e-6,  # micro sign
    "\u03bcs": 1e-6,  # Greek mu
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)([a-z\u00b5\u03bc]+)")


def parse_duration(text: str) -> float | None:
    """Seconds, or None where Go returns an error (no unit, unknown unit, empty string).

    >>> parse_duration("1m30s"), parse_duration("250ms"), parse_duration("0"), parse_duration("100")
    (90.0, 0.25, 0.0, None)
    """
    if not isinstance(text, str):
        return None
    s = text
    sign = 1.0
    if s[:1] in ("+", "-"):
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:]
    if s == "0":
        return 0.0
    if not s:
        return None
    total = 0.0
    pos = 0
    while pos < len(s):
        m = _PART.match(s, pos)
        if m is None or m.group(1) in ("", "."):
            return None
        unit = _UNITS.get(m.group(2))
        if unit is None:
            return None
        total += float(m.group(1)) * unit
        pos = m.end()
    return sign * total


def format_ms(seconds: float) -> str:
    """A duration as the profiles and the CLI write it: whole milliseconds, `"250ms"`."""
    return f"{round(seconds * 1000)}ms"
