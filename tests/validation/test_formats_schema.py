"""Formats (Go's standard-library checks), the JSON Schema subset with its library's messages, `auto`
inference, rule parsing problems and the strict/warn/permissive decision."""

from __future__ import annotations

from typing import Any

import pytest

from mockd.validation import (
    FieldError,
    Problem,
    RequestRules,
    Validator,
    parse_request,
    parse_stateful,
    problem,
    rejects,
    stateful_validator,
)
from mockd.validation import errors as E
from mockd.validation.formats import check, detect
from mockd.validation.infer import infer

FORMATS = [
    ("email", "user@example.com", True), ("email", "Ann <ann@example.com>", True), ("email", "a@b", False),
    ("email", "no-at.example.com", False), ("email", "a@b@c.com", False), ("email", "a b@c.com", False),
    ("uuid", "550e8400-e29b-41d4-a716-446655440000", True), ("uuid", "550e8400e29b41d4a716446655440000", False),
    ("date", "2024-01-15", True), ("date", "2024-02-30", False), ("date", "2024-1-5", False),
    ("datetime", "2024-01-15T10:30:00Z", True), ("datetime", "2024-01-15T10:30:00.123+02:00", True),
    ("datetime", "2024-01-15T10:30:00", True), ("datetime", "2024-01-15 10:30:00", True),
    ("datetime", "2024-01-15 10:30:00Z", False), ("datetime", "2024-01-15T25:00:00Z", False),
    ("date-time", "2024-01-15T10:30:00Z", True),
    ("uri", "https://example.com/path", True), ("uri", "mailto:a@b.c", False), ("uri", "/relative", False),
    ("url", "http://:80", True), ("uri", "http://exa mple.com", False),
    ("ipv4", "192.168.1.1", True), ("ipv4", "::ffff:1.2.3.4", True), ("ipv4", "01.2.3.4", False),
    ("ipv6", "2001:db8::1", True), ("ipv6", "192.168.1.1", False), ("ipv6", "fe80::1%eth0", False),
    ("ip", "10.0.0.1", True), ("ip", "2001:db8::1", True),
    ("hostname", "api.example.com", True), ("hostname", "-bad.com", False), ("hostname", "a" * 254, False),
    ("EMAIL", "user@example.com", True), ("anything-else", "?", True),
]  # fmt: skip


@pytest.mark.parametrize(("fmt", "value", "ok"), FORMATS)
def test_formats(fmt: str, value: str, ok: bool):
    assert check(fmt, value) is ok


@pytest.mark.parametrize(
    ("value", "fmt"),
    [("550e8400-e29b-41d4-a716-446655440000", "uuid"), ("a@b.co", "email"), ("10.0.0.1", "ipv4"),
     ("2024-01-15", "date"), ("https://x.io", "uri"), ("api.example.com", "hostname"), ("Alice", "")],
)  # fmt: skip
def test_detect(value: str, fmt: str):
    assert detect(value) == fmt


def schema_errors(schema: Any, body: dict[str, Any]) -> list[tuple[str, str]]:
    out = Validator(RequestRules(schema=schema)).validate_body(body)
    assert all(e.code == "schema" and e.location == "body" and not e.hint for e in out)
    return [(e.field, e.message) for e in out]


SCHEMA = {
    "type": "object",
    "required": ["name", "email"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[A-Z]"},
        "email": {"type": "string"},
        "age": {"type": "integer", "minimum": 0, "exclusiveMaximum": 150, "multipleOf": 1},
        "tags": {"type": "array", "minItems": 1, "maxItems": 2, "uniqueItems": True, "items": {"enum": ["a", "b"]}},
        "kind": {"const": "user"},
        "ref": {"$ref": "#/$defs/id"},
        "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
    },
    "$defs": {"id": {"type": "string", "pattern": "^u"}},
}  # fmt: skip


def test_schema_messages_and_locations():
    body = {"name": "bob", "age": 150.5, "tags": ["a", "a", "c"], "kind": "x", "ref": "x1", "either": True,
            "extra": 1}  # fmt: skip
    assert schema_errors(SCHEMA, body) == [
        ("", "missing properties: 'email'"),
        ("name", "does not match pattern '^[A-Z]'"),
        ("age", "expected integer, but got number"),
        ("tags", "maximum 2 items required, but found 3 items"),
        ("tags", "items at index 0 and 1 are equal"),
        ("tags.2", 'value must be one of "a", "b"'),
        ("kind", 'value must be "user"'),
        ("ref", "does not match pattern '^u'"),
        ("either", "expected string, but got boolean"),
        ("either", "expected integer, but got boolean"),
        ("", "additionalProperties 'extra' not allowed"),
    ]
    assert schema_errors(SCHEMA, {"name": "Bo", "email": "e", "age": -1}) == [
        ("age", "must be >= 0 but found -1")
    ]
    assert schema_errors(SCHEMA, {"name": "Bo", "email": "e"}) == []


def test_schema_replaces_fields_and_a_broken_schema_is_one_error(tmp_path):
    rules = RequestRules(required=("x",), schema={"type": "object"})
    assert Validator(rules).validate_body({}) == []
    ref = tmp_path / "s.json"
    ref.write_text('{"required": ["id"]}')
    assert [
        e.message for e in Validator(RequestRules(schema_ref="s.json"), str(tmp_path)).validate_body({})
    ] == ["missing properties: 'id'"]
    missing = Validator(RequestRules(schema_ref="nope.json"), str(tmp_path)).validate_body({})
    assert [e.to_json() for e in missing] == [
        {"field": "", "location": "body", "code": "schema",
         "message": "schema compilation error: failed to read schema file: open nope.json: no such file or directory"}
    ]  # fmt: skip


def test_infer_from_seed():
    seed = [
        {"id": "1", "email": "a@x.io", "age": 30, "name": "Al", "nick": None, "tags": ["x"]},
        {"id": "2", "email": "bob@x.io", "age": 25.5, "name": "Bobby", "tags": "mixed"},
    ]
    rules = infer(seed, "/api/users/:userId/orders")
    assert rules is not None
    assert rules.auto
    shared = rules.shared
    assert shared.required == ("email", "age", "name", "tags")
    fields = dict(shared.fields)
    email = fields["email"]
    assert (email.format, email.min_length, email.max_length) == ("email", 6, 8)
    assert (fields["age"].type, fields["age"].min, fields["age"].max) == ("number", 25.5, 30.0)
    assert fields["tags"].type == "string"  # two types: Go falls back to string
    assert "nick" not in fields  # null everywhere: nothing to infer from
    ((name, param),) = shared.path_params
    assert (name, param.pattern, param.message) == (
        "userId",
        "^[a-zA-Z0-9_-]+$",
        "userId must be alphanumeric (hyphens and underscores allowed)",
    )
    assert infer([], "") is None


@pytest.mark.parametrize(
    ("samples", "pattern", "message"),
    [(["post-1", "post-22"], r"^post-\d+$", "p must be in format 'post-123'"),
     (["1", "22"], r"^\d+$", "p must be a number"),
     (["550e8400-e29b-41d4-a716-446655440000"],
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", "p must be a valid UUID")],
)  # fmt: skip
def test_inferred_path_param_patterns(samples: list[str], pattern: str, message: str):
    rules = infer([{"p": s} for s in samples], "/x/:p")
    assert rules is not None
    ((_, rule),) = rules.shared.path_params
    assert (rule.pattern, rule.message) == (pattern, message)


def test_auto_rules_sit_under_explicit_ones():
    seed = [{"name": "Alice", "age": 30}]
    v = stateful_validator({"auto": True, "fields": {"name": {"type": "string", "maxLength": 50}}}, seed)
    assert v is not None
    long_name = {"name": "A much longer name", "age": 30}
    assert v.create(long_name, {}) == []  # explicit maxLength 50 replaced the inferred 5
    # inferred `required` names, then the inferred `age` rule's own required flag (Go reports both)
    assert [(e.field, e.code) for e in v.create({}, {})] == [
        ("name", "required"), ("age", "required"), ("age", "required"),
    ]  # fmt: skip


def test_on_create_and_on_update_override_shared_rules():
    config = {"required": ["name"], "fields": {"name": {"type": "string"}},
              "onCreate": {"required": ["email"]}, "onUpdate": {"fields": {"name": {"type": "integer"}}}}  # fmt: skip
    v = stateful_validator(config, [])
    assert v is not None
    assert [(e.field, e.code) for e in v.create({"name": "x"}, None)] == [("email", "required")]
    assert [(e.field, e.code) for e in v.update({"name": "x"}, None)] == [("name", "type")]
    assert stateful_validator({"mode": "warn"}, []) is None  # no rules at all


def test_parse_problems():
    _, problems = parse_request({"fields": {"a": {"minLength": 1.5, "typ": "string"}, "b": None, "c": 3},
                                 "failStatus": "422", "mode": "strict"})  # fmt: skip
    assert problems == [
        Problem(("fields", "a", "minLength"), "expected an integer, got number", True),
        Problem(("fields", "a", "typ"), "unknown validation key 'typ'; did you mean 'type'?", False),
        Problem(("fields", "b"), "a null rule is ignored", False),
        Problem(("fields", "c"), "expected an object, got number", True),
        Problem(("failStatus",), "expected an integer, got string", True),
    ]
    rules, problems = parse_stateful({"Required": ["a"], "onCreate": {"fields": {"x": {}}}})
    assert problems == []
    assert rules.shared.required == ("a",)
    assert rules.on_create is not None


def err(code: str) -> FieldError:
    return FieldError("f", "body", code, "m")


@pytest.mark.parametrize(
    ("mode", "codes", "rejected"),
    [("strict", ["min"], True), ("", ["min"], True), ("Strict", ["min"], True), ("warn", ["required"], False),
     ("permissive", ["min", "type"], False), ("permissive", ["min", "required"], True), ("strict", [], False)],
)  # fmt: skip
def test_modes(mode: str, codes: list[str], rejected: bool):
    assert rejects([err(c) for c in codes], mode) is rejected


def test_problem_body():
    assert problem([err("min")], 422) == {
        "type": "validation_error", "title": "Request Validation Failed", "status": 422, "detail": "m",
        "errors": [{"field": "f", "location": "body", "code": "min", "message": "m"}],
    }  # fmt: skip
    assert problem([err("a"), err("b")], 0)["detail"] == "2 validation errors"
    assert E.invalid_json("unexpected end of JSON input").to_json() == {
        "field": "", "location": "body", "code": "invalid_json", "message": "invalid JSON: unexpected end of JSON input",
        "hint": "Ensure your request body is valid JSON",
    }  # fmt: skip
