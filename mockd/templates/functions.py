"""Values the template functions produce: time stamps, random values, sequences, case changes.

Each function takes plain arguments already parsed from the template, so a render does no parsing.
"""

from __future__ import annotations

import time

from mockd.gocompat.timefmt import rfc3339_local_seconds, rfc3339_nano_utc_ns
from mockd.templates.gofmt import atoi, format_fixed, format_float_f, parse_float, wrap_int64
from mockd.templates.rand import Rng

_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"  # the Go tool's order: same draws
# `%.Nf` with an absurd precision would allocate without bound; the Go tool's fmt refuses very large
# precisions too.
_MAX_PRECISION = 1000

# Per-process counters behind `sequence("name")`, shared by every mock (reference §3.8).
_SEQUENCES: dict[str, int] = {}


def next_in_sequence(name: str, start: int) -> str:
    """The current value of a named counter, then advance it. The first use fixes the start value."""
    value = _SEQUENCES.get(name, start)
    _SEQUENCES[name] = value + 1
    return str(value)


def reset_sequences() -> None:
    """Forget every counter (tests; a future admin reset)."""
    _SEQUENCES.clear()


_now_cache: tuple[int, str] = (-1, "")


def now_local() -> str:
    """`time.Now().Format(time.RFC3339)`: local time, whole seconds, `Z` for a zero offset.

    Cached for the current second: formatting costs about 2 µs and the text only changes once a second.
    """
    global _now_cache
    second = int(time.time())
    cached = _now_cache
    if cached[0] == second:
        return cached[1]
    text = rfc3339_local_seconds(second)
    _now_cache = (second, text)
    return text


def unix_seconds() -> str:
    return str(time.time_ns() // 1_000_000_000)


def unix_millis() -> str:
    return str(time.time_ns() // 1_000_000)


def iso_utc_nanos() -> str:
    """`time.Now().UTC().Format(time.RFC3339Nano)`: nanoseconds with trailing zeros trimmed."""
    return rfc3339_nano_utc_ns(time.time_ns())


def random_int(rng: Rng, low: int, high: int) -> str:
    """An int in [low, high]; "" when low > high. Span and sum wrap like Go's int64 arithmetic."""
    if low > high:
        return ""
    return str(wrap_int64(rng.intn(wrap_int64(high - low + 1)) + low))


def random_float(rng: Rng) -> str:
    return f"{rng.float64():f}"


def random_float_range(rng: Rng, low_text: str, high_text: str, precision_text: str) -> str:
    """`random.float(min, max[, precision])`, parsing the bounds as Go does (a bad number counts as 0)."""
    low, _ = parse_float(low_text)
    high, _ = parse_float(high_text)
    precision = -1
    if precision_text:
        precision, _ = atoi(precision_text)  # the Go tool drops the error: "x" means precision 0
    if low >= high:
        high = low + 1
    value = low + rng.float64() * (high - low)
    if precision >= 0:
        return format_fixed(value, min(precision, _MAX_PRECISION))
    return format_float_f(value)


def random_string(rng: Rng, length: int) -> str:
    return "".join([_ALNUM[rng.intn(62)] for _ in range(length)])


def go_upper(text: str) -> str:
    """`strings.ToUpper`: per-character simple mappings (Python's upper() turns "ß" into "SS")."""
    if text.isascii():
        return text.upper()
    return "".join(u if len(u := ch.upper()) == 1 else ch for ch in text)


def go_lower(text: str) -> str:
    """`strings.ToLower`: per-character simple mappings ("İ" becomes "i", not "i̇")."""
    if text.isascii():
        return text.lower()
    return "".join(low if len(low := ch.lower()) == 1 else ("i" if ch == "İ" else ch) for ch in text)
