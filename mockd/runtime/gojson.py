"""JSON bytes as the Go tool writes them, so clients that compare bodies byte-for-byte keep working.

Go's encoder escapes `<`, `>` and `&` inside strings (as `\\u003c`, `\\u003e`, `\\u0026`), sorts the keys of
map-backed objects, and its streaming encoder (used for admin replies) ends the body with one newline.
Those three characters can only occur inside JSON strings, so escaping them after orjson is exact.
"""

from __future__ import annotations

from typing import Any

import orjson

_ESCAPES = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))


def _escape_html(data: bytes) -> bytes:
    if b"<" in data or b">" in data or b"&" in data:
        for raw, escaped in _ESCAPES:
            data = data.replace(raw, escaped)
    return data


def marshal(value: Any, *, sort_keys: bool = False) -> bytes:
    """Go `json.Marshal`: compact, HTML-escaped, no trailing newline."""
    option = orjson.OPT_SORT_KEYS if sort_keys else 0
    return _escape_html(orjson.dumps(value, option=option))


def encode(value: Any, *, sort_keys: bool = False) -> bytes:
    """Go `json.NewEncoder(w).Encode`: as `marshal`, plus the trailing newline."""
    return marshal(value, sort_keys=sort_keys) + b"\n"
