"""Go's number printing and parsing (mockd-reference §3.8): every expected value was produced by the Go tool."""

from __future__ import annotations

import math

import pytest

from mockd.templates.gofmt import (
    INT64_MAX,
    INT64_MIN,
    atoi,
    format_fixed,
    format_float_f,
    format_float_g,
    format_value,
    parse_float,
    wrap_int64,
)

# (JSON number literal, what `{{request.body.v}}` prints for it in the Go tool)
GO_PERCENT_V = [
    ("0", "0"),
    ("-0", "-0"),
    ("-0.0", "-0"),
    ("1", "1"),
    ("30", "30"),
    ("1.5", "1.5"),
    ("100", "100"),
    ("100000", "100000"),
    ("1e5", "100000"),
    ("123456.7", "123456.7"),
    ("999999.9999", "999999.9999"),
    ("1000000", "1e+06"),  # decimal exponent >= 6: exponent form
    ("1.0e6", "1e+06"),
    ("1234567", "1.234567e+06"),
    ("9999999", "9.999999e+06"),
    ("-1000000", "-1e+06"),
    ("12345678901234567", "1.2345678901234568e+16"),
    ("123456789012345678901234567890", "1.2345678901234568e+29"),
    ("1e21", "1e+21"),
    ("1e300", "1e+300"),
    ("1.7976931348623157e308", "1.7976931348623157e+308"),
    ("0.1", "0.1"),
    ("0.0001", "0.0001"),
    ("0.000123", "0.000123"),
    ("0.00001", "1e-05"),  # decimal exponent < -4: exponent form
    ("1.5e-7", "1.5e-07"),
    ("5e-324", "5e-324"),
    ("-2.5", "-2.5"),
    ("3.14159265358979", "3.14159265358979"),
]


@pytest.mark.parametrize(("literal", "expected"), GO_PERCENT_V)
def test_format_float_g_matches_go_percent_v(literal: str, expected: str) -> None:
    assert format_float_g(float(literal)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"b": 1.0, "a": [1, "x y", None, True, {"z": False}]}, "map[a:[1 x y <nil> true map[z:false]] b:1]"),
        ([], "[]"),
        ({}, "map[]"),
        (None, "<nil>"),
        ("str", "str"),
        (1000000, "1e+06"),  # integers decode as float64 in Go
        (True, "true"),
    ],
)
def test_format_value_prints_like_go(value: object, expected: str) -> None:
    assert format_value(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3.5268053342391843, "3.5268053342391843"),
        (1e21, "1000000000000000000000"),
        (1.5e-7, "0.00000015"),
        (-0.0, "-0"),
        (math.inf, "+Inf"),
        (-math.inf, "-Inf"),
        (math.nan, "NaN"),
    ],
)
def test_format_float_f_never_uses_an_exponent(value: float, expected: str) -> None:
    assert format_float_f(value) == expected


def test_format_fixed_spells_infinities_like_go() -> None:
    assert [format_fixed(2.675, 2), format_fixed(math.inf, 2), format_fixed(math.nan, 0)] == [
        "2.67",  # both languages round the exact binary value (2.67499999...)
        "+Inf",
        "NaN",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", (42, True)),
        ("+7", (7, True)),
        ("-7", (-7, True)),
        ("007", (7, True)),
        ("", (0, False)),
        ("+", (0, False)),
        (" 1", (0, False)),
        ("1_000", (0, False)),
        ("1.0", (0, False)),
        ("٣", (0, False)),  # non-ASCII digits are not digits to Go
        ("99999999999999999999", (INT64_MAX, False)),  # out of range: clamped, not ok
        ("-99999999999999999999", (INT64_MIN, False)),
    ],
)
def test_atoi_follows_strconv(text: str, expected: tuple[int, bool]) -> None:
    assert atoi(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.5", (1.5, True)),
        ("-1e3", (-1000.0, True)),
        (".5", (0.5, True)),
        ("5.", (5.0, True)),
        ("0x1p4", (16.0, True)),
        ("Inf", (math.inf, True)),
        ("-infinity", (-math.inf, True)),
        ("1e400", (math.inf, False)),
        ("1_000", (0.0, False)),  # Python's float() would accept this; Go does not
        ("abc", (0.0, False)),
        ("", (0.0, False)),
    ],
)
def test_parse_float_follows_strconv(text: str, expected: tuple[float, bool]) -> None:
    assert parse_float(text) == expected


def test_wrap_int64_wraps_like_go_int() -> None:
    assert [wrap_int64(INT64_MAX + 1), wrap_int64(INT64_MIN - 1), wrap_int64(5)] == [INT64_MIN, INT64_MAX, 5]
