"""Lexical rules of the Go tool's templates: where expressions are, and how arguments are split and quoted."""

from __future__ import annotations

import re

# `{{\s*([^}]+?)\s*}}` with Go's RE2 `\s` (ASCII space, \t \n \f \r; not \v): an expression cannot contain
# `}`, and `[^}]` spans newlines. Python's leftmost backtracking match gives the same spans as RE2 here.
TOKEN = re.compile(r"\{\{[\t\n\f\r ]*([^}]+?)[\t\n\f\r ]*\}\}")

# Go's unicode.IsSpace set, used by strings.TrimSpace and strings.Fields. Python's str.strip()/split() would
# also treat \x1c-\x1f as spaces.
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
    "\u2028\u2029\u202f\u205f\u3000"  # fmt: skip
_FIELDS = re.compile(f"[{GO_SPACE}]+")


def trim(text: str) -> str:
    """`strings.TrimSpace`."""
    return text.strip(GO_SPACE)


def fields(text: str) -> list[str]:
    """`strings.Fields`: split on runs of white space, no empty items."""
    return [part for part in _FIELDS.split(text) if part]


def is_quoted(text: str) -> bool:
    return len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'"


def unquote_arg(text: str) -> str:
    """An argument as a literal: trimmed, and one pair of matching surrounding quotes removed."""
    text = trim(text)
    return text[1:-1] if is_quoted(text) else text


def split_args(text: str) -> list[str]:
    """Comma-separated arguments; commas inside quotes do not split. Each item is trimmed.

    Mirrors the Go tool exactly, including its edge: a trailing comma adds no empty item unless white
    space follows it (`"a,"` -> ["a"], `"a, "` -> ["a", ""]).
    """
    args: list[str] = []
    current: list[str] = []
    quote = ""
    for ch in text:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            current.append(ch)
        elif ch == ",":
            args.append(trim("".join(current)))
            current = []
        else:
            current.append(ch)
    if current:
        args.append(trim("".join(current)))
    return args
