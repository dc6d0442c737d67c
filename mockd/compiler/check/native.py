"""Regex and JSONPath validity, decided by the Rust matcher that will run them.

A pattern is valid if and only if the matcher can compile it, so the compiler asks `mockd._native`
(`check_regex` for RE2 syntax, `check_jsonpath` for the JSONPath dialect). Until the extension exports them
(they are being written alongside the matcher), a Python approximation is used: Python's `re` plus a
rejection of the Perl-only constructs RE2 refuses, and a bracket-balance check for JSONPath. The test
`test_native_checks_are_exported` fails while the fallback is in use, so it cannot quietly become permanent.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

Check = Callable[[str], "str | None"]

# Constructs Python's `re` accepts but RE2 (Go's regexp, Rust's regex) refuses.
_PERL_ONLY = re.compile(r"\(\?(?:=|!|<=|<!|>|P=|#)|\\[1-9]")


def _fallback_regex(pattern: str) -> str | None:
    perl = _PERL_ONLY.search(pattern)
    if perl is not None:
        return f"invalid or unsupported Perl syntax: `{perl.group()}`"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except re.error as exc:
        return str(exc.msg)
    return None


def _fallback_jsonpath(expr: str) -> str | None:
    depth: list[str] = []
    pairs = {"]": "[", ")": "("}
    quote: str | None = None
    for i, c in enumerate(expr):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "[(":
            depth.append(c)
        elif c in "])" and (not depth or depth.pop() != pairs[c]):
            return f"unexpected '{c}' at {i + 1}"
    if quote or depth:
        return "not terminated"
    return None


def _load() -> tuple[Check, Check, bool]:
    try:
        from mockd import _native
    except ImportError:  # pragma: no cover - the extension is part of every install
        return _fallback_regex, _fallback_jsonpath, False
    regex = getattr(_native, "check_regex", None)
    jsonpath = getattr(_native, "check_jsonpath", None)
    if regex is None or jsonpath is None:
        return _fallback_regex, _fallback_jsonpath, False
    return regex, jsonpath, True


check_regex, check_jsonpath, NATIVE = _load()
"""`check_regex(pattern)` / `check_jsonpath(expr)`: None when valid, else the reason. `NATIVE` says whether
the answers come from the Rust matcher (True) or from the temporary Python approximation (False)."""
