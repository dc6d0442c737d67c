"""Near-miss prose, written in Python from the matcher's facts exactly as Go's GenerateReason words it."""

from __future__ import annotations

import pytest

from mockd.gocompat.quote import go_quote
from mockd.runtime.nearmiss import compose, reason, summary
from mockd.runtime.table import RouteInfo


def f(field: str, matched: bool, **extra: object) -> dict:
    return {"field": field, "matched": matched, "score": 0, "maxScore": 10, **extra}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ([], "no fields to compare"),
        ([f("method", True), f("path", True)], "all specified fields matched"),
        ([f("method", False, expected="GET", actual="POST")], 'method expected "GET", got "POST"'),
        (
            [f("method", True), f("path", True), f("queryParams", True),
             f("headers", False, details=[{"key": "X-A", "expected": "1", "actual": "(missing)", "matched": False}])],
            'method, path, and queryParams matched, but header X-A expected "1", got "(missing)"',
        ),
        ([f("method", True), f("pathPattern", False, expected="^/a$", actual="/b")],
         'method matched, but path expected "^/a$", got "/b"'),
        ([f("method", True), f("bodyEquals", False, expected='{"a":1}')],
         'method matched, but body expected exact match "{\\"a\\":1}"'),
        ([f("bodyPattern", False, expected="a+")], 'body expected to match pattern "a+"'),
        ([f("queryParams", False, details=[])], "query parameter mismatch"),
    ],
)  # fmt: skip
def test_reason_matches_go(fields: list, expected: str) -> None:
    assert reason(fields) == expected


def test_go_quote_escapes_like_percent_q() -> None:
    assert go_quote('a"b\\c\n\t\x01é') == '"a\\"b\\\\c\\n\\t\\x01é"'


def test_body_contains_is_reworded_and_summarised() -> None:
    facts = [{"route": 0, "score": 10, "maxPossibleScore": 30, "matchPercentage": 33,
              "fields": [f("method", True), f("bodyContains", False, expected="pay", actual="(body does not contain substring)")]}]  # fmt: skip
    near = compose(facts, [RouteInfo("m1", None)])
    assert near == [
        {
            "mockId": "m1",
            "score": 10,
            "maxPossibleScore": 30,
            "matchPercentage": 33,
            "fields": [f("method", True), f("bodyContains", False, expected='contains "pay"',
                                            actual="(body does not contain substring)")],
            "reason": 'method matched, but body expected to contain "contains \\"pay\\""',
        }
    ]  # fmt: skip
    assert summary(near) == [
        {"mockId": "m1", "matchPercentage": 33,
         "reason": 'method matched, but body expected to contain "contains \\"pay\\""'}
    ]  # fmt: skip
