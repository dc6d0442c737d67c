"""`schema` / `schemaRef`: a JSON Schema (draft 2020-12) subset with the Go tool's messages.

Go validates with santhosh-tekuri/jsonschema v5 and reports each leaf failure as one `schema` error whose
field is the instance location in dotted form (`items.0.sku`, "" for the body itself). Supported keywords:
`type` (a mismatch stops there), `const`, `enum`, `required`, `properties`, `additionalProperties`,
`minProperties`, `maxProperties`, `items`, `prefixItems`, `minItems`, `maxItems`, `uniqueItems`,
`minLength`, `maxLength`, `pattern`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`,
`multipleOf`, `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`, and local `$ref` (`#`, `#/$defs/x`).
`format` is an annotation in draft 2020 (Go does not assert it), so it is ignored here too; other keywords
are ignored. Properties are checked in schema order (Go walks a map).
"""

from __future__ import annotations

from typing import Any

from mockd.templates.gofmt import format_value
from mockd.validation.fields import compile_pattern, json_type, values_equal

Leaf = tuple[str, str]  # (dotted instance location, message)


class SchemaCompileError(ValueError):
    """The schema itself is unusable (Go: `schema compilation error: …`)."""


def quote(text: str) -> str:
    """The library's `quote`: single quotes around Go-escaped text."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _go_repr(value: Any) -> str:
    """Go's `%#v` of a schema literal decoded with `UseNumber`: strings and numbers quoted."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "<nil>"
    return '"' + format_value(value) + '"'


def _num(value: Any) -> str:
    return format_value(float(value))


def _type_name(value: Any) -> str:
    kind = json_type(value)
    return "integer" if kind == "number" and isinstance(value, int) else kind


class Schema:
    """A schema document, checked lazily: errors in parts never reached are never reported."""

    def __init__(self, document: Any) -> None:
        if not isinstance(document, dict | bool):
            raise SchemaCompileError(f"jsonschema: invalid schema of type {json_type(document)}")
        self.root = document

    def validate(self, value: Any) -> list[Leaf]:
        out: list[Leaf] = []
        self._check(self.root, value, (), out)
        return out

    def _resolve(self, ref: str) -> Any:
        if not ref.startswith("#"):
            raise SchemaCompileError(f"jsonschema: unsupported $ref {quote(ref)} (only local references)")
        node: Any = self.root
        for part in filter(None, ref[1:].split("/")):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise SchemaCompileError(f"jsonschema: {quote(ref)} not found")
        return node

    def _ok(self, schema: Any, value: Any) -> list[Leaf]:
        out: list[Leaf] = []
        self._check(schema, value, (), out)
        return out

    def _check(self, s: Any, v: Any, at: tuple[str, ...], out: list[Leaf]) -> None:
        where = ".".join(at)
        if s is True or s == {}:
            return
        if s is False:
            out.append((where, "not allowed"))
            return
        if not isinstance(s, dict):
            return
        types = s.get("type")
        if types is not None:
            wanted = [types] if isinstance(types, str) else list(types)
            kind = json_type(v)
            if not any(
                t == kind or (t == "integer" and kind == "number" and float(v).is_integer()) for t in wanted
            ):
                out.append((where, f"expected {' or '.join(wanted)}, but got {_type_name(v)}"))
                return
        if "const" in s and not values_equal(v, s["const"]):
            c = s["const"]
            message = "const failed" if isinstance(c, dict | list) else f"value must be {_go_repr(c)}"
            out.append((where, message))
        enum = s.get("enum")
        if isinstance(enum, list) and enum and not any(values_equal(v, e) for e in enum):
            if any(isinstance(e, dict | list) for e in enum):
                out.append((where, "enum failed"))
            elif len(enum) == 1:
                out.append((where, f"value must be {_go_repr(enum[0])}"))
            else:
                out.append((where, "value must be one of " + ", ".join(_go_repr(e) for e in enum)))
        if isinstance(v, dict):
            self._object(s, v, at, out)
        elif isinstance(v, list):
            self._array(s, v, at, out)
        elif isinstance(v, str):
            self._string(s, v, where, out)
        elif json_type(v) == "number":
            self._number(s, v, where, out)
        if "$ref" in s:
            self._check(self._resolve(s["$ref"]), v, at, out)
        self._combinators(s, v, at, out)

    def _object(self, s: dict[str, Any], v: dict[str, Any], at: tuple[str, ...], out: list[Leaf]) -> None:
        where = ".".join(at)
        found = f"but found {len(v)} properties"
        if isinstance(s.get("minProperties"), int) and len(v) < s["minProperties"]:
            out.append((where, f"minimum {s['minProperties']} properties allowed, {found}"))
        if isinstance(s.get("maxProperties"), int) and len(v) > s["maxProperties"]:
            out.append((where, f"maximum {s['maxProperties']} properties allowed, {found}"))
        missing = [quote(n) for n in s.get("required") or () if isinstance(n, str) and n not in v]
        if missing:
            out.append((where, "missing properties: " + ", ".join(missing)))
        raw_props = s.get("properties")
        props: dict[str, Any] = raw_props if isinstance(raw_props, dict) else {}
        for name, sub in props.items():
            if name in v:
                self._check(sub, v[name], (*at, name), out)
        extra = s.get("additionalProperties")
        if extra is None or extra is True:
            return
        others = [n for n in v if n not in props]
        if extra is False:
            if others:
                out.append((where, f"additionalProperties {', '.join(quote(n) for n in others)} not allowed"))
            return
        for name in others:
            self._check(extra, v[name], (*at, name), out)

    def _array(self, s: dict[str, Any], v: list[Any], at: tuple[str, ...], out: list[Leaf]) -> None:
        where = ".".join(at)
        if isinstance(s.get("minItems"), int) and len(v) < s["minItems"]:
            out.append((where, f"minimum {s['minItems']} items required, but found {len(v)} items"))
        if isinstance(s.get("maxItems"), int) and len(v) > s["maxItems"]:
            out.append((where, f"maximum {s['maxItems']} items required, but found {len(v)} items"))
        if s.get("uniqueItems") is True:
            duplicate = next(
                ((j, i) for i in range(1, len(v)) for j in range(i) if values_equal(v[i], v[j])), None
            )
            if duplicate is not None:
                out.append((where, f"items at index {duplicate[0]} and {duplicate[1]} are equal"))
        raw_prefix = s.get("prefixItems")
        prefix: list[Any] = raw_prefix if isinstance(raw_prefix, list) else []
        for i, item in enumerate(v):
            sub = prefix[i] if i < len(prefix) else s.get("items")
            if sub is not None:
                self._check(sub, item, (*at, str(i)), out)

    def _string(self, s: dict[str, Any], v: str, where: str, out: list[Leaf]) -> None:
        if isinstance(s.get("minLength"), int) and len(v) < s["minLength"]:
            out.append((where, f"length must be >= {s['minLength']}, but got {len(v)}"))
        if isinstance(s.get("maxLength"), int) and len(v) > s["maxLength"]:
            out.append((where, f"length must be <= {s['maxLength']}, but got {len(v)}"))
        if isinstance(s.get("pattern"), str):
            regex = compile_pattern(s["pattern"])
            if regex is None:
                raise SchemaCompileError(f"jsonschema: invalid regex pattern {quote(s['pattern'])}")
            if regex.search(v) is None:
                out.append((where, f"does not match pattern {quote(s['pattern'])}"))

    def _number(self, s: dict[str, Any], v: float, where: str, out: list[Leaf]) -> None:
        checks = (
            ("minimum", lambda b: v < b, ">="), ("exclusiveMinimum", lambda b: v <= b, ">"),
            ("maximum", lambda b: v > b, "<="), ("exclusiveMaximum", lambda b: v >= b, "<"),
        )  # fmt: skip
        for key, fails, op in checks:
            bound = s.get(key)
            if json_type(bound) == "number" and fails(bound):
                out.append((where, f"must be {op} {_num(bound)} but found {_num(v)}"))
        step = s.get("multipleOf")
        if json_type(step) == "number" and step and not (v / step).is_integer():
            out.append((where, f"{_num(v)} not multipleOf {_num(step)}"))

    def _combinators(self, s: dict[str, Any], v: Any, at: tuple[str, ...], out: list[Leaf]) -> None:
        where = ".".join(at)
        if "not" in s and not self._ok(s["not"], v):
            out.append((where, "not failed"))
        for sub in s.get("allOf") or ():
            self._check(sub, v, at, out)
        any_of = s.get("anyOf")
        if isinstance(any_of, list) and any_of:
            results = [self._sub(sub, v, at) for sub in any_of]
            if all(results):
                out.extend(leaf for r in results for leaf in r)
        one_of = s.get("oneOf")
        if isinstance(one_of, list) and one_of:
            results = [self._sub(sub, v, at) for sub in one_of]
            passed = [i for i, r in enumerate(results) if not r]
            if not passed:
                out.extend(leaf for r in results for leaf in r)
            elif len(passed) > 1:
                out.append((where, f"valid against schemas at indexes {passed[0]} and {passed[1]}"))
        if "if" in s:
            branch = "then" if not self._ok(s["if"], v) else "else"
            if branch in s:
                self._check(s[branch], v, at, out)

    def _sub(self, schema: Any, v: Any, at: tuple[str, ...]) -> list[Leaf]:
        out: list[Leaf] = []
        self._check(schema, v, at, out)
        return out
