"""Insomnia exports to mocks: v4 JSON (`_type: export`, as the Go tool and Insomnia write it) and v5 YAML
(`type: collection.insomnia.rest/5.0`). The Go tool only exports Insomnia; importing it is ours.

Each request becomes a mock matching its method, path, enabled query parameters and enabled headers other
than Content-Type/Accept. Insomnia keeps no responses, so each mock answers 200 `{"status": "ok"}` as the
Go tool's Postman importer does for a request without a saved response. `{{ _.base_url }}`-style variables
in front of the path are dropped; the environment's own values are not substituted.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from mockd.imports.errors import ImportFailure
from mockd.imports.model import Converted, Source, http_mock
from mockd.imports.source import parse_document

_LEADING_VARIABLE = re.compile(r"^\s*\{\{[^}]*\}\}")
_SKIPPED_HEADERS = {"content-type", "content-length", "accept"}


def convert(source: Source) -> Converted:
    data = parse_document(source.data, source.name, "insomnia")
    if isinstance(data, dict) and data.get("_type") == "export":
        requests = [
            r for r in data.get("resources") or [] if isinstance(r, dict) and r.get("_type") == "request"
        ]
    elif isinstance(data, dict) and str(data.get("type", "")).startswith("collection.insomnia.rest"):
        requests = list(_v5_requests(data.get("collection")))
    else:
        raise ImportFailure("insomnia: not an Insomnia v4 or v5 export", file=source.name)
    out = Converted("insomnia", name=str(data.get("name", "")))
    for n, req in enumerate(requests, 1):
        out.mocks.append(_mock(req, n))
    return out


def _v5_requests(items: Any) -> Any:
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("children"), list):
            yield from _v5_requests(item["children"])
        elif "url" in item and "method" in item:
            yield item


def _mock(req: dict[str, Any], n: int) -> dict[str, Any]:
    method = str(req.get("method") or "GET").upper()
    url = _LEADING_VARIABLE.sub("", str(req.get("url") or ""))
    parsed = urllib.parse.urlsplit(
        url if "://" in url else "http://host" + ("" if url.startswith("/") else "/") + url
    )
    path = parsed.path or "/"
    matcher: dict[str, Any] = {"method": method, "path": path}
    query = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
    params = req.get("parameters")
    for p in params if isinstance(params, list) else []:
        if isinstance(p, dict) and p.get("name") and not p.get("disabled"):
            query[str(p["name"])] = str(p.get("value", ""))
    if query:
        matcher["queryParams"] = query
    headers = {
        str(h["name"]): str(h.get("value", ""))
        for h in req.get("headers") or []
        if isinstance(h, dict) and h.get("name") and not h.get("disabled")
        and str(h["name"]).lower() not in _SKIPPED_HEADERS
    }  # fmt: skip
    if headers:
        matcher["headers"] = headers
    reply = {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": '{"status": "ok"}'}
    meta: dict[str, Any] = req["meta"] if isinstance(req.get("meta"), dict) else {}
    raw_id = str(req.get("_id") or meta.get("id") or f"imported-{n}")
    return http_mock(raw_id, str(req.get("name") or f"{method} {path}"), matcher, reply)
