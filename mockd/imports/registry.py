"""One converter per format, imported only when a file of that format is converted."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from mockd.imports.model import Converted, Source

_CONVERTERS = {
    "openapi": "mockd.imports.openapi",
    "mockd": "mockd.imports.native",
    "postman": "mockd.imports.postman",
    "har": "mockd.imports.har",
    "wiremock": "mockd.imports.wiremock",
    "curl": "mockd.imports.curl",
    "mockoon": "mockd.imports.mockoon",
    "insomnia": "mockd.imports.insomnia",
    "wsdl": "mockd.imports.wsdl",
}


def importable() -> tuple[str, ...]:
    return tuple(_CONVERTERS)


def converter(fmt: str) -> Callable[[Source], Converted] | None:
    module = _CONVERTERS.get(fmt)
    if module is None:
        return None
    convert: Callable[[Source], Converted] = importlib.import_module(module).convert
    return convert
