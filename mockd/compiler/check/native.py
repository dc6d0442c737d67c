"""Regex and JSONPath validity, decided by the Rust matcher that will run them.

A pattern is valid if and only if the matcher can compile it, so the compiler asks `mockd._native`:
`check_regex(pattern)` for RE2 syntax and `check_jsonpath(expr)` for the JSONPath dialect each return None
when valid, else the reason.
"""

from mockd._native import check_jsonpath, check_regex

__all__ = ["check_jsonpath", "check_regex"]
