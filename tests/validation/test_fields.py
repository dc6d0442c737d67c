"""Every field rule and error code of reference §3.9, table-driven against Go's exact error objects."""

from __future__ import annotations

from typing import Any

import pytest

from mockd.validation import FieldError, RequestRules, Validator, parse_request
from mockd.validation.fields import validate_field, validate_fields, validate_map
from mockd.validation.rules import FieldRule


def rule(**kw: Any) -> FieldRule:
    """A FieldRule from config spelling (`minLength`, ...), through the real parser."""
    rules, problems = parse_request({"fields": {"f": kw}})
    assert problems == []
    return rules.fields[0][1]


def errors(value: Any, **kw: Any) -> list[dict[str, Any]]:
    return [e.to_json() for e in validate_field("f", "body", value, rule(**kw))]


def one(code: str, message: str, received: Any = None, expected: str = "", hint: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"field": "f", "location": "body", "code": code, "message": message}
    if received is not None:
        out["received"] = received
    if expected:
        out["expected"] = expected
    if hint:
        out["hint"] = hint
    return out


REQ = one(
    "required", "field 'f' is required", None, "non-null value", "Add the 'f' field to your request body"
)


def type_err(expected: str, received: Any) -> dict[str, Any]:
    return one("type", f"expected type '{expected}'", received, expected, f"Ensure 'f' is a valid {expected}")


CASES: list[tuple[str, Any, dict[str, Any], list[dict[str, Any]]]] = [
    # null handling
    ("null required", None, {"type": "string", "required": True}, [REQ]),
    ("null typed", None, {"type": "string"}, [type_err("string", None)]),
    ("null nullable", None, {"type": "string", "nullable": True}, []),
    ("null untyped", None, {"minLength": 3}, []),
    # types (a mismatch stops the other checks)
    ("string ok", "x", {"type": "string"}, []),
    ("string bad", 5, {"type": "string", "minLength": 9}, [type_err("string", 5)]),
    ("number int", 5, {"type": "number"}, []),
    ("number float", 1.5, {"type": "number"}, []),
    ("number bad", "5", {"type": "number"}, [type_err("number", "5")]),
    ("integer ok", 5, {"type": "integer"}, []),
    ("integer whole float", 5.0, {"type": "integer"}, []),
    ("integer fraction", 5.5, {"type": "integer"}, [type_err("integer", 5.5)]),
    ("integer string", "5", {"type": "integer"}, [type_err("integer", "5")]),
    ("boolean ok", False, {"type": "boolean"}, []),
    ("boolean is not number", True, {"type": "number"}, [type_err("number", True)]),
    ("array ok", [], {"type": "array"}, []),
    ("object ok", {}, {"type": "object"}, []),
    ("object bad", [1], {"type": "object"}, [type_err("object", [1])]),
    ("type case-insensitive", "x", {"type": "String"}, []),
    # strings
    ("minLength", "ab", {"minLength": 3}, [one("min_length", "must be at least 3 characters", 2,
                                              ">= 3 characters", "Add more characters to 'f'")]),
    ("minLength runes", "ééé", {"minLength": 3}, []),
    ("maxLength", "abcd", {"maxLength": 3}, [one("max_length", "must be at most 3 characters", 4,
                                                "<= 3 characters", "Reduce the length of 'f'")]),
    ("pattern", "a1", {"pattern": "^[a-z]+$"}, [one("pattern", "must match pattern '^[a-z]+$'", "a1",
                                                   "pattern: ^[a-z]+$", "Ensure 'f' matches the required format")]),
    ("pattern is a search", "xx42yy", {"pattern": r"\d+"}, []),
    ("pattern message", "a1", {"pattern": "^[a-z]+$", "message": "letters only"},
     [one("pattern", "letters only", "a1", "pattern: ^[a-z]+$", "Ensure 'f' matches the required format")]),
    ("bad pattern fails", "a", {"pattern": "("}, [one("pattern", "must match pattern '('", "a", "pattern: (",
                                                      "Ensure 'f' matches the required format")]),
    ("format", "nope", {"format": "email"}, [one("format", "must be a valid email", "nope", "format: email",
                                                 "Example: user@example.com")]),
    ("format message", "nope", {"format": "uuid", "message": "bad id"},
     [one("format", "bad id", "nope", "format: uuid", "Example: 550e8400-e29b-41d4-a716-446655440000")]),
    ("format unknown passes", "x", {"format": "zipcode"}, []),
    ("message not for length", "a", {"minLength": 2, "message": "m"},
     [one("min_length", "must be at least 2 characters", 1, ">= 2 characters", "Add more characters to 'f'")]),
    # numbers
    ("min", -5, {"min": 0}, [one("min", "must be >= 0", -5, ">= 0", "Increase the value of 'f'")]),
    ("min equal", 0, {"min": 0}, []),
    ("max", 151, {"max": 150}, [one("max", "must be <= 150", 151, "<= 150", "Decrease the value of 'f'")]),
    ("max float bound", 100, {"max": 99999.99}, []),
    ("max big bound %v", 2e8, {"max": 100000000}, [one("max", "must be <= 1e+08", 2e8, "<= 1e+08",
                                                       "Decrease the value of 'f'")]),
    ("exclusiveMin", -273.15, {"exclusiveMin": -273.15}, [one("exclusive_min", "must be > -273.15", -273.15,
                                                              "> -273.15")]),
    ("exclusiveMax", 5, {"exclusiveMax": 5}, [one("exclusive_max", "must be < 5", 5, "< 5")]),
    ("bounds ignore strings", "5", {"min": 10}, []),
    # arrays
    ("minItems", [], {"minItems": 1}, [one("min_items", "must have at least 1 items", 0, ">= 1 items",
                                           "Add more items to 'f'")]),
    ("maxItems", [1, 2], {"maxItems": 1}, [one("max_items", "must have at most 1 items", 2, "<= 1 items",
                                               "Remove some items from 'f'")]),
    ("uniqueItems", ["a", "b", "a"], {"uniqueItems": True},
     [one("unique_items", "items must be unique", "a", "unique items", "Remove duplicate values from 'f'")]),
    ("uniqueItems numbers by value", [1, 1.0], {"uniqueItems": True},
     [one("unique_items", "items must be unique", 1.0, "unique items", "Remove duplicate values from 'f'")]),
    ("uniqueItems objects", [{"a": 1, "b": 2}, {"b": 2, "a": 1}], {"uniqueItems": True},
     [one("unique_items", "items must be unique", {"b": 2, "a": 1}, "unique items",
          "Remove duplicate values from 'f'")]),
    ("items", ["ok", 3], {"items": {"type": "string"}},
     [{"field": "f[1]", "location": "body", "code": "type", "message": "expected type 'string'", "received": 3,
       "expected": "string", "hint": "Ensure 'f[1]' is a valid string"}]),
    # enum
    ("enum", "x", {"enum": ["pending", "done"]},
     [one("enum", "must be one of: pending, done", "x", "one of: pending, done", "Use an allowed value for 'f'")]),
    ("enum number by value", 2.0, {"enum": [1, 2, 3]}, []),
    ("enum string is not number", "2", {"enum": [1, 2]},
     [one("enum", "must be one of: 1, 2", "2", "one of: 1, 2", "Use an allowed value for 'f'")]),
    ("enum after other checks", "ab", {"enum": ["abc"], "minLength": 3},
     [one("min_length", "must be at least 3 characters", 2, ">= 3 characters", "Add more characters to 'f'"),
      one("enum", "must be one of: abc", "ab", "one of: abc", "Use an allowed value for 'f'")]),
    ("enum object", {"a": 1}, {"enum": [{"a": 1.0}]}, []),
    # properties
    ("properties", {"city": 1}, {"properties": {"city": {"type": "string"}, "zip": {"required": True}}},
     [{"field": "f.city", "location": "body", "code": "type", "message": "expected type 'string'", "received": 1,
       "expected": "string", "hint": "Ensure 'f.city' is a valid string"},
      {"field": "f.zip", "location": "body", "code": "required", "message": "field 'f.zip' is required",
       "expected": "non-null value", "hint": "Add the 'f.zip' field to your request body"}]),
]  # fmt: skip


@pytest.mark.parametrize(("value", "config", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_field_rules(value: Any, config: dict[str, Any], expected: list[dict[str, Any]]):
    assert errors(value, **config) == expected


def names(errs: list[FieldError]) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in errs]


def fields(config: dict[str, Any]) -> Any:
    return parse_request({"fields": config})[0].fields


DOTTED: list[tuple[str, dict[str, Any], dict[str, Any], list[tuple[str, str]]]] = [
    ("object ok", {"address.city": {"type": "string"}}, {"address": {"city": "Paris"}}, []),
    ("object bad", {"address.city": {"type": "string"}}, {"address": {"city": 7}}, [("address.city", "type")]),
    ("missing root", {"address.city": {"required": True}}, {}, [("address.city", "required")]),
    ("missing leaf", {"address.city": {"required": True}}, {"address": {}}, [("address.city", "required")]),
    ("root not traversable", {"address.city": {"required": True}}, {"address": "x"},
     [("address.city", "required")]),
    ("each element", {"items.sku": {"type": "string", "required": True}},
     {"items": [{"sku": "a"}, {"sku": 1}, {}, "not an object"]}, [("items.sku", "type"), ("items.sku", "required")]),
    ("empty array required", {"items.sku": {"required": True}}, {"items": []}, [("items.sku", "required")]),
    ("empty array optional", {"items.sku": {"type": "string"}}, {"items": []}, []),
    # Go names a deeper path after the part it recursed with
    ("deep object", {"order.ship.city": {"type": "string"}}, {"order": {"ship": {"city": 1}}},
     [("ship.city", "type")]),
    ("deep in array", {"items.dims.w": {"min": 1}}, {"items": [{"dims": {"w": 0}}]}, [("dims.w", "min")]),
    ("plain required", {"name": {"required": True}}, {}, [("name", "required")]),
    ("null present counts", {"name": {"required": True}}, {"name": None}, [("name", "required")]),
]  # fmt: skip


@pytest.mark.parametrize(("config", "body", "expected"), [c[1:] for c in DOTTED], ids=[c[0] for c in DOTTED])
def test_dotted_names(config: dict[str, Any], body: dict[str, Any], expected: list[tuple[str, str]]):
    assert names(validate_fields("body", body, fields(config))) == expected


def test_maps_validate_string_values_and_fold_header_names():
    rules = fields({"id": {"type": "string", "pattern": r"^\d+$"}, "page": {"type": "integer"},
                    "X-Api-Key": {"required": True}})  # fmt: skip
    assert names(validate_map("path", {"id": "abc"}, rules[:1])) == [("id", "pattern")]
    # a query value is a string, so `type: integer` can never pass (as in Go)
    assert names(validate_map("query", {"page": "2"}, rules[1:2])) == [("page", "type")]
    assert validate_map("header", {"x-api-key": "k"}, rules[2:], fold_case=True) == []
    assert names(validate_map("header", {}, rules[2:], fold_case=True)) == [("X-Api-Key", "required")]


def test_validator_order_and_locations():
    rules = RequestRules(
        required=("name",),
        fields=fields({"age": {"min": 0}}),
        path_params=fields({"id": {"pattern": "^u"}}),
        query_params=fields({"q": {"required": True}}),
        headers=fields({"X-Tenant": {"enum": ["a"]}}),
    )
    out = Validator(rules).validate({"age": -1}, {"id": "x"}, {}, {"x-tenant": "b"})
    assert [(e.location, e.field, e.code) for e in out] == [
        ("path", "id", "pattern"), ("query", "q", "required"), ("header", "X-Tenant", "enum"),
        ("body", "name", "required"), ("body", "age", "min"),
    ]  # fmt: skip


def test_a_none_body_skips_body_rules_but_validate_body_checks_an_empty_one():
    v = Validator(RequestRules(required=("name",)))
    assert v.validate(None, {}, {}, {}) == []
    assert names(v.validate_body(None)) == [("name", "required")]
