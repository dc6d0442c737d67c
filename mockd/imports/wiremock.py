"""WireMock stub mappings to mocks (imports-exports §3.6): one mapping, an array, or `{"mappings": [...]}`.

Beyond the Go tool, which needs every matcher value to be a string and copies `contains`/`matches` as
literal exact values: `equalToJson` may be an object; header/query `contains` becomes a `*text*` wildcard;
`matchesJsonPath` becomes a `bodyJsonPath` condition; `urlPathPattern` is anchored (WireMock matches the
whole path); `ANY` matches any method; WireMock's priority (1 = most important) is turned around so the
order holds in mockd (larger wins). What cannot be expressed is listed in the warnings.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from mockd.imports.errors import ImportFailure
from mockd.imports.model import Converted, Source, http_mock
from mockd.imports.source import parse_document, pretty

_PRIORITY_BASE = 1000


def convert(source: Source) -> Converted:
    data = parse_document(source.data, source.name, "wiremock")
    if isinstance(data, dict) and isinstance(data.get("mappings"), list):
        mappings, where = data["mappings"], "/mappings"
    elif isinstance(data, list):
        mappings, where = data, ""
    elif isinstance(data, dict) and isinstance(data.get("request"), dict):
        mappings, where = [data], None
    else:
        mappings, where = [], ""
    mappings = [m for m in mappings if isinstance(m, dict) and isinstance(m.get("request"), dict)]
    if not mappings:
        raise ImportFailure("wiremock: no WireMock mappings found", file=source.name)
    out = Converted("wiremock")
    for n, mapping in enumerate(mappings, 1):
        at = f"{where}/{n - 1}" if where is not None else ""
        out.mocks.append(_mock(mapping, n, out.warnings, at, source.name))
    return out


def _mock(mapping: dict[str, Any], n: int, warnings: list[str], at: str, file: str) -> dict[str, Any]:
    req = mapping["request"]
    name = str(mapping.get("name") or f"WireMock Import {n}")
    method = str(req.get("method") or "GET").upper()
    matcher: dict[str, Any] = {"method": "" if method == "ANY" else method}
    if req.get("urlPath") or req.get("urlPathTemplate"):
        matcher["path"] = str(req.get("urlPath") or req.get("urlPathTemplate"))
    elif req.get("url"):
        path, _, query = str(req["url"]).partition("?")
        matcher["path"] = path
        params: dict[str, str] = {}
        for pair in query.split("&") if query else []:
            key, _, value = pair.partition("=")
            params.setdefault(key, value)
        if params:
            matcher["queryParams"] = params
    elif req.get("urlPathPattern"):
        pattern = str(req["urlPathPattern"])
        matcher["pathPattern"] = pattern if pattern.startswith("^") else f"^{pattern}$"
    elif req.get("urlPattern"):
        matcher["pathPattern"] = str(req["urlPattern"])
    else:
        raise ImportFailure(
            "wiremock: mapping has no url, urlPath or url pattern", file=file, pointer=f"{at}/request"
        )
    for key, target in (("headers", "headers"), ("queryParameters", "queryParams")):
        found = _values(req.get(key), f"{name}: {key}", warnings, wildcard=key == "headers")
        if found:
            matcher.setdefault(target, {}).update(found)
    _body_patterns(req.get("bodyPatterns"), matcher, name, warnings)
    resp: dict[str, Any] = mapping["response"] if isinstance(mapping.get("response"), dict) else {}
    status = resp.get("status")
    headers = {str(k): str(v) for k, v in (resp.get("headers") or {}).items()}
    if resp.get("body") is not None:
        body = str(resp["body"])
    elif resp.get("jsonBody") is not None:
        body = pretty(resp["jsonBody"])
        if "Content-Type" not in headers:
            headers["Content-Type"] = "application/json"
    elif resp.get("base64Body"):
        body = base64.b64decode(str(resp["base64Body"])).decode("utf-8", "replace")
    else:
        body = ""
    for unsupported in ("bodyFileName", "transformers", "fault", "proxyBaseUrl"):
        if unsupported in resp:
            warnings.append(f"wiremock: {name}: response.{unsupported} is not supported")
    if "scenarioName" in mapping:
        warnings.append(f"wiremock: {name}: scenarios are not supported")
    reply: dict[str, Any] = {
        "statusCode": status if isinstance(status, int) and status else 200,
        "body": body,
    }
    if headers:
        reply["headers"] = headers
    if isinstance(resp.get("fixedDelayMilliseconds"), int):
        reply["delayMs"] = resp["fixedDelayMilliseconds"]
    priority = mapping.get("priority")
    mock_id = str(mapping.get("uuid") or mapping.get("id") or "")
    if not mock_id:
        mock_id = "wm_" + hashlib.sha256(json.dumps(mapping, sort_keys=True).encode()).hexdigest()[:16]
    level = max(1, _PRIORITY_BASE - priority) if isinstance(priority, int) and priority > 0 else 0
    return http_mock(mock_id, name, matcher, reply, priority=level)


def _values(spec: Any, what: str, warnings: list[str], *, wildcard: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, cond in (spec or {}).items() if isinstance(spec, dict) else []:
        if not isinstance(cond, dict):
            continue
        if "equalTo" in cond:
            out[str(key)] = str(cond["equalTo"])
        elif "contains" in cond and wildcard:
            out[str(key)] = f"*{cond['contains']}*"
        else:
            warnings.append(f"wiremock: {what}.{key}: {', '.join(cond)} cannot be matched by mockd: ignored")
    return out


def _body_patterns(patterns: Any, matcher: dict[str, Any], name: str, warnings: list[str]) -> None:
    for p in patterns if isinstance(patterns, list) else []:
        if not isinstance(p, dict):
            continue
        if "equalTo" in p:
            matcher["bodyEquals"] = str(p["equalTo"])
        elif "equalToJson" in p:
            value = p["equalToJson"]
            matcher["bodyEquals"] = (
                value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
            )
        elif "contains" in p:
            matcher["bodyContains"] = str(p["contains"])
        elif "matches" in p:
            matcher["bodyPattern"] = str(p["matches"])
        elif "matchesJsonPath" in p:
            expr = p["matchesJsonPath"]
            paths = matcher.setdefault("bodyJsonPath", {})
            if isinstance(expr, str):
                paths[expr] = {"exists": True}
            elif isinstance(expr, dict) and "expression" in expr and "equalTo" in expr:
                paths[str(expr["expression"])] = expr["equalTo"]
            else:
                warnings.append(
                    f"wiremock: {name}: matchesJsonPath {expr!r} cannot be matched by mockd: ignored"
                )
        else:
            warnings.append(
                f"wiremock: {name}: body pattern {', '.join(p)} cannot be matched by mockd: ignored"
            )
