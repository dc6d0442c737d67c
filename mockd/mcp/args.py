"""Reading tool arguments the way the Go tool does: a value of the wrong JSON type counts as absent.

So `{"limit": "10"}` means the default limit, not an error, exactly as `getInt` in the Go handlers; the
checks that do fail (a missing id, an unknown action) are the handlers' own, with the Go tool's texts.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

Args = dict[str, Any]


def string(args: Args, key: str, default: str = "") -> str:
    value = args.get(key)
    return value if isinstance(value, str) else default


def integer(args: Args, key: str, default: int = 0) -> int:
    value = args.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return int(value)


def number(args: Args, key: str) -> float:
    value = args.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return float(value)


def boolean(args: Args, key: str, default: bool = False) -> bool:
    value = args.get(key)
    return value if isinstance(value, bool) else default


def optional_bool(args: Args, key: str) -> bool | None:
    value = args.get(key)
    return value if isinstance(value, bool) else None


def mapping(args: Args, key: str) -> dict[str, Any] | None:
    value = args.get(key)
    return value if isinstance(value, dict) else None


def seg(value: str) -> str:
    """One path segment (an id with `/` in it must not change the route)."""
    return urllib.parse.quote(value, safe="")
