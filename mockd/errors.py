"""The root of mockd's own exceptions: every error raised on purpose derives from `MockdError`.

The CLI turns any `MockdError` into a message and exit code 1 and anything else into exit code 70 (a bug);
each part defines its own subclasses beside its code (`mockd.compiler.errors`, `mockd.plan.io.PlanError`).

It also holds the words every part uses for a value of the wrong type, so a config file, a chaos API body and
an admin request all say `expected an integer, got a string` the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class MockdError(Exception):
    """Base of every error mockd raises on purpose (anything else is a bug)."""


_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_from_float": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "bool_type": "true or false",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "list_type": "a list",
}


def json_kind(value: Any) -> str:
    """How the value looks in JSON terms (`string`, `number`, ...), for type error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# Every integer field is a Go `int`/`int64` (64-bit): the Go decoder refuses anything outside this range.
INT64_RANGE = "expected an integer from -9223372036854775808 to 9223372036854775807"


def type_message(error: Mapping[str, Any]) -> str:
    """The message for one pydantic error (`ValidationError.errors()` item) in mockd's words."""
    expected = _EXPECTED.get(error["type"])
    value = error.get("input")
    if expected == "an integer" and isinstance(value, float) and not -(2.0**63) <= value < 2.0**63:
        return f"number out of range: {INT64_RANGE}"  # inf too: a literal too long to be a Python int
    if expected is not None:
        got = json_kind(error.get("input"))
        if error["type"] == "int_type" and isinstance(error.get("input"), float):
            got = f"the number {error['input']!r}"
        return f"expected {expected}, got {got}"
    if error["type"] in ("less_than_equal", "greater_than_equal"):
        return f"number out of range: {value!r} ({INT64_RANGE})"
    return str(error["msg"])
