"""Mocks out to other formats: OpenAPI 3.0.3 (imports-exports §4.3), as `GET /openapi.json|yaml` and
`mockd export --format openapi` write it, and Insomnia v4 JSON / v5 YAML (§4.4, §4.5) for the admin's
`GET /insomnia.json|yaml`.

Input is the Go mock JSON shape (what `GET /mocks` lists). Beyond the Go exporter, each operation keeps the
mock's `operationId` and a header matcher becomes a header parameter, so exporting then importing gives the
same mocks back (same routes, statuses, content types, bodies and operationIds); a mock matched only by a
`pathPattern` has no OpenAPI path and is left out (the Go tool files it under the empty path `""`).
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import yaml  # type: ignore[import-untyped]

from mockd.gocompat import gojson
from mockd.imports.source import indent, pretty

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


# ------------------------------------------------------------------------------------------ Insomnia


def _http_mocks(mocks: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    out = []
    for mock in mocks:
        http = mock.get("http")
        if mock.get("type", "http") in ("http", "") and isinstance(http, dict):
            out.append((mock, http.get("matcher") or {}))
    return out


def to_insomnia_v4(
    mocks: list[dict[str, Any]], *, base_url: str, admin_url: str, now: float
) -> dict[str, Any]:
    """Insomnia's v4 export (imports-exports §4.4): a workspace, a base environment, an `HTTP Mocks` folder
    and one request per HTTP mock, addressed through `{{ _.base_url }}`."""
    ms = int(now * 1000)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
    resources: list[dict[str, Any]] = [
        {
            "_id": "wrk_mockd",
            "_type": "workspace",
            "parentId": None,
            "modified": ms,
            "created": ms,
            "name": "mockd Mocks",
            "description": "Exported from mockd",
            "scope": "collection",
        },
        {
            "_id": "env_mockd_base",
            "_type": "environment",
            "parentId": "wrk_mockd",
            "modified": ms,
            "created": ms,
            "name": "Base Environment",
            "metaSortKey": ms,
            "data": {"admin_url": admin_url, "base_url": base_url},
        },
    ]
    http = _http_mocks(mocks)
    if http:
        resources.append(
            {
                "_id": "fld_http",
                "_type": "request_group",
                "parentId": "wrk_mockd",
                "modified": ms,
                "created": ms,
                "name": "HTTP Mocks",
                "metaSortKey": -ms,
            }
        )
    for mock, matcher in http:
        request: dict[str, Any] = {
            "_id": f"req_{mock.get('id', '')}",
            "_type": "request",
            "parentId": "fld_http",
            "modified": ms,
            "created": ms,
            "name": mock.get("name") or mock.get("id", ""),
            "metaSortKey": -ms,
            "method": matcher.get("method") or "GET",
            "url": "{{ _.base_url }}" + str(matcher.get("path") or ""),
            "body": {},
        }
        headers = [{"name": k, "value": v} for k, v in (matcher.get("headers") or {}).items()]
        if headers:
            request["headers"] = headers
        params = [{"name": k, "value": v} for k, v in (matcher.get("queryParams") or {}).items()]
        if params:
            request["parameters"] = params
        request.update(
            settingStoreCookies=True,
            settingSendCookies=True,
            settingDisableRenderRequestBody=False,
            settingEncodeUrl=True,
            settingRebuildPath=True,
            settingFollowRedirects="global",
        )
        resources.append(request)
    return {
        "_type": "export",
        "__export_format": 4,
        "__export_date": stamp,
        "__export_source": "mockd",
        "resources": resources,
    }


def to_insomnia_v5(
    mocks: list[dict[str, Any]], *, base_url: str, admin_url: str, now: float
) -> dict[str, Any]:
    """Insomnia's v5 collection (§4.5), HTTP folder only; mockd imports it back."""
    ms = int(now * 1000)
    children = []
    for mock, matcher in _http_mocks(mocks):
        child: dict[str, Any] = {
            "url": "{{ _.base_url }}" + str(matcher.get("path") or ""),
            "name": mock.get("name") or mock.get("id", ""),
            "meta": {"id": f"req_{mock.get('id', '')}", "created": ms, "modified": ms},
            "method": matcher.get("method") or "GET",
        }
        if matcher.get("headers"):
            child["headers"] = [{"name": k, "value": v} for k, v in matcher["headers"].items()]
        if matcher.get("queryParams"):
            child["parameters"] = [{"name": k, "value": v} for k, v in matcher["queryParams"].items()]
        children.append(child)
    return {
        "type": "collection.insomnia.rest/5.0",
        "schema_version": "5.1",
        "name": "mockd Collection",
        "meta": {"id": "wrk_mockd", "created": ms, "modified": ms, "description": "Exported from mockd"},
        "collection": [
            {"name": "HTTP", "meta": {"id": "fld_http", "created": ms, "modified": ms}, "children": children}
        ],
        "cookieJar": {"name": "Default Jar", "meta": {"id": "jar_mockd", "created": ms, "modified": ms}},
        "environments": {
            "name": "Base Environment",
            "meta": {"id": "env_mockd_base", "created": ms, "modified": ms},
            "data": {"base_url": base_url, "admin_url": admin_url},
        },
    }


def insomnia_json(doc: dict[str, Any]) -> bytes:
    """Two-space indent in the document's own key order, no trailing newline (as the Go tool writes it)."""
    return indent(gojson.marshal_text(doc, sort_keys=False)).encode()


def insomnia_yaml(doc: dict[str, Any]) -> bytes:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True).encode()
