"""The JSON Schema of mockd config files, generated from the compiler's models (`mockd schema`).

It describes the file as the loader reads it, so it never rejects a config `mockd validate` accepts:

- keys and nesting come from `mockd.compiler.models` through the loader's own field walk
  (`decode.coerce.fields_of`), aliases included (`list`, `as`, `validate`);
- scalars are as lenient as the loader: a string field takes any YAML scalar (`X-Count: 5` is "5"), a bool
  field also takes YAML's yes/no/on/off words, `null` anywhere means "not set", a response `body` is any
  value;
- unknown keys are allowed (the loader ignores them with a warning); a legacy mock (`matcher` and
  `response` at the top, no `type`) is described beside the current shape.

So it checks shapes and types (what an editor can flag while you type); `mockd validate` checks the rest.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from pydantic import BaseModel

from mockd.compiler.decode.coerce import Kind, fields_of
from mockd.compiler.models import LegacyMock, Mock, MockCollection

SCHEMA_FILE = "mockd-config.schema.json"
# The words the loader reads as booleans in a YAML bool field (decode/coerce.py `_YAML_BOOLS`).
_YAML_BOOL_WORDS = [
    *("y", "Y", "yes", "Yes", "YES", "on", "On", "ON"),
    *("n", "N", "no", "No", "NO", "off", "Off", "OFF"),
]


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def kind(self, kind: Kind) -> dict[str, Any]:
        tag = kind[0]
        if tag in ("any", "body"):
            return {}
        if tag == "str":
            return {"type": ["string", "number", "boolean", "null"]}
        if tag == "int":
            return {"type": ["integer", "null"]}
        if tag == "float":
            return {"type": ["number", "null"]}
        if tag == "bool":
            return {"anyOf": [{"type": ["boolean", "null"]}, {"enum": _YAML_BOOL_WORDS}]}
        if tag == "list":
            return {"type": ["array", "null"], "items": self.kind(kind[1])}
        if tag == "dict":
            return {"type": ["object", "null"], "additionalProperties": self.kind(kind[1])}
        if tag == "model":
            # Nullable in the definition itself: an anyOf around the $ref would make a validator blame the
            # whole object instead of the one bad field inside it.
            return {"$ref": f"#/$defs/{self.model(kind[1])}"}
        raise ValueError(f"no schema for field kind {kind!r}")

    def model(self, cls: type[BaseModel]) -> str:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder: recursion stops here
            self.defs[name] = self._object(cls)
        return name

    def _object(self, cls: type[BaseModel]) -> dict[str, Any]:
        props = {key: self.kind(kind) for key, (_, kind) in fields_of(cls).items()}
        if cls is Mock:
            # The legacy shape's own keys, typed: a JSON mock with `matcher`/`response` at the top.
            for key, (_, kind) in fields_of(LegacyMock).items():
                props.setdefault(key, self.kind(kind))
        out: dict[str, Any] = {"type": ["object", "null"], "properties": props}
        doc = (cls.__doc__ or "").strip()
        if doc:
            out["description"] = doc.split("\n\n")[0]
        return out


def build_schema() -> dict[str, Any]:
    """The schema as a dict (deterministic: definitions sorted by name)."""
    builder = _Builder()
    root = builder.model(MockCollection)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "mockd config file",
        "description": (
            "A mockd mock collection (JSON or YAML). Generated from mockd's config models by `mockd schema`; "
            "it checks shapes and types, `mockd validate` checks the rest."
        ),
        "$ref": f"#/$defs/{root}",
        "$defs": dict(sorted(builder.defs.items())),
    }


def render() -> str:
    """What `mockd schema` prints and the shipped file holds."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def shipped() -> str:
    """The copy shipped in the package (`mockd/schema/mockd-config.schema.json`)."""
    return resources.files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


__all__ = ["SCHEMA_FILE", "build_schema", "render", "shipped"]
