"""Mockoon environments to mocks (imports-exports §3.7): one mock per route response.

A route's responses share its matcher; the first response has the highest priority and a response's rules
(query, header, cookie, body) become extra criteria, so a request that satisfies a rule picks that
response. Mockoon's Handlebars helpers are rewritten to mockd's templates where one exists. Beyond the Go
tool: a route without an `enabled` key is imported (current Mockoon files do not write it), `all` matches
any method, and CRUD routes, which an `imports:` entry cannot carry, are listed in the warnings.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from mockd.imports.errors import ImportFailure
from mockd.imports.model import Converted, Source, http_mock
from mockd.imports.source import parse_document

_PARAM = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)")
_HELPERS = (
    (re.compile(r"\{\{\s*urlParam\s+'([^']+)'\s*\}\}"), r"{{request.pathParam.\1}}"),
    (re.compile(r"\{\{\s*queryParam\s+'([^']+)'\s*\}\}"), r"{{request.query.\1}}"),
    (re.compile(r"\{\{\s*header\s+'([^']+)'\s*\}\}"), r"{{request.header.\1}}"),
    (re.compile(r"\{\{\s*body\s+'([^']+)'\s*\}\}"), r"{{request.body.\1}}"),
    (re.compile(r"\{\{\s*bodyRaw\s*\}\}"), r"{{request.rawBody}}"),
    (re.compile(r"\{\{\s*now(?:\s+[^}]*)?\}\}"), r"{{now}}"),
    (re.compile(r"\{\{\s*faker\s+'(?:string\.)?uuid'\s*\}\}"), r"{{uuid}}"),
    (re.compile(r"\{\{\s*faker\s+'[^']+'\s*\}\}"), r"{{faker.word}}"),
)


def convert(source: Source) -> Converted:
    data = parse_document(source.data, source.name, "mockoon")
    routes = data.get("routes") if isinstance(data, dict) else None
    if not isinstance(routes, list) or not routes:
        raise ImportFailure(
            "mockoon: Mockoon environment contains no routes", file=source.name, pointer="/routes"
        )
    out = Converted("mockoon", name=f"Imported from Mockoon: {data.get('name', '')}")
    prefix = str(data.get("endpointPrefix") or "")
    env_latency = data.get("latency") if isinstance(data.get("latency"), int) else 0
    for route in routes:
        if not isinstance(route, dict) or route.get("enabled") is False:
            continue
        endpoint = str(route.get("endpoint") or "")
        if route.get("type") == "crud":
            out.warnings.append(f"mockoon: CRUD route /{endpoint} is a stateful resource: not imported")
            continue
        responses = [r for r in route.get("responses") or [] if isinstance(r, dict)]
        for i, response in enumerate(responses):
            out.mocks.append(
                _mock(route, response, i, len(responses), prefix, endpoint, env_latency, out.warnings)
            )
    return out


def _path(prefix: str, endpoint: str) -> str:
    parts = [p for p in f"{prefix}/{endpoint}".split("/") if p]
    return _PARAM.sub(r"{\1}", "/" + "/".join(parts))


def _mock(
    route: dict[str, Any],
    response: dict[str, Any],
    i: int,
    count: int,
    prefix: str,
    endpoint: str,
    env_latency: int,
    warnings: list[str],
) -> dict[str, Any]:
    method = str(route.get("method") or "get").upper()
    path = _path(prefix, endpoint)
    matcher: dict[str, Any] = {"method": "" if method == "ALL" else method, "path": path}
    for rule in response.get("rules") or []:
        if isinstance(rule, dict):
            _rule(rule, matcher, path, warnings)
    uid = str(route.get("uuid") or "")
    if uid:
        mock_id = f"mn_{uid[:16]}" if i == 0 else f"mn_{uid[:12]}_{i}"
    else:
        mock_id = (
            "mn_" + hashlib.sha256(json.dumps([route.get("endpoint"), method, i]).encode()).hexdigest()[:16]
        )
    name = str(response.get("label") or route.get("documentation") or f"Mockoon Import: {method} /{endpoint}")
    status = response.get("statusCode")
    headers = {str(h["key"]): str(h.get("value", "")) for h in response.get("headers") or [] if h.get("key")}
    body = str(response.get("body") or "")
    if not response.get("disableTemplating"):
        for pattern, replacement in _HELPERS:
            body = pattern.sub(replacement, body)
    reply: dict[str, Any] = {
        "statusCode": status if isinstance(status, int) and status else 200,
        "body": body,
    }
    if response.get("filePath") and response.get("sendFileAsBody"):
        reply = {**reply, "body": "", "bodyFile": str(response["filePath"])}
    if headers:
        reply["headers"] = headers
    own = response.get("latency")
    latency = (own if isinstance(own, int) else 0) + env_latency
    if latency:
        reply["delayMs"] = latency
    return http_mock(mock_id, name, matcher, reply, priority=count - i)


def _rule(rule: dict[str, Any], matcher: dict[str, Any], path: str, warnings: list[str]) -> None:
    target, key, value = rule.get("target"), str(rule.get("modifier") or ""), str(rule.get("value") or "")
    if rule.get("invert"):
        warnings.append(f"mockoon: {path}: inverted {target} rule ignored")
    elif target == "query" and key:
        matcher.setdefault("queryParams", {})[key] = value
    elif target == "header" and key:
        matcher.setdefault("headers", {})[key] = value
    elif target == "cookie" and key:
        cookie = matcher.setdefault("headers", {}).get("Cookie")
        matcher["headers"]["Cookie"] = f"{cookie}; {key}={value}" if cookie else f"{key}={value}"
    elif target == "body" and rule.get("operator") == "regex":
        matcher["bodyPattern"] = value
    elif target == "body" and key.startswith(("$.", "$[")):
        matcher.setdefault("bodyJsonPath", {})[key] = value
    elif target == "body":
        matcher["bodyContains"] = value
    else:
        warnings.append(f"mockoon: {path}: {target} rule ignored")
