"""Validation rules, parsed once from the config dicts the compiler keeps verbatim (reference §3.9, §2.7).

`parse_request` reads a mock's `http.validation`, `parse_stateful` a resource's `validation`. Both return
frozen rules and a list of `Problem`s: a value of the wrong type is an error (the Go decoder refuses the
whole config; the compiler reports it with its position) and the rule is left out; an unknown key is a
warning with a suggestion (Go ignores it silently, which hides typos such as `minlength`). Keys match
exactly, else case-insensitively, as Go's JSON decoder matches them.

Merging follows the Go tool: `onCreate`/`onUpdate` are laid over the shared rules (`required` lists are
concatenated, `fields`/`pathParams` entries replaced by name, `schema`/`mode` replaced when set), and
`auto` rules inferred from seed data sit under the explicit ones.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from typing import Any

Path = tuple[str | int, ...]
Rules = tuple[tuple[str, "FieldRule"], ...]  # (name, rule) in config order


@dataclass(frozen=True, slots=True)
class Problem:
    path: Path  # below the validation block, e.g. ("fields", "age", "min")
    message: str
    error: bool  # False: a warning


@dataclass(frozen=True, slots=True)
class FieldRule:
    """Go's `FieldValidator`. Bounds are floats (Go's *float64); None means not set."""

    type: str = ""
    required: bool = False
    nullable: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str = ""
    format: str = ""
    min: float | None = None
    max: float | None = None
    exclusive_min: float | None = None
    exclusive_max: float | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    items: FieldRule | None = None
    enum: tuple[Any, ...] = ()
    properties: Rules | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class RequestRules:
    """Go's `RequestValidation`: a mock's rules, or a resource's rules for one operation."""

    required: tuple[str, ...] = ()
    fields: Rules = ()
    path_params: Rules = ()
    query_params: Rules = ()
    headers: Rules = ()
    schema: Any = None  # inline JSON Schema; None when absent (or JSON null, as in Go)
    schema_ref: str = ""
    mode: str = ""
    fail_status: int = 0

    @property
    def empty(self) -> bool:
        """No rule at all (mode and failStatus alone validate nothing): Go's `IsEmpty`."""
        return not (
            self.required or self.fields or self.path_params or self.query_params or self.headers
            or self.schema is not None or self.schema_ref
        )  # fmt: skip

    def merged(self, other: RequestRules | None) -> RequestRules:
        """`other` laid over these rules (Go's `RequestValidation.Merge`)."""
        if other is None:
            return self
        return RequestRules(
            required=self.required + other.required,
            fields=_overlay(self.fields, other.fields),
            path_params=_overlay(self.path_params, other.path_params),
            query_params=_overlay(self.query_params, other.query_params),
            headers=_overlay(self.headers, other.headers),
            schema=other.schema if other.schema is not None else self.schema,
            schema_ref=other.schema_ref or self.schema_ref,
            mode=other.mode or self.mode,
            fail_status=other.fail_status or self.fail_status,
        )


@dataclass(frozen=True, slots=True)
class StatefulRules:
    """Go's `StatefulValidation`: shared rules plus per-operation overrides."""

    auto: bool = False
    on_create: RequestRules | None = None
    on_update: RequestRules | None = None
    shared: RequestRules = field(default_factory=RequestRules)  # required, fields, pathParams, schema

    @property
    def mode(self) -> str:
        return self.shared.mode or "strict"

    @property
    def empty(self) -> bool:
        return not self.auto and self.on_create is None and self.on_update is None and self.shared.empty

    def for_create(self) -> RequestRules:
        return self.shared.merged(self.on_create)

    def for_update(self) -> RequestRules:
        return self.shared.merged(self.on_update)

    def under(self, inferred: StatefulRules) -> StatefulRules:
        """These explicit rules laid over inferred ones (Go's `mergeStatefulValidation`)."""
        base, top = inferred.shared, self.shared
        shared = replace(
            base,
            required=base.required + top.required,
            fields=_overlay(base.fields, top.fields),
            path_params=_overlay(base.path_params, top.path_params),
            schema=top.schema if top.schema is not None else base.schema,
            schema_ref=top.schema_ref or base.schema_ref,
            mode=top.mode or base.mode,
        )
        return StatefulRules(self.auto, self.on_create, self.on_update, shared)


def _overlay(base: Rules, top: Rules) -> Rules:
    if not top:
        return base
    names = {name for name, _ in top}
    return tuple(item for item in base if item[0] not in names) + top


# ------------------------------------------------------------------------------------------------ parsing

_FIELD_KEYS = {
    "type": "str", "required": "bool", "nullable": "bool", "minLength": "int", "maxLength": "int",
    "pattern": "str", "format": "str", "min": "num", "max": "num", "exclusiveMin": "num",
    "exclusiveMax": "num", "minItems": "int", "maxItems": "int", "uniqueItems": "bool", "items": "rule",
    "enum": "list", "properties": "rules", "message": "str",
}  # fmt: skip
_REQUEST_KEYS = {
    "required": "strs", "fields": "rules", "schema": "any", "schemaRef": "str", "pathParams": "rules",
    "queryParams": "rules", "headers": "rules", "mode": "str", "failStatus": "int",
}  # fmt: skip
_STATEFUL_KEYS = {
    "auto": "bool", "onCreate": "request", "onUpdate": "request", "required": "strs", "fields": "rules",
    "pathParams": "rules", "schema": "any", "schemaRef": "str", "mode": "str",
}  # fmt: skip
_KIND_NAMES = {"str": "a string", "bool": "a boolean", "int": "an integer", "num": "a number",
               "list": "a list", "strs": "a list of strings", "rule": "an object", "rules": "an object",
               "request": "an object"}  # fmt: skip


def json_type(value: Any) -> str:
    """The JSON type name of a decoded value, as the Go validator words it in messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def keys(self, data: dict[str, Any], known: dict[str, str], path: Path) -> dict[str, Any]:
        """The known keys' values (exact spelling first, then case-insensitive); warns about the rest."""
        out: dict[str, Any] = {}
        folded = {k.lower(): k for k in known}
        for key, value in data.items():
            name = key if key in known else folded.get(key.lower())
            if name is None:
                hint = difflib.get_close_matches(key, list(known), n=1)
                extra = f"; did you mean '{hint[0]}'?" if hint else ""
                self.problems.append(Problem((*path, key), f"unknown validation key '{key}'{extra}", False))
            elif name not in out or key == name:
                out[name] = self.value(value, known[name], (*path, key))
        return {k: v for k, v in out.items() if v is not None}

    def bad(self, path: Path, kind: str, value: Any) -> None:
        self.problems.append(Problem(path, f"expected {_KIND_NAMES[kind]}, got {json_type(value)}", True))

    def value(self, value: Any, kind: str, path: Path) -> Any:
        if value is None or kind == "any":
            return value
        ok = {
            "str": isinstance(value, str),
            "bool": isinstance(value, bool),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "num": isinstance(value, int | float) and not isinstance(value, bool),
            "list": isinstance(value, list),
            "strs": isinstance(value, list) and all(isinstance(v, str) for v in value),
        }.get(kind, isinstance(value, dict))
        if not ok:
            self.bad(path, kind, value)
            return None
        if kind == "num":
            return float(value)
        if kind == "rule":
            return self.field(value, path)
        if kind == "rules":
            return self.rules(value, path)
        if kind == "request":
            return self.request(value, path)
        if kind in ("list", "strs"):
            return tuple(value)
        return value

    def rules(self, data: dict[str, Any], path: Path) -> Rules:
        out = []
        for name, raw in data.items():
            if raw is None:  # Go would dereference a nil validator here; skipping is the useful reading
                self.problems.append(Problem((*path, name), "a null rule is ignored", False))
            elif not isinstance(raw, dict):
                self.bad((*path, name), "rule", raw)
            else:
                out.append((name, self.field(raw, (*path, name))))
        return tuple(out)

    def field(self, data: dict[str, Any], path: Path) -> FieldRule:
        v = self.keys(data, _FIELD_KEYS, path)
        return FieldRule(
            type=v.get("type", ""), required=v.get("required", False), nullable=v.get("nullable", False),
            min_length=v.get("minLength"), max_length=v.get("maxLength"), pattern=v.get("pattern", ""),
            format=v.get("format", ""), min=v.get("min"), max=v.get("max"),
            exclusive_min=v.get("exclusiveMin"), exclusive_max=v.get("exclusiveMax"),
            min_items=v.get("minItems"), max_items=v.get("maxItems"),
            unique_items=v.get("uniqueItems", False), items=v.get("items"), enum=v.get("enum", ()),
            properties=v.get("properties"), message=v.get("message", ""),
        )  # fmt: skip

    def request(self, data: dict[str, Any], path: Path) -> RequestRules:
        v = self.keys(data, _REQUEST_KEYS, path)
        return RequestRules(
            required=v.get("required", ()), fields=v.get("fields", ()), path_params=v.get("pathParams", ()),
            query_params=v.get("queryParams", ()), headers=v.get("headers", ()), schema=v.get("schema"),
            schema_ref=v.get("schemaRef", ""), mode=v.get("mode", ""), fail_status=v.get("failStatus", 0),
        )  # fmt: skip


def parse_request(data: Any) -> tuple[RequestRules, list[Problem]]:
    """A mock's `http.validation` block (None or not an object: no rules)."""
    reader = _Reader()
    if not isinstance(data, dict):
        if data is not None:
            reader.bad((), "request", data)
        return RequestRules(), reader.problems
    return reader.request(data, ()), reader.problems


def parse_stateful(data: Any) -> tuple[StatefulRules, list[Problem]]:
    """A resource's `validation` block (None or not an object: no rules)."""
    reader = _Reader()
    if not isinstance(data, dict):
        if data is not None:
            reader.bad((), "request", data)
        return StatefulRules(), reader.problems
    v = reader.keys(data, _STATEFUL_KEYS, ())
    shared = RequestRules(
        required=v.get("required", ()), fields=v.get("fields", ()), path_params=v.get("pathParams", ()),
        schema=v.get("schema"), schema_ref=v.get("schemaRef", ""), mode=v.get("mode", ""),
    )  # fmt: skip
    rules = StatefulRules(v.get("auto", False), v.get("onCreate"), v.get("onUpdate"), shared)
    return rules, reader.problems
