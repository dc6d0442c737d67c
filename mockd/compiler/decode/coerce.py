"""Bring decoded data into the exact shape the models expect, the way the Go decoders would have read it.

This pass walks the data alongside the models' fields, before pydantic validates, and does what the Go
decoders do implicitly:

- unknown keys are ignored by the Go tool, so they are dropped here with a warning (and a "did you mean");
- JSON object keys match field names case-insensitively (`"StatusCode"` is `statusCode`), YAML keys do not;
- a YAML scalar in a string field is its literal text (`version: 1.0` is "1.0", `X-Flag: true` is "true");
  a YAML `yes`/`on`/`no`/`off` in a bool field is a bool; a YAML float in an integer field is truncated;
- `null` in a scalar field means "not set";
- `response.body` becomes the string served (reference §2.4): JSON values keep their source text, YAML
  mappings and sequences become Go-encoded JSON with sorted keys, YAML scalars keep their literal text;
- a JSON mock in the legacy shape (`matcher` at the top, no `type`, no `http`) becomes an HTTP mock, with
  `enabled` false unless given (the Go tool's quirk);
- `folderId` is copied to `parentId` when that is empty.
"""

from __future__ import annotations

import difflib
import inspect
import types
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from mockd.compiler.issues import Issues
from mockd.compiler.models import BodyText, LegacyMock, Mock
from mockd.gocompat import gojson
from mockd.gocompat.positions import Path, PosNode

SourceFormat = Literal["json", "yaml", "dict"]

# A field's kind: ("model", cls) | ("list", kind) | ("dict", kind) | ("str",) | ("int",) | ("float",)
# | ("bool",) | ("any",) | ("body",)
Kind = tuple[Any, ...]
_SCALARS = frozenset({"str", "int", "float", "bool"})
_ZERO: dict[str, Any] = {"str": "", "int": 0, "float": 0.0, "bool": False}
_YAML_BOOLS = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "off", "Off", "OFF"), False),
}


@dataclass
class Context:
    format: SourceFormat
    issues: Issues
    doc: int = 0
    text: str = ""  # the JSON source, for raw body text
    legacy_paths: set[Path] = field(default_factory=set)  # mocks that were in the legacy shape


def kind_of(annotation: Any, metadata: tuple[Any, ...] | list[Any] = ()) -> Kind:
    """Reduce a field annotation to the walk's vocabulary (nullability is handled by the walk)."""
    if any(isinstance(m, BodyText) for m in metadata):
        return ("body",)
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extra = get_args(annotation)
        return kind_of(base, extra)
    if origin is Union or origin is types.UnionType:
        members = [a for a in get_args(annotation) if a is not type(None)]
        if len(members) != 1:
            return ("any",)
        return kind_of(members[0], metadata)
    if origin is list:
        return ("list", kind_of(get_args(annotation)[0]))
    if origin is dict:
        return ("dict", kind_of(get_args(annotation)[1]))
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return ("model", annotation)
    for scalar in (bool, int, float, str):
        if annotation is scalar:
            return (scalar.__name__,)
    return ("any",)


@cache
def fields_of(cls: type[BaseModel]) -> dict[str, tuple[str, Kind]]:
    """JSON key -> (key, kind) for a model; the key is the alias when one is set."""
    out: dict[str, tuple[str, Kind]] = {}
    for name, info in cls.model_fields.items():
        key = info.alias or name
        out[key] = (key, kind_of(info.annotation, info.metadata))
    return out


@cache
def _folded(cls: type[BaseModel]) -> dict[str, str]:
    return {key.casefold(): key for key in fields_of(cls)}


def _child(node: PosNode | None, key: str | int) -> PosNode | None:
    return node.child(key) if node is not None else None


def walk(kind: Kind, value: Any, path: Path, node: PosNode | None, ctx: Context) -> Any:
    tag = kind[0]
    if tag == "model":
        if kind[1] is Mock:
            return _walk_mock(value, path, node, ctx)
        return walk_model(kind[1], value, path, node, ctx)
    if tag == "list":
        if not isinstance(value, list):
            return value
        item_kind = kind[1]
        return [
            _null_item(item_kind) if item is None else walk(item_kind, item, (*path, i), _child(node, i), ctx)
            for i, item in enumerate(value)
        ]
    if tag == "dict":
        if not isinstance(value, dict):
            return value
        item_kind = kind[1]
        return {
            k: _null_item(item_kind) if v is None else walk(item_kind, v, (*path, k), _child(node, k), ctx)
            for k, v in value.items()
        }
    if tag == "body":
        return _body(value, path, node, ctx)
    if ctx.format == "yaml" and tag in _SCALARS:
        return _yaml_scalar(tag, value, node)
    return value


def _null_item(kind: Kind) -> Any:
    """A `null` list item or map value: Go stores the zero value (nil for pointers, "" for strings)."""
    return _ZERO.get(kind[0])


def _yaml_scalar(tag: str, value: Any, node: PosNode | None) -> Any:
    text = node.text if node is not None else None
    if tag == "str":
        if text is not None and not isinstance(value, (dict, list)):
            return text
        return value
    if tag == "bool" and isinstance(value, str) and value in _YAML_BOOLS:
        return _YAML_BOOLS[value]
    if tag == "int" and isinstance(value, float) and value == value and abs(value) != float("inf"):
        return int(value)
    return value


def walk_model(cls: type[BaseModel], value: Any, path: Path, node: PosNode | None, ctx: Context) -> Any:
    """Clean one object against `cls`: known keys kept (canonical spelling), unknown ones dropped, warned."""
    if not isinstance(value, dict):
        return value
    fields = fields_of(cls)
    folded = _folded(cls) if ctx.format != "yaml" else None
    out: dict[str, Any] = {}
    for key, item in value.items():
        target = fields.get(key)
        if target is None and folded is not None:
            canonical = folded.get(key.casefold())
            target = fields[canonical] if canonical else None
        if target is None:
            _unknown_key(key, (*path, key), fields, ctx)
            continue
        name, kind = target
        if item is None and kind[0] in _SCALARS:
            continue  # null leaves a scalar as it was (Go's decoder: a no-op), so an earlier spelling stays
        out.pop(name, None)
        out[name] = walk(kind, item, (*path, key), _child(node, key), ctx)
    return out


def _unknown_key(key: str, path: Path, fields: dict[str, tuple[str, Kind]], ctx: Context) -> None:
    if key.startswith("x-"):
        return  # an extension key: the Go docs host YAML anchors on them (`x-defaults: &d`), not a typo
    message = f"unknown key '{key}' is ignored"
    exact_case = [k for k in fields if k.casefold() == key.casefold()]
    close = exact_case or difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
    if close:
        message += f". Did you mean '{close[0]}'?"
    ctx.issues.warning(message, "unknown_key", path, at_key=True, doc=ctx.doc)


def _body(value: Any, path: Path, node: PosNode | None, ctx: Context) -> Any:
    if isinstance(value, str):
        if ctx.format == "yaml" and node is not None and node.text is not None:
            return node.text  # a YAML timestamp keeps its spelling
        return value
    if ctx.format == "yaml":
        if not isinstance(value, (dict, list)):
            return node.text if node is not None and node.text is not None else gojson.marshal_text(value)
        try:
            return gojson.marshal_text(value)
        except gojson.UnsupportedValue as exc:
            ctx.issues.error(f"failed to marshal body to JSON: {exc}", "invalid_body", path, doc=ctx.doc)
            return ""
    if value is None:
        return ""  # Go: a JSON null body decodes as the empty string
    if ctx.format == "json" and node is not None:
        return ctx.text[node.start : node.end]
    try:
        return gojson.marshal_text(value)  # a dict body from the admin API: Go re-encodes it (sorted keys)
    except gojson.UnsupportedValue as exc:
        ctx.issues.error(f"failed to marshal body to JSON: {exc}", "invalid_body", path, doc=ctx.doc)
        return ""


def _is_legacy(value: dict[str, Any]) -> bool:
    """Go's probe: a `matcher` key (even `null`), no `http` key, an empty `type` (keys case-insensitive)."""
    has_matcher = has_http = False
    type_value: Any = ""
    for key, item in value.items():
        folded = key.casefold()
        if folded == "matcher":
            has_matcher = True
        elif folded == "http":
            has_http = True
        elif folded == "type":
            type_value = item
    return has_matcher and not has_http and type_value in ("", None)


def _walk_mock(value: Any, path: Path, node: PosNode | None, ctx: Context) -> Any:
    if not isinstance(value, dict):
        return value
    if ctx.format != "yaml" and _is_legacy(value):
        ctx.legacy_paths.add(path)
        legacy = walk_model(LegacyMock, value, path, node, ctx)
        if "enabled" not in legacy:
            ctx.issues.warning(
                "a mock in the legacy shape (matcher/response at the top) without 'enabled' is disabled, as "
                'by the Go tool; add "enabled": true or use the current shape with "type": "http"',
                "legacy_disabled",
                path,
                doc=ctx.doc,
            )
        out = {k: v for k, v in legacy.items() if k not in ("priority", "matcher", "response")}
        out["type"] = "http"
        out["enabled"] = legacy.get("enabled", False)
        spec = {k: legacy[k] for k in ("priority", "matcher", "response") if k in legacy}
        out["http"] = spec
        return out
    out = walk_model(Mock, value, path, node, ctx)
    if isinstance(out, dict) and out.get("folderId") and not out.get("parentId"):
        out["parentId"] = out["folderId"]
    return out


def prepare(cls: type[BaseModel], data: Any, node: PosNode | None, ctx: Context, *, path: Path = ()) -> Any:
    """Clean `data` (a whole collection, one mock, one resource) for `cls.model_validate`."""
    return walk(("model", cls), data, path, node, ctx)
