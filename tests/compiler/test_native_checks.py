"""Regex and JSONPath validity must come from the Rust matcher (`mockd._native`), not the Python stand-in.

The compiler falls back to a Python approximation while the extension does not export `check_regex` /
`check_jsonpath` yet; this test fails until it does, so the fallback cannot silently become permanent.
"""

from __future__ import annotations

import pytest

from mockd.compiler.check import native as checks


def test_native_checks_are_exported():
    from mockd import _native

    assert hasattr(_native, "check_regex"), "mockd._native.check_regex is missing: rebuild the extension"
    assert hasattr(_native, "check_jsonpath"), (
        "mockd._native.check_jsonpath is missing: rebuild the extension"
    )
    assert checks.NATIVE


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
