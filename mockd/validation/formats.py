"""String formats of a field rule's `format` (reference §3.9), checked as the Go tool checks them.

Go leans on its standard library (`net/mail`, `time.Parse`, `net/url`, `net.ParseIP`); the checks here accept
the same strings for everything a client plausibly sends. Known approximations: `email` accepts RFC 5322
addresses with an optional display name (`Ann <ann@example.com>`), as `mail.ParseAddress` does, but not
comments or obsolete syntax. An unknown format passes, as in Go (names compare case-insensitively).
"""

from __future__ import annotations

import calendar
import ipaddress
import re
from collections.abc import Callable
from urllib.parse import urlsplit

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u0080-\U0010ffff]"
_DOT_ATOM = rf"{_ATEXT}+(?:\.{_ATEXT}+)*"
_QUOTED = r'"(?:[^"\\\r\n]|\\.)*"'
_ADDR_SPEC = rf"(?:{_DOT_ATOM}|{_QUOTED})@(?:{_DOT_ATOM}|\[[^\[\]\\]*\])"
_PHRASE = rf"(?:(?:{_ATEXT}|[ .])+|{_QUOTED})"
_EMAIL = re.compile(rf"[ \t]*(?:{_ADDR_SPEC}|(?:{_PHRASE})?[ \t]*<{_ADDR_SPEC}>)[ \t]*")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?"
    r"| (\d{2}):(\d{2}):(\d{2})(?:\.\d+)?)"
)
_HOSTNAME = re.compile(
    r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def email(value: str) -> bool:
    """`mail.ParseAddress` accepts it, it has exactly one `@`, and the part after it has a dot."""
    parts = value.split("@")
    return len(parts) == 2 and "." in parts[1] and _EMAIL.fullmatch(value) is not None


def uuid(value: str) -> bool:
    return _UUID.fullmatch(value) is not None


def _valid_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def date(value: str) -> bool:
    """`time.Parse("2006-01-02")`: exactly two digits for month and day, and a real day of that month."""
    m = _DATE.fullmatch(value)
    return m is not None and _valid_date(int(m[1]), int(m[2]), int(m[3]))


def datetime(value: str) -> bool:
    """RFC 3339 (zone optional after `T`) or `2006-01-02 15:04:05`, fractional seconds allowed."""
    m = _DATETIME.fullmatch(value)
    if m is None or not _valid_date(int(m[1]), int(m[2]), int(m[3])):
        return False
    hour, minute, second = (m[4], m[5], m[6]) if m[4] is not None else (m[8], m[9], m[10])
    if not (int(hour) < 24 and int(minute) < 60 and int(second) < 60):
        return False
    zone = m[7]
    return not zone or zone == "Z" or (int(zone[1:3]) < 24 and int(zone[4:6]) < 60)


def uri(value: str) -> bool:
    """`url.Parse` succeeds and the URL has both a scheme and a host."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value) or _BAD_ESCAPE.search(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    if not parts.scheme or not _SCHEME.fullmatch(value.split(":", 1)[0]):
        return False
    host = parts.netloc.rpartition("@")[2]
    return bool(host) and " " not in host


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if "%" in value:  # zones are not IPs to net.ParseIP
        return None
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_v4(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Go's `To4() != nil`: IPv4, or IPv6 that maps one (`::ffff:1.2.3.4`)."""
    return isinstance(ip, ipaddress.IPv4Address) or ip.ipv4_mapped is not None


def ipv4(value: str) -> bool:
    ip = _ip(value)
    return ip is not None and _is_v4(ip)


def ipv6(value: str) -> bool:
    ip = _ip(value)
    return ip is not None and not _is_v4(ip)


def ip(value: str) -> bool:
    return _ip(value) is not None


def hostname(value: str) -> bool:
    return len(value) <= 253 and _HOSTNAME.fullmatch(value) is not None


FORMATS: dict[str, Callable[[str], bool]] = {
    "email": email, "uuid": uuid, "date": date, "datetime": datetime, "date-time": datetime, "uri": uri,
    "url": uri, "ipv4": ipv4, "ipv6": ipv6, "ip": ip, "hostname": hostname,
}  # fmt: skip


def check(fmt: str, value: str) -> bool:
    """True when `value` has format `fmt`; unknown formats pass (the Go tool ignores them)."""
    checker = FORMATS.get(fmt.lower())
    return checker is None or checker(value)


def detect(value: str) -> str:
    """The first format a seed value has, most specific first (Go's `DetectFormat`, used by `auto`)."""
    for name, checker in (
        ("uuid", uuid), ("email", email), ("ipv4", ipv4), ("ipv6", ipv6), ("date", date),
        ("datetime", datetime), ("uri", uri),
    ):  # fmt: skip
        if checker(value):
            return name
    return "hostname" if hostname(value) and "." in value else ""
