"""Go regular expressions for Python code: chaos rules' `pathPattern`.

Mocks' patterns are matched in the Rust crate with Go's syntax and semantics (RE2: no look-around or
back-references; ASCII `\\d`, `\\w`, `\\s`; `\\z`, `\\pL`, `[[:alpha:]]`). A chaos rule's pattern is the
same kind of value in the same config, so it goes through the same translation and engine instead of
Python's `re`, which would accept patterns Go refuses and read others differently.
"""

from __future__ import annotations

from mockd._native import GoRegex

__all__ = ["GoRegex", "compile_go"]


def compile_go(pattern: str) -> GoRegex:
    """The compiled pattern; ValueError with Go's reason when Go would refuse it."""
    return GoRegex(pattern)
