"""Whether a received frame satisfies a matcher (protocols-reference §2.3)."""

from __future__ import annotations

import math
from typing import Any

import orjson

from mockd.gocompat import gojson
from mockd.protocols.websocket.config import Match


def matches(match: Match, data: str | bytes) -> bool:
    """`data` is the frame: str for text frames, bytes for binary ones."""
    binary = isinstance(data, bytes)
    if (match.message_type == "text" and binary) or (match.message_type == "binary" and not binary):
        return False
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    kind = match.type
    if kind == "exact":
        return text == match.value
    if kind == "contains":
        return match.value in text
    if kind == "prefix":
        return text.startswith(match.value)
    if kind == "suffix":
        return text.endswith(match.value)
    if kind == "regex":
        return match.regex is not None and match.regex.search(text) is not None
    return _json(match, text)


def _json(match: Match, text: str) -> bool:
    try:
        value: Any = orjson.loads(text)
    except orjson.JSONDecodeError:
        return False
    if not isinstance(value, dict):
        return False
    for key in match.path:
        if not isinstance(value, dict) or key not in value:
            return False
        value = value[key]
    return value is not None and _compare_text(value) == match.value


def _compare_text(value: Any) -> str:
    """A JSON value as the Go tool turns it into text before comparing (reference §2.3)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 2**63:
            return str(int(value))
        return repr(value)
    return gojson.marshal(value, sort_keys=True).decode()
