"""Regex and JSONPath validity comes from the Rust matcher (`mockd._native`) that will run them."""

from __future__ import annotations

import pytest

from mockd.compiler.check import native as checks


@pytest.mark.parametrize(
    ("pattern", "valid"),
    [
        ("^/users/(?P<id>\\d+)$", True),
        ("^/a(", False),
        ("a(?=b)", False),  # RE2 has no lookahead
        ("(a)\\1", False),  # nor backreferences
        ("[[:alpha:]]+", True),
    ],
)
def test_check_regex_accepts_re2_syntax_only(pattern, valid):
    assert (checks.check_regex(pattern) is None) is valid


@pytest.mark.parametrize(("expr", "valid"), [("$.items[0].id", True), ("$..name", True), ("$.a[", False)])
def test_check_jsonpath(expr, valid):
    assert (checks.check_jsonpath(expr) is None) is valid
