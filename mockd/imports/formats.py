"""Format names and auto-detection, as the Go tool decides them (imports-exports §2).

`parse_format` maps a user's `format:`/`--format` value to a format id; `detect_format` looks at a file's
bytes and name. Detection never parses more than the top level of the document.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import yaml  # type: ignore[import-untyped]

from mockd.gocompat.yamlfast import load_fast

FORMATS = ("mockd", "openapi", "postman", "har", "wiremock", "curl", "wsdl", "mockoon", "insomnia")
_ALIASES = {
    **dict.fromkeys(("mockd", "native", "json", "yaml", "yml"), "mockd"),
    **dict.fromkeys(("openapi", "swagger", "oas"), "openapi"),
    **{name: name for name in ("postman", "har", "wiremock", "curl", "wsdl", "mockoon", "insomnia")},
}
_DETECT_BUDGET = 5_000_000  # nodes once aliases are expanded, as the import itself allows

_MOCKD_TYPES = {"http", "websocket", "graphql", "grpc", "soap", "mqtt", "oauth"}


def parse_format(name: str) -> str | None:
    """`swagger` -> `openapi`, `yml` -> `mockd` (⚠ `json` means mockd native, as in Go); unknown -> None."""
    return _ALIASES.get(name.strip().lower())


def detect_format(data: bytes, filename: str) -> str | None:
    """The Go tool's detection order: cURL text, WSDL by name or content, HAR by name, then YAML or JSON
    top-level keys by extension; None when nothing fires."""
    text = data.decode("utf-8", "replace").strip()
    if text.startswith(("curl ", "curl\t")):
        return "curl"
    ext = os.path.splitext(filename)[1].lower()
    if ext == ".wsdl":
        return "wsdl"
    wsdl_tags = ("<definitions", "<wsdl:definitions", "<description", "<wsdl:description")
    if ext in (".xml", "") and text.startswith("<") and any(tag in text for tag in wsdl_tags):
        return "wsdl"
    if ext == ".har":
        return "har"
    if ext in (".yaml", ".yml"):
        return _detect_yaml(text)
    if ext in (".json", ""):
        found = _detect_json(text)
        if found is None and ext == "":
            found = _detect_yaml(text)
        return found
    return None


def _detect_json(text: str) -> str | None:
    try:
        data: Any = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, list):
        first = data[0] if data else None
        return "wiremock" if isinstance(first, dict) and "request" in first and "response" in first else None
    if not isinstance(data, dict):
        return None
    if "version" in data and ("kind" in data or "mocks" in data):
        return "mockd"
    if "openapi" in data or "swagger" in data:
        return "openapi"
    if "log" in data:
        return "har"
    if "info" in data and "item" in data:
        return "postman"
    if "routes" in data and ("endpointPrefix" in data or "port" in data):
        return "mockoon"
    if data.get("_type") == "export" and "resources" in data:
        return "insomnia"
    if "request" in data and "response" in data:
        return "wiremock"
    mappings = data.get("mappings")
    if isinstance(mappings, list) and mappings and isinstance(mappings[0], dict) and "request" in mappings[0]:
        return "wiremock"
    return None


_TOP_KEY = re.compile(r"""^(?:"([^"]*)"|'([^']*)'|([^\s#'"{\[\-?:][^:#]*?))\s*:(?:\s+(.*?))?\s*$""")


def _top_level(text: str) -> dict[str, Any] | None:
    """The first document's top-level keys with their scalar values (None for a nested value), read from the
    lines that start at column 0; None when the document is not a block mapping this can read (flow style,
    a list, a scalar). A 6 MB spec is detected in milliseconds instead of being parsed twice."""
    found: dict[str, Any] = {}
    started = False
    for line in text.splitlines():
        if not line or line[0] in " \t#":
            continue
        if line.startswith(("---", "...")):
            if started:
                break
            continue
        if line.startswith("%") and not started:
            continue
        if started and (line == "-" or line.startswith("- ")):
            continue  # `key:` then `- item` at column 0: a block sequence may sit at its key's indentation
        m = _TOP_KEY.match(line)
        if m is None:
            return None
        started = True
        key = next(g for g in m.groups()[:3] if g is not None).strip()
        value = (m.group(4) or "").strip()
        if value[:1] in ("'", '"') and len(value) >= 2 and value[-1] == value[0]:
            value = value[1:-1]
        else:
            value = value.split(" #", 1)[0].rstrip()
        found[key] = value or None
    return found or None


def _detect_yaml(text: str) -> str | None:
    data: Any = _top_level(text)
    if data is None:
        data = load_fast(text, _DETECT_BUDGET)
    if data is None:
        try:
            data = yaml.load(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            return "openapi" if ("openapi:" in text or "swagger:" in text) else None
    if not isinstance(data, dict):
        return None
    if "openapi" in data or "swagger" in data:
        return "openapi"
    if data.get("kind") == "MockCollection" or "mocks" in data or ("matcher" in data and "path" in data):
        return "mockd"
    if data.get("type") in _MOCKD_TYPES:
        return "mockd"
    if str(data.get("type", "")).startswith("collection.insomnia.rest"):
        return "insomnia"
    return None
