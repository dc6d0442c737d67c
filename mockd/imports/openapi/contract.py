"""The spec as a contract (ours, opt-in with `validate: true` on the import entry): each operation's
parameters and JSON request body become the mock's `http.validation` rules, so a request that breaks the
spec gets the Go tool's 400 problem body listing every violation.

Parameters (path-level and operation-level, `$ref`s followed) become `pathParams`/`queryParams`/`headers`
field rules (required, enum, and for strings lengths, pattern and format; a number or boolean parameter is
checked by its spelling, since parameters arrive as text); an `application/json` request body becomes
`schema`, fully inlined (the validator knows local references only), recursion cut to `{}`, OpenAPI 3.0's
`nullable` written as a type list, and `readOnly` properties no longer required.
"""

from __future__ import annotations

from typing import Any

from mockd.imports.openapi.document import Node, Spec

_MAX_DEPTH = 24
_TEXT_PATTERNS = {"integer": "^-?[0-9]+$", "number": "^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$",
                  "boolean": "^(true|false)$"}  # fmt: skip
_FORMATS = {"email", "uuid", "date", "date-time", "uri", "ipv4", "ipv6", "hostname"}
_LOCATIONS = {"path": "pathParams", "query": "queryParams", "header": "headers"}


def validation_for(spec: Spec, item: Node, op: Node) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    params: dict[tuple[str, str], Node] = {}
    for holder in (item, op):  # operation-level parameters override path-level ones
        listed = holder.get("parameters")
        if listed is None or not isinstance(listed.value, list):
            continue
        for i in range(len(listed.value)):
            param = spec.deref(listed.child(i))
            value = param.value
            if (
                isinstance(value, dict)
                and isinstance(value.get("name"), str)
                and value.get("in") in _LOCATIONS
            ):
                params[(value["in"], value["name"])] = param
    for (where, name), param in params.items():
        rule = _field_rule(spec, param)
        if rule:
            out.setdefault(_LOCATIONS[where], {})[name] = rule
    body = op.get("requestBody")
    if body is not None:
        body = spec.deref(body)
        content = body.get("content")
        media = None
        if content is not None and isinstance(content.value, dict):
            key = next((k for k in content.value if "json" in k.lower()), None)
            media = spec.deref(content.child(key)) if key is not None else None
        schema = media.get("schema") if media is not None else None
        if schema is not None:
            out["schema"] = inline(spec, schema)  # an empty body skips it, as for any validated mock
    return out or None


def _field_rule(spec: Spec, param: Node) -> dict[str, Any]:
    value = param.value
    rule: dict[str, Any] = {}
    if value.get("required") is True or value.get("in") == "path":
        rule["required"] = True
    schema_node = param.get("schema")
    schema = spec.deref(schema_node).value if schema_node is not None else value  # Swagger 2: on the param
    if isinstance(schema, dict):
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        # Parameters arrive as text: numbers and booleans are checked by their spelling.
        if kind in _TEXT_PATTERNS:
            rule["pattern"] = _TEXT_PATTERNS[kind]
        elif kind == "string":
            rule["type"] = "string"
            for key in ("minLength", "maxLength", "pattern"):
                if key in schema:
                    rule[key] = schema[key]
            if schema.get("format") in _FORMATS:
                rule["format"] = "datetime" if schema["format"] == "date-time" else schema["format"]
        if isinstance(schema.get("enum"), list):
            rule["enum"] = [_text(v) for v in schema["enum"]]
    return rule


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def inline(spec: Spec, node: Node, expanding: frozenset[str] = frozenset(), depth: int = 0) -> Any:
    value = node.value
    if depth > _MAX_DEPTH:
        return {}
    if isinstance(value, dict) and isinstance(value.get("$ref"), str):
        target = spec.deref(node)
        if target.ref_key in expanding:
            return {}
        return inline(spec, target, expanding | {target.ref_key}, depth + 1)
    if isinstance(value, list):
        return [inline(spec, node.child(i), expanding, depth + 1) for i in range(len(value))]
    if not isinstance(value, dict):
        return value
    out = {key: inline(spec, node.child(key), expanding, depth + 1) for key in value if key != "example"}
    if out.get("nullable") is True and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    out.pop("nullable", None)
    props = out.get("properties")
    if isinstance(out.get("required"), list) and isinstance(props, dict):
        out["required"] = [
            r
            for r in out["required"]
            if not (isinstance(props.get(r), dict) and props[r].get("readOnly") is True)
        ]
    return out
