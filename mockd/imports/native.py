"""A mockd config file imported by another: only its `mocks` are taken (imports are not recursive)."""

from __future__ import annotations

from typing import Any

from mockd.imports.errors import ImportFailure
from mockd.imports.model import Converted, Source
from mockd.imports.source import parse_document


def convert(source: Source) -> Converted:
    data = parse_document(source.data, source.name, "mockd")
    if not isinstance(data, dict):
        raise ImportFailure("mockd: expected a mock collection (an object)", file=source.name)
    mocks: Any = data.get("mocks") or []
    if not isinstance(mocks, list):
        raise ImportFailure("mockd: mocks must be a list", file=source.name, pointer="/mocks")
    out = Converted("mockd", name=str(data.get("name", "")))
    for i, m in enumerate(mocks):
        if not isinstance(m, dict):
            raise ImportFailure("mockd: a mock must be an object", file=source.name, pointer=f"/mocks/{i}")
        out.mocks.append(m)
    return out
