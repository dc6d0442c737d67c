"""Table tests of the admin package's small pieces: Go's strconv and header rules, omitempty, the limiter."""

from __future__ import annotations

import pytest

from mockd.runtime.admin.http import go_atoi, go_parse_bool
from mockd.runtime.admin.models import Invocation, MockVerification, RequestLogEntry, VerifyResult
from mockd.runtime.admin.ratelimit import RateLimiter, limiter_for
from mockd.runtime.admin.requestlog import canonical_header_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5", 5), ("+5", 5), ("-3", -3), ("007", 7), ("", None), (" 5", None), ("5.0", None), ("1_000", None),
     ("٣", None), ("9223372036854775807", 2**63 - 1), ("9223372036854775808", None)],
)  # fmt: skip
def test_go_atoi(text: str, expected: int | None) -> None:
    assert go_atoi(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", True), ("t", True), ("TRUE", True), ("True", True), ("0", False), ("F", False), ("false", False),
     ("yes", None), ("tRuE", None), ("", None)],
)  # fmt: skip
def test_go_parse_bool(text: str, expected: bool | None) -> None:
    assert go_parse_bool(text) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("content-type", "Content-Type"), ("x-api-KEY", "X-Api-Key"), ("dnt", "Dnt"), ("x-a_b", "X-A_b"),
     ("bad header", "bad header"), ("", "")],
)  # fmt: skip
def test_canonical_header_key(name: str, expected: str) -> None:
    assert canonical_header_key(name) == expected


def test_omitempty_follows_go() -> None:
    # zero values of omitempty fields disappear; others stay even when zero; order is declaration order
    assert VerifyResult(passed=False, actual=0).model_dump() == {"passed": False, "actual": 0}
    assert MockVerification(mockId="m", callCount=0).model_dump() == {"mockId": "m", "callCount": 0}
    assert Invocation(id="req-1", timestamp="t", method="GET", path="/", headers={}, body="").go_json() == (
        b'{"id":"req-1","timestamp":"t","method":"GET","path":"/"}\n'
    )
    entry = RequestLogEntry(id="req-1", timestamp="t", path="/<b>&", durationMs=0, bodySize=0, statusCode=0)
    assert entry.go_json(newline=False) == (  # Go's HTML escaping, no trailing newline for json.Marshal
        b'{"id":"req-1","timestamp":"t","protocol":"http","path":"/\\u003cb\\u003e\\u0026","durationMs":0}'
    )


def test_rate_limiter_arithmetic_matches_go() -> None:
    limiter = RateLimiter(rate=2, burst=4)
    first = [limiter.allow("a", now=100.0) for _ in range(5)]
    # Go: the reset is computed before the token is taken (a full bucket says 0), rounded down, at least 1
    assert first == [(True, 3, 0), (True, 2, 1), (True, 1, 1), (True, 0, 1), (False, 0, 1)]
    assert limiter.allow("b", now=100.0) == (True, 3, 0)  # per address
    assert limiter.allow("a", now=100.5) == (True, 0, 1)  # one token back after 0.5 s at 2/s
    assert limiter.headers(False, 0, 1) == [
        ("x-ratelimit-limit", "4"), ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1"), ("retry-after", "1"),
    ]  # fmt: skip


def test_rate_limiter_refuses_new_addresses_past_the_bucket_cap() -> None:
    limiter = RateLimiter(rate=1, burst=2, max_buckets=2)
    assert [limiter.allow(ip, now=0.0)[0] for ip in ("a", "b", "c")] == [True, True, False]
    assert limiter.allow("c", now=5.0)[0] is True  # full buckets are swept to make room


def test_limiter_is_off_unless_asked_for() -> None:
    assert limiter_for(0) is None
    limiter = limiter_for(100)
    assert limiter is not None
    assert (limiter.rate, limiter.burst) == (100, 200)  # the Go tool's 100/s, burst 200
