"""Pydantic validation of prepared data, errors turned into positioned issues.

Parts are validated one by one (each mock, each resource, ...) rather than as one collection, so a type error
in one mock does not hide the problems of the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mockd.compiler.issues import Issues
from mockd.gocompat.positions import Path

M = TypeVar("M", bound=BaseModel)

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


def validate(
    cls: type[M], data: Any, path: Path, issues: Issues, *, doc: int = 0, legacy: bool = False
) -> M | None:
    """`cls.model_validate(data)`, or None with each error added to `issues` at its document path.

    `legacy` maps locations inside a converted legacy-shape mock back to where they were written
    (`http.matcher.path` was `matcher.path` in the file).
    """
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            if legacy and loc[:1] == ("http",):
                loc = loc[1:]
            issues.error(
                type_message(error), "invalid_type", (*path, *loc), go_field=".".join(map(str, loc)), doc=doc
            )
        return None


def validate_items(
    cls: type[M],
    value: Any,
    path: Path,
    issues: Issues,
    *,
    doc: int = 0,
    what: str = "entry",
    legacy_paths: set[Path] | None = None,
) -> list[tuple[int, M]]:
    """Validate each item of a list field; nulls are reported (`<what> cannot be null`), not validated."""
    if value is None:
        return []
    if not isinstance(value, list):
        issues.error(f"expected a list, got {json_kind(value)}", "invalid_type", path, doc=doc)
        return []
    out: list[tuple[int, M]] = []
    for i, item in enumerate(value):
        item_path = (*path, i)
        if item is None:
            issues.error(f"{what} cannot be null", "null_entry", item_path, doc=doc)
            continue
        legacy = legacy_paths is not None and item_path in legacy_paths
        model = validate(cls, item, item_path, issues, doc=doc, legacy=legacy)
        if model is not None:
            out.append((i, model))
    return out
