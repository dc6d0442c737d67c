"""Small helpers for whole-shape assertions on admin replies.

Server-chosen values (timestamps, generated ids, sort keys, client ports) are checked for their format and
then replaced by a placeholder, explicitly and only where a test asks, so everything else is compared
exactly.
"""

from __future__ import annotations

import re
from typing import Any

import requests

RFC3339_NANO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})")
ADMIN_ID = re.compile(r"http_[0-9a-f]{16}")
TIME_KEYS = frozenset(("createdAt", "updatedAt", "timestamp", "lastCalledAt"))

TS = "<ts>"


def stamps(value: Any) -> Any:
    """Every timestamp-valued key (createdAt, updatedAt, timestamp, lastCalledAt) checked to be RFC 3339
    with nanoseconds trimmed, then replaced by "<ts>"; `metaSortKey` checked to be a negative epoch-ms
    integer, then replaced by "<sort>"."""
    if isinstance(value, list):
        return [stamps(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key in TIME_KEYS and isinstance(item, str):
            assert RFC3339_NANO.fullmatch(item), item
            assert not re.search(r"\.\d*0(Z|[+-])", item), f"trailing zeros not trimmed: {item}"
            out[key] = TS
        elif key == "metaSortKey" and isinstance(item, int) and item < -1_600_000_000_000:
            out[key] = "<sort>"
        else:
            out[key] = stamps(item)
    return out


def http_mock(path: str, *, method: str = "GET", status: int = 200, body: str = "ok", **top: Any) -> dict:
    """A current-shape HTTP mock body for POST /mocks."""
    return {"type": "http", **top, "http": {"matcher": {"method": method, "path": path},
                                            "response": {"statusCode": status, "body": body}}}  # fmt: skip


def served(method: str, path: str, status: int = 200, body: str = "ok") -> dict:
    """An HTTP mock's `http` part as the admin API serves it back."""
    return {"matcher": {"method": method, "path": path}, "response": {"statusCode": status, "body": body}}


def create(admin: str, mock: dict) -> dict:
    r = requests.post(admin + "/mocks", json=mock, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()


def error(status: int, code: str, message: str) -> tuple[int, dict]:
    return status, {"error": code, "message": message}


def answer(r: requests.Response) -> tuple[int, Any]:
    """(status, JSON body) of a reply whose body must be JSON ending with Go's encoder newline."""
    assert r.headers["content-type"] == "application/json", r.headers
    assert r.content.endswith(b"\n"), r.content
    return r.status_code, r.json()
