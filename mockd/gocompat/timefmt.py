"""Timestamps formatted as Go's `time` package prints them: RFC 3339, fractional seconds trimmed, `Z` for UTC.

The one place for Go time formats: admin replies, item timestamps, the request log and the template
functions all print through these helpers.
"""

from __future__ import annotations

from datetime import UTC, datetime


def _trim_fraction(text: str) -> str:
    # isoformat gives "2026-01-02T03:04:05.120000+00:00"; Go's RFC3339Nano trims trailing zeros.
    head, dot, rest = text.partition(".")
    if not dot:
        return text
    digits = rest[:6]
    zone = rest[6:]
    digits = digits.rstrip("0")
    return f"{head}.{digits}{zone}" if digits else f"{head}{zone}"


def _zone_z(text: str) -> str:
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def rfc3339_nano_local(ts: float) -> str:
    """`time.RFC3339Nano` in the local zone: how Go serialises `time.Time` fields (mocks, items, log)."""
    return _zone_z(_trim_fraction(datetime.fromtimestamp(ts).astimezone().isoformat()))


def rfc3339_nano_utc(ts: float) -> str:
    """`time.RFC3339Nano` in UTC from float seconds (microsecond precision): the admin `/health` timestamp."""
    return _zone_z(_trim_fraction(datetime.fromtimestamp(ts, UTC).isoformat()))


def rfc3339_nano_utc_ns(ns: int) -> str:
    """`time.RFC3339Nano` in UTC from integer nanoseconds (all nine digits kept, trailing zeros trimmed)."""
    seconds, fraction = divmod(ns, 1_000_000_000)
    head = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    digits = f"{fraction:09d}".rstrip("0")
    return f"{head}.{digits}Z" if digits else f"{head}Z"


def rfc3339_utc_seconds(ts: float) -> str:
    """`time.RFC3339` in UTC, whole seconds: the mock port's health timestamp."""
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc3339_local_seconds(ts: float) -> str:
    """`time.RFC3339` in the local zone, whole seconds: the `{{now}}` template value."""
    return _zone_z(datetime.fromtimestamp(int(ts)).astimezone().isoformat())
