"""Response transforms (reference §4.7) and the D8 list format, parsed once per resource or binding.

Item pipeline, in the Go tool's order: `fields.rename` → `fields.hide` → `fields.wrapAsList` → `timestamps`
→ `fields.inject` (last, so injected keys can be neither hidden nor renamed). Lists: every item goes through
that pipeline, then the envelope is shaped:

- `list.format: "array"` (D8): a bare JSON array of the items (the seed guide's Go example decodes that);
- no `list` options: the Go struct `{"data": [...], "meta": {total, limit, offset, count, has_more}}`
  (`has_more` only for current-generation resources; legacy `basePath` ones never had it);
- any other `list` option (`dataField`, `extraFields`, `metaFields`, `hideMeta`): the Go tool's flat map —
  extra fields, the items under `dataField`, and the meta keys at the top level unless `hideMeta`.
  `list.format: "envelope"` alone keeps the default struct (D8 says so; Go never knew the key).

Objects the Go tool builds from maps come out with sorted keys; seed items served verbatim (D2) keep their
own key order through the pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockd.templates.gofmt import format_value

_ITEM_TEMPLATE = re.compile(r"\{\{item\.(\w+)\}\}")
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})", re.ASCII)
_LIST_SHAPE_KEYS = ("dataField", "extraFields", "metaFields", "hideMeta")


def sort_json(value: Any) -> Any:
    """A JSON value with every object's keys sorted, as Go writes values it holds in maps."""
    if isinstance(value, dict):
        return {k: sort_json(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [sort_json(v) for v in value]
    return value


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class Transform:
    """A `response:` block, resolved to what each request needs."""

    rename: tuple[tuple[str, str], ...] = ()
    hide: tuple[str, ...] = ()
    wrap: tuple[tuple[str, str], ...] = ()  # (array field, url template or "")
    timestamps: tuple[str, dict[str, str]] | None = None  # (format, renames)
    inject: tuple[tuple[str, Any], ...] = ()
    list_array: bool = False  # D8
    flat_list: dict[str, Any] | None = None  # the Go `list` options, when any is set
    create_status: int = 201
    delete: tuple[int, dict[str, Any] | None, bool] | None = None  # (status, body template, preserve)
    errors: dict[str, Any] | None = None

    @classmethod
    def parse(cls, cfg: dict[str, Any] | None) -> Transform | None:
        """None when there is no `response:` block (the Go tool's nil config: nothing changes)."""
        if cfg is None:
            return None
        fields = _dict(cfg.get("fields"))
        ts = cfg.get("timestamps")
        lst = cfg.get("list")
        create = _dict(cfg.get("create"))
        delete = cfg.get("delete")
        errors = cfg.get("errors")
        flat = None
        if isinstance(lst, dict) and (not lst or any(lst.get(k) is not None for k in _LIST_SHAPE_KEYS)):
            flat = lst
        return cls(
            rename=tuple(_dict(fields.get("rename")).items()),
            hide=tuple(fields.get("hide") or ()),
            wrap=tuple((f, _dict(w).get("url") or "") for f, w in _dict(fields.get("wrapAsList")).items()),
            timestamps=(ts.get("format") or "", _dict(ts.get("fields"))) if isinstance(ts, dict) else None,
            inject=tuple(_dict(fields.get("inject")).items()),
            list_array=isinstance(lst, dict) and lst.get("format") == "array",
            flat_list=flat,
            create_status=create.get("status") or 201,
            delete=(
                (delete.get("status") or 204, delete.get("body"), bool(delete.get("preserve")))
                if isinstance(delete, dict)
                else None
            ),
            errors=errors if isinstance(errors, dict) else None,
        )

    @property
    def changes_items(self) -> bool:
        return bool(self.rename or self.hide or self.wrap or self.timestamps or self.inject)

    # -- items -----------------------------------------------------------------------------------------

    def item(self, view: dict[str, Any], *, seeded: bool) -> dict[str, Any]:
        """Go's `TransformItem` on a copy of `view` (views are shared, never changed in place)."""
        if not self.changes_items:
            return view
        data = dict(view)
        for old, new in self.rename:
            if old in data:
                value = data[old]
                data[new] = value
                del data[old]  # as Go: renaming a key to itself removes it
        for key in self.hide:
            data.pop(key, None)
        for key, url in self.wrap:
            _wrap_as_list(data, key, url)
        if self.timestamps is not None:
            _timestamps(data, *self.timestamps)
        for key, value in self.inject:
            data[key] = value
        return data if seeded else sort_json(data)

    # -- lists -----------------------------------------------------------------------------------------

    def list_body(self, items: list[dict[str, Any]], meta: dict[str, Any], has_more: bool) -> Any:
        """The list reply around already transformed items (`meta` in Go struct order)."""
        if self.list_array:
            return items
        cfg = self.flat_list
        if cfg is None:
            return {"data": items, "meta": meta}
        out: dict[str, Any] = {}
        for key, value in _dict(cfg.get("extraFields")).items():
            out[key] = has_more if key in ("has_more", "hasMore") else sort_json(value)
        out[cfg.get("dataField") or "data"] = items
        if not cfg.get("hideMeta"):
            names = _dict(cfg.get("metaFields"))
            for key in ("total", "limit", "offset", "count"):
                out[names.get(key) or key] = meta[key]
        return {k: out[k] for k in sorted(out)}

    # -- delete and errors -----------------------------------------------------------------------------

    def delete_reply(self, go_view: Callable[[], dict[str, Any]]) -> tuple[int, Any]:
        """Status and body (None for none) of a delete; `{{item.field}}` filled from the deleted item's Go
        shape (`go_view` is only called when a body template needs it)."""
        if self.delete is None:
            return 204, None
        status, body, _ = self.delete
        if body is None:
            return status, None
        item = go_view()
        out = {}
        for key, value in body.items():
            if isinstance(value, str):
                value = _ITEM_TEMPLATE.sub(
                    lambda m: format_value(item[m[1]]) if m[1] in item else m[0], value
                )
            out[key] = value
        return status, sort_json(out)

    @property
    def preserve_on_delete(self) -> bool:
        return self.delete is not None and self.delete[2]

    def error_body(self, code: str, message: str, resource: str, item_id: str) -> dict[str, Any] | None:
        """Go's `TransformError`: the configured error shape, or None to keep the default body."""
        et = self.errors
        if et is None:
            return None
        values = {"message": message, "resource": resource, "id": item_id, "field": ""}
        type_map, code_map = _dict(et.get("typeMap")), _dict(et.get("codeMap"))
        if code in type_map:
            values["type"] = type_map[code]
        if code in code_map:
            values["code"] = code_map[code]
        out: dict[str, Any] = {}
        mapping = _dict(et.get("fields"))
        if mapping:
            for source, name in mapping.items():
                if values.get(source):
                    out[name] = values[source]
        else:
            out = {k: v for k, v in values.items() if v and k in ("message", "resource", "id", "field")}
        out.update(_dict(et.get("inject")))
        wrap = et.get("wrap")
        return sort_json({wrap: out} if wrap else out)


IDENTITY = Transform()  # no `response:` block: every step is a no-op and lists keep the Go envelope


def _wrap_as_list(data: dict[str, Any], key: str, url: str) -> None:
    value = data.get(key)
    if not isinstance(value, list):
        return
    envelope: dict[str, Any] = {"data": value, "has_more": False, "object": "list"}
    if url:
        for name, field in data.items():
            if isinstance(field, str):
                url = url.replace("{{" + name + "}}", field)
        envelope["url"] = url
    data[key] = envelope


def _timestamps(data: dict[str, Any], fmt: str, renames: dict[str, str]) -> None:
    """Stamps converted and renamed. A stamp renamed onto a field the item has of its own (a seed item's
    `created: 1705312200`) is dropped, not written over it: the Go tool overwrites it, so the seed's value
    showed until the first PATCH and the time of the PATCH after it."""
    for name in ("createdAt", "updatedAt"):
        if name not in data:
            continue
        value = data[name]
        out = renames.get(name) or name
        if out != name and out in data:
            del data[name]
            continue
        if fmt == "none":
            del data[name]
            continue
        if fmt == "unix":
            data[out] = _convert(value, lambda t: int(t.timestamp() // 1))
        elif fmt == "iso8601":
            data[out] = _convert(value, _rfc3339_seconds)
        elif out != name:
            data[out] = value
        if out != name:
            del data[name]


def _convert(value: Any, fn: Any) -> Any:
    """A stamp in another format; anything that is not an RFC 3339 string is left as it is (as Go)."""
    if not isinstance(value, str) or not _RFC3339.fullmatch(value):
        return value
    try:
        return fn(datetime.fromisoformat(value))
    except ValueError:
        return value


def _rfc3339_seconds(t: datetime) -> str:
    text = t.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
