"""Postman Collection v2.0/v2.1 to mocks (imports-exports §3.4).

One mock per request item, depth-first through folders, ids `imported-1`, `imported-2`, ... Collection
`variable[]` values replace `{{name}}`. Where the Go tool fails the whole file (a string-form `url` or
`header`, an object `description`) we read the other form; Postman's `:id` path variables become `{id}` so
the mock matches real requests (the Go tool keeps a literal `:id`). Scripts are not run: each item that has
one is listed in the warnings.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from mockd.imports.errors import ImportFailure
from mockd.imports.model import Converted, Source, http_mock
from mockd.imports.source import parse_document

_SKIPPED_HEADERS = {"content-type", "content-length", "accept"}
_VARIABLE = re.compile(r"\{\{([^{}]+)\}\}")
_PATH_VARIABLE = re.compile(r"^:([A-Za-z_][A-Za-z0-9_]*)$")


def convert(source: Source) -> Converted:
    data = parse_document(source.data, source.name, "postman")
    info = data.get("info") if isinstance(data, dict) else None
    schema = info.get("schema") if isinstance(info, dict) else None
    if not isinstance(schema, str) or "postman" not in schema:
        raise ImportFailure(
            "postman: not a valid Postman Collection v2.x", file=source.name, pointer="/info/schema"
        )
    variables = {
        str(v.get("key")): str(v.get("value", ""))
        for v in data.get("variable") or []
        if isinstance(v, dict) and v.get("key")
    }
    out = Converted("postman", name=str(info.get("name", "")) if isinstance(info, dict) else "")
    _walk(data.get("item"), variables, out, "/item")
    return out


def _sub(text: str, variables: dict[str, str]) -> str:
    return _VARIABLE.sub(lambda m: variables.get(m.group(1).strip(), m.group(0)), text)


def _walk(items: Any, variables: dict[str, str], out: Converted, where: str) -> None:
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("item"), list) and item["item"]:
            _walk(item["item"], variables, out, f"{where}/{i}/item")
            continue
        request = item.get("request")
        if request is None:
            continue
        name = str(item.get("name", ""))
        if any(isinstance(e, dict) and e.get("script") for e in item.get("event") or []):
            out.warnings.append(f"postman: item {name!r} has scripts, which are not run")
        out.mocks.append(_mock(item, request, variables, len(out.mocks) + 1))


def _mock(item: dict[str, Any], request: Any, variables: dict[str, str], n: int) -> dict[str, Any]:
    if isinstance(request, str):
        request = {"method": "GET", "url": request}
    method = str(request.get("method", "")).upper()
    url = request.get("url")
    path, query = _url(url, variables)
    matcher: dict[str, Any] = {"method": method, "path": path}
    if query:
        matcher["queryParams"] = query
    headers = {
        str(h["key"]): _sub(str(h.get("value", "")), variables)
        for h in _header_list(request.get("header"))
        if not h.get("disabled") and str(h["key"]).lower() not in _SKIPPED_HEADERS
    }
    if headers:
        matcher["headers"] = headers
    name = str(item.get("name", "")) or f"{method} {path}"
    responses = item.get("response")
    saved = (
        responses[0] if isinstance(responses, list) and responses and isinstance(responses[0], dict) else None
    )
    if saved is None:
        reply: dict[str, Any] = {
            "statusCode": 200,
            "headers": {"Content-Type": "application/json"},
            "body": '{"status": "ok"}',
        }
    else:
        code = saved.get("code")
        reply = {"statusCode": code if isinstance(code, int) and code else 200}
        saved_headers = {str(h["key"]): str(h.get("value", "")) for h in _header_list(saved.get("header"))}
        if saved_headers:
            reply["headers"] = saved_headers
        reply["body"] = _sub(str(saved.get("body") or ""), variables)
    return http_mock(f"imported-{n}", name, matcher, reply)


def _header_list(headers: Any) -> list[dict[str, Any]]:
    if isinstance(headers, str):  # "Name: value\nOther: x"
        pairs = [line.split(":", 1) for line in headers.splitlines() if ":" in line]
        return [{"key": k.strip(), "value": v.strip()} for k, v in pairs]
    return [h for h in headers or [] if isinstance(h, dict) and h.get("key")]


def _url(url: Any, variables: dict[str, str]) -> tuple[str, dict[str, str]]:
    query: dict[str, str] = {}
    if isinstance(url, dict):
        for q in url.get("query") or []:
            if isinstance(q, dict) and q.get("key") and not q.get("disabled"):
                query[str(q["key"])] = _sub(str(q.get("value") or ""), variables)
        segments = url.get("path")
        if isinstance(segments, list) and segments:
            parts = [_sub(str(s), variables) for s in segments]
            return "/" + "/".join(_path_variable(p) for p in parts), query
        url = url.get("raw", "")
    raw = _sub(str(url or ""), variables)
    if "://" not in raw and not raw.startswith("/"):
        raw = "http://" + raw  # `{{baseUrl}}/x` left unresolved, or a bare host
    parsed = urllib.parse.urlsplit(raw)
    if not query:
        query = {k: v for k, v in urllib.parse.parse_qsl(parsed.query, keep_blank_values=True)}
    path = parsed.path or "/"
    return "/".join(_path_variable(p) for p in path.split("/")), query


def _path_variable(segment: str) -> str:
    m = _PATH_VARIABLE.match(segment)
    return "{" + m.group(1) + "}" if m else segment
