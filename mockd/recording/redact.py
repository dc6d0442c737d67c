"""Redaction before a recording is kept: nothing secret reaches memory, an export or a file.

Beyond the Go tool (which only warns about sensitive data at conversion time). Header values are replaced
whole; in JSON bodies the value of every object member with a listed name is replaced at any depth (names
compared case-insensitively), and the body is re-serialised compactly. A body that is not JSON is kept as is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mockd.recording.model import Recording

REDACTED = "[REDACTED]"
DEFAULT_HEADERS = frozenset(("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"))


@dataclass(frozen=True, slots=True)
class RedactionRules:
    headers: frozenset[str] = DEFAULT_HEADERS  # lower-case names
    json_fields: frozenset[str] = field(default_factory=frozenset)  # lower-case member names

    @classmethod
    def build(cls, headers: list[str] | None = None, fields: list[str] | None = None, *,
              defaults: bool = True) -> RedactionRules:  # fmt: skip
        """Rules from user lists (each item may itself be comma-separated), on top of the defaults."""
        extra = {h.strip().lower() for item in headers or [] for h in item.split(",") if h.strip()}
        names = {f.strip().lower() for item in fields or [] for f in item.split(",") if f.strip()}
        base = DEFAULT_HEADERS if defaults else frozenset()
        return cls(frozenset(base | extra), frozenset(names))

    def apply(self, rec: Recording) -> Recording:
        """`rec` with its secrets replaced (in place; returned for chaining)."""
        _headers(rec.request_headers, self.headers)
        _headers(rec.response_headers, self.headers)
        if self.json_fields:
            rec.request_body = _json_body(rec.request_body, self.json_fields)
            rec.response_body = _json_body(rec.response_body, self.json_fields)
        return rec


def _headers(headers: dict[str, list[str]], names: frozenset[str]) -> None:
    for name, values in headers.items():
        low = name.lower()
        if low == "cookie" and low in names:  # names kept (a reviewer sees which), every value replaced
            headers[name] = ["; ".join(_cookie(p) for p in v.split(";") if p.strip()) for v in values]
        elif low == "set-cookie" and low in names:  # the cookie's value; its attributes are not secret
            headers[name] = [";".join([_cookie(v.split(";", 1)[0]), *v.split(";")[1:]]) for v in values]
        elif low in names:
            headers[name] = [REDACTED] * len(values)


def _cookie(pair: str) -> str:
    name, eq, _ = pair.strip().partition("=")
    return f"{name}={REDACTED}" if eq else REDACTED


def _json_body(body: bytes, names: frozenset[str]) -> bytes:
    if not body or body.lstrip()[:1] not in (b"{", b"["):
        return body
    try:
        value = json.loads(body)
    except ValueError:
        return body
    changed = _walk(value, names)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode() if changed else body


def _walk(value: Any, names: frozenset[str]) -> bool:
    changed = False
    if isinstance(value, dict):
        for key in value:
            if key.lower() in names:
                value[key] = REDACTED
                changed = True
            else:
                changed = _walk(value[key], names) or changed
    elif isinstance(value, list):
        for item in value:
            changed = _walk(item, names) or changed
    return changed
