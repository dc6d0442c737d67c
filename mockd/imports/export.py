"""Mocks out to other formats: OpenAPI 3.0.3 (imports-exports §4.3), as `GET /openapi.json|yaml` and
`mockd export --format openapi` write it.

Input is the Go mock JSON shape (what `GET /mocks` lists). Beyond the Go exporter, each operation keeps the
mock's `operationId` and a header matcher becomes a header parameter, so exporting then importing gives the
same mocks back (same routes, statuses, content types, bodies and operationIds); a mock matched only by a
`pathPattern` has no OpenAPI path and is left out (the Go tool files it under the empty path `""`).
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml  # type: ignore[import-untyped]

from mockd.imports.source import pretty

_COLON_PARAM = re.compile(r"(?<=/):([A-Za-z_][A-Za-z0-9_]*)")
_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")


def to_openapi(mocks: list[dict[str, Any]], title: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for mock in mocks:
        http = mock.get("http")
        if mock.get("type", "http") not in ("http", "") or not isinstance(http, dict):
            continue
        matcher = http.get("matcher") or {}
        path = str(matcher.get("path") or "")
        if not path:
            continue
        key = _COLON_PARAM.sub(r"{\1}", path)
        item = paths.setdefault(key, {})
        method = str(matcher.get("method") or "").upper()
        if method not in _METHODS:
            continue
        item[method.lower()] = _operation(mock, http, matcher)
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "description": "Exported from mockd", "version": "1.0.0"},
        "paths": paths,
    }


def _operation(mock: dict[str, Any], http: dict[str, Any], matcher: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": mock.get("name", "")}
    if mock.get("operationId"):
        op["operationId"] = mock["operationId"]
    params = [
        {"name": k, "in": "query", "schema": {"type": "string"}, "example": v}
        for k, v in sorted((matcher.get("queryParams") or {}).items())
    ] + [
        {"name": k, "in": "header", "schema": {"type": "string"}, "example": v}
        for k, v in sorted((matcher.get("headers") or {}).items())
    ]
    if params:
        op["parameters"] = params
    response = http.get("response")
    if (
        not isinstance(response, dict)
        or http.get("sse")
        or http.get("chunked")
        or http.get("statefulBinding")
    ):
        op["responses"] = {}
        return op
    status = response.get("statusCode") or 200
    out: dict[str, Any] = {"description": f"{status} response"}
    headers = {k: v for k, v in (response.get("headers") or {}).items() if k != "Content-Type"}
    if headers:
        out["headers"] = {k: {"schema": {"type": "string"}} for k in headers}
    body = response.get("body") or ""
    if body:
        content_type = (response.get("headers") or {}).get("Content-Type") or "application/json"
        try:
            example: Any = json.loads(body)
        except ValueError:
            example = body
        out["content"] = {content_type: {"example": example}}
    op["responses"] = {str(status): out}
    return op


def openapi_json(doc: dict[str, Any]) -> bytes:
    """Two-space indent, sorted keys, HTML-escaped, one trailing newline (Go's encoder)."""
    return (pretty(doc) + "\n").encode()


def openapi_yaml(doc: dict[str, Any]) -> bytes:
    return yaml.safe_dump(doc, sort_keys=True, indent=4, allow_unicode=True).encode()
