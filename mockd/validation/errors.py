"""Validation failures as the Go tool reports them: one `FieldError` per problem, and the RFC 7807 body.

Every constructor below writes the Go tool's exact message, `expected` and `hint` texts (reference §3.9),
because clients assert on them. `FieldError.to_json()` keeps Go's field order and its `omitempty` rules:
`received` is left out only when it is absent (None), `expected` and `hint` when empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockd.templates.gofmt import format_value

REQUIRED = "required"
TYPE = "type"
MIN_LENGTH = "min_length"
MAX_LENGTH = "max_length"
PATTERN = "pattern"
FORMAT = "format"
MIN = "min"
MAX = "max"
EXCLUSIVE_MIN = "exclusive_min"
EXCLUSIVE_MAX = "exclusive_max"
MIN_ITEMS = "min_items"
MAX_ITEMS = "max_items"
UNIQUE_ITEMS = "unique_items"
ENUM = "enum"
SCHEMA = "schema"
INVALID_JSON = "invalid_json"
UNKNOWN_FIELD = "unknown_field"  # part of Go's vocabulary; no rule of the Go tool produces it

BODY, PATH, QUERY, HEADER = "body", "path", "query", "header"

_FORMAT_HINTS = {
    "email": "Example: user@example.com",
    "uuid": "Example: 550e8400-e29b-41d4-a716-446655440000",
    "date": "Example: 2024-01-15",
    "datetime": "Example: 2024-01-15T10:30:00Z",
    "uri": "Example: https://example.com/path",
    "ipv4": "Example: 192.168.1.1",
    "ipv6": "Example: 2001:db8::1",
    "hostname": "Example: api.example.com",
}


@dataclass(slots=True)
class FieldError:
    """One failed rule. `received` is None when the Go tool leaves the key out (it omits only nil)."""

    field: str
    location: str
    code: str
    message: str
    received: Any = None
    expected: str = ""
    hint: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "field": self.field, "location": self.location, "code": self.code, "message": self.message,
        }  # fmt: skip
        if self.received is not None:
            out["received"] = self.received
        if self.expected:
            out["expected"] = self.expected
        if self.hint:
            out["hint"] = self.hint
        return out


def problem(errors: list[FieldError], status: int) -> dict[str, Any]:
    """The `application/problem+json` body (Go's `validation.ErrorResponse`; `detail` omitted if empty)."""
    out: dict[str, Any] = {
        "type": "validation_error", "title": "Request Validation Failed", "status": status or 400,
    }  # fmt: skip
    if len(errors) == 1:
        out["detail"] = errors[0].message
    elif errors:
        out["detail"] = f"{len(errors)} validation errors"
    out["errors"] = [e.to_json() for e in errors]
    return out


def _v(number: float) -> str:
    """Go's `%v` of a float64 bound (`1e+08`, `0.5`, `18`)."""
    return format_value(float(number))


def required(field: str, location: str) -> FieldError:
    return FieldError(
        field, location, REQUIRED, f"field '{field}' is required", None, "non-null value",
        f"Add the '{field}' field to your request {location}",
    )  # fmt: skip


def type_error(field: str, location: str, expected: str, received: Any) -> FieldError:
    return FieldError(
        field, location, TYPE, f"expected type '{expected}'", received, expected,
        f"Ensure '{field}' is a valid {expected}",
    )  # fmt: skip


def min_length(field: str, location: str, limit: int, actual: int) -> FieldError:
    return FieldError(
        field, location, MIN_LENGTH, f"must be at least {limit} characters", actual,
        f">= {limit} characters", f"Add more characters to '{field}'",
    )  # fmt: skip


def max_length(field: str, location: str, limit: int, actual: int) -> FieldError:
    return FieldError(
        field, location, MAX_LENGTH, f"must be at most {limit} characters", actual,
        f"<= {limit} characters", f"Reduce the length of '{field}'",
    )  # fmt: skip


def pattern(field: str, location: str, regex: str, received: Any) -> FieldError:
    return FieldError(
        field, location, PATTERN, f"must match pattern '{regex}'", received, "pattern: " + regex,
        f"Ensure '{field}' matches the required format",
    )  # fmt: skip


def format_error(field: str, location: str, fmt: str, received: Any) -> FieldError:
    hint = _FORMAT_HINTS.get(fmt) or f"Ensure '{field}' is a valid {fmt}"
    return FieldError(field, location, FORMAT, "must be a valid " + fmt, received, "format: " + fmt, hint)


def minimum(field: str, location: str, bound: float, received: Any) -> FieldError:
    return FieldError(
        field, location, MIN, f"must be >= {_v(bound)}", received, f">= {_v(bound)}",
        f"Increase the value of '{field}'",
    )  # fmt: skip


def maximum(field: str, location: str, bound: float, received: Any) -> FieldError:
    return FieldError(
        field, location, MAX, f"must be <= {_v(bound)}", received, f"<= {_v(bound)}",
        f"Decrease the value of '{field}'",
    )  # fmt: skip


def exclusive_min(field: str, location: str, bound: float, received: Any) -> FieldError:
    return FieldError(field, location, EXCLUSIVE_MIN, f"must be > {_v(bound)}", received, f"> {_v(bound)}")


def exclusive_max(field: str, location: str, bound: float, received: Any) -> FieldError:
    return FieldError(field, location, EXCLUSIVE_MAX, f"must be < {_v(bound)}", received, f"< {_v(bound)}")


def min_items(field: str, location: str, limit: int, actual: int) -> FieldError:
    return FieldError(
        field, location, MIN_ITEMS, f"must have at least {limit} items", actual, f">= {limit} items",
        f"Add more items to '{field}'",
    )  # fmt: skip


def max_items(field: str, location: str, limit: int, actual: int) -> FieldError:
    return FieldError(
        field, location, MAX_ITEMS, f"must have at most {limit} items", actual, f"<= {limit} items",
        f"Remove some items from '{field}'",
    )  # fmt: skip


def unique_items(field: str, location: str, duplicate: Any) -> FieldError:
    return FieldError(
        field, location, UNIQUE_ITEMS, "items must be unique", duplicate, "unique items",
        f"Remove duplicate values from '{field}'",
    )  # fmt: skip


def enum(field: str, location: str, allowed: tuple[Any, ...], received: Any) -> FieldError:
    names = ", ".join(format_value(v) for v in allowed)
    return FieldError(
        field, location, ENUM, "must be one of: " + names, received, "one of: " + names,
        f"Use an allowed value for '{field}'",
    )  # fmt: skip


def schema(field: str, message: str) -> FieldError:
    """A JSON Schema failure: Go reports these without hint (its `NewSchemaError` helper goes unused)."""
    return FieldError(field, BODY, SCHEMA, message)


def invalid_json(message: str) -> FieldError:
    return FieldError(
        "", BODY, INVALID_JSON, "invalid JSON: " + message, None, "", "Ensure your request body is valid JSON"
    )
