"""Pydantic validation of prepared data, errors turned into positioned issues.

Parts are validated one by one (each mock, each resource, ...) rather than as one collection, so a type error
in one mock does not hide the problems of the others.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mockd.compiler.issues import Issues
from mockd.errors import json_kind, type_message
from mockd.gocompat.positions import Path

M = TypeVar("M", bound=BaseModel)


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
