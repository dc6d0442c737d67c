"""Recordings to mocks (operations reference §2.6, plus issue 17's matcher choice).

Recordings are grouped by method and path. Within a group the matcher adds the query only when the group's
recordings had different queries, and the body only when they had different bodies: one recording of
`GET /users?page=2` becomes a plain `GET /users` mock, but `page=1` and `page=2` become two mocks that
match on `page`. Then one mock per distinct key (`duplicates`: first, last, or all). Response headers keep
their first value, minus the ones the Go tool leaves out (dates, lengths, caching validators...).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl

from mockd.recording.model import Recording

SKIPPED_RESPONSE_HEADERS = frozenset(
    ("Date", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Server", "X-Powered-By",
     "Age", "Expires", "Last-Modified", "ETag")
)  # fmt: skip
Duplicates = Literal["first", "last", "all"]

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_INT = re.compile(r"-?[0-9]+")
_HEX = re.compile(r"[0-9a-fA-F]{16,}")
_TOKEN = re.compile(r"[0-9A-Za-z_-]{20,}")


@dataclass(frozen=True, slots=True)
class ConvertOptions:
    duplicates: Duplicates = "first"
    include_headers: bool = False  # match on every recorded request header's first value (the Go option)
    smart_match: bool = False  # ids in paths become `{id}` (the Go option)


def smart_path(path: str) -> str:
    """Segments that look like ids (UUID, 64-bit integer, >=16 hex digits, >=20 token chars) become `{id}`."""
    out = []
    for seg in path.split("/"):
        is_int = _INT.fullmatch(seg) is not None and -(2**63) <= int(seg) < 2**63
        looks_id = _UUID.fullmatch(seg) or is_int or _HEX.fullmatch(seg) or _TOKEN.fullmatch(seg)
        out.append("{id}" if seg and looks_id else seg)
    return "/".join(out)


def _query_key(rec: Recording) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(parse_qsl(rec.query, keep_blank_values=True)))


def matcher_keys(recs: list[Recording], smart: bool) -> list[tuple[Any, ...]]:
    """Each recording's key: (method, path, query-or-None, body-or-None), with query and body present only
    where that recording's method+path group saw more than one value of them."""
    paths = [smart_path(r.path) if smart else r.path for r in recs]
    groups: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(recs):
        groups.setdefault((r.method, paths[i]), []).append(i)
    keys: list[tuple[Any, ...]] = [()] * len(recs)
    for (method, path), members in groups.items():
        query_varies = len({_query_key(recs[i]) for i in members}) > 1
        body_varies = len({recs[i].request_body for i in members}) > 1
        for i in members:
            keys[i] = (
                method,
                path,
                _query_key(recs[i]) if query_varies else None,
                recs[i].request_body if body_varies else None,
            )
    return keys


def to_mocks(recs: Iterable[Recording], options: ConvertOptions = ConvertOptions()) -> list[dict[str, Any]]:
    """Mock configs (the admin API's and config files' shape), in recording order, deduplicated."""
    recs = list(recs)
    keys = matcher_keys(recs, options.smart_match)
    chosen: dict[tuple[Any, ...], Recording] = {}
    kept: list[tuple[tuple[Any, ...], Recording]] = []
    for key, rec in zip(keys, recs, strict=True):
        if options.duplicates == "all":
            kept.append((key, rec))
        elif options.duplicates == "last" or key not in chosen:
            chosen[key] = rec
    if options.duplicates != "all":
        kept = list(chosen.items())
    return [to_mock(rec, key, options) for key, rec in kept]


def to_mock(rec: Recording, key: tuple[Any, ...], options: ConvertOptions) -> dict[str, Any]:
    method, path, query, body = key
    matcher: dict[str, Any] = {"method": method, "path": path}
    if options.include_headers and rec.request_headers:
        matcher["headers"] = {k: v[0] for k, v in rec.request_headers.items() if v}
    if query is not None and query:
        matcher["queryParams"] = dict(query)
    if body is not None:
        matcher["bodyEquals"] = body.decode("utf-8", "replace")
    response: dict[str, Any] = {"statusCode": rec.status}
    headers = {k: v[0] for k, v in rec.response_headers.items() if v and k not in SKIPPED_RESPONSE_HEADERS}
    if headers:
        response["headers"] = headers
    response["body"] = rec.response_body.decode("utf-8", "replace")
    return {
        "id": secrets.token_hex(8),
        "type": "http",
        "enabled": True,
        "http": {"matcher": matcher, "response": response},
    }


_STATUS_RANGES = {"success": "2xx", "ok": "2xx", "client-error": "4xx", "server-error": "5xx"}


def status_matches(spec: str, status: int) -> bool:
    """`200,201`, `2xx`, `4xx,5xx`, or success, ok, error, client-error, server-error; empty matches all."""
    items = [i.strip().lower() for i in spec.split(",") if i.strip()]
    if not items:
        return True
    for item in items:
        if item == "error":
            if status >= 400:
                return True
            continue
        item = _STATUS_RANGES.get(item, item)
        if len(item) == 3 and item.endswith("xx") and item[0].isdigit():
            if status // 100 == int(item[0]):
                return True
        elif item.isdecimal() and int(item) == status:
            return True
    return False


def path_matches(pattern: str, path: str) -> bool:
    """An anchored glob with `*` (any run) and `?` (one character); '' matches all."""
    if not pattern:
        return True
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, path, re.DOTALL) is not None
