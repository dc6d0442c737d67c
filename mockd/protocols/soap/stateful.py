"""SOAP operations bound to stateful tables (`statefulBinding`, protocols-reference §5.3).

The request data is the operation element's children (a leaf is its text, a nested element a map, a
repeated name a list); the table action runs through `ServeEnv.tables`; the result is written back as
XML: an item as `<{singular}Response>`, a list as `<{table}Response>` with one `<{singular}>` per item and
a `<meta>`, anything else as `<{table}Response><success>true</success></{table}Response>`. `custom`
uses the operation name where the others use the table name. Fields are sorted and escaped.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from mockd.templates.gofmt import format_value


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def element_data(element: Any) -> dict[str, Any]:
    """The children of `element` as a map (leaf -> text, nested -> map, repeated -> list)."""
    out: dict[str, Any] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = _local(child.tag)
        value: Any = element_data(child) if len(child) else (child.text or "").strip()
        if name in out:
            if not isinstance(out[name], list):
                out[name] = [out[name]]
            out[name].append(value)
        else:
            out[name] = value
    return out


def singular(name: str) -> str:
    if name.endswith("ses"):
        return name[:-2]
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def _fields(view: Any) -> str:
    if not isinstance(view, dict):
        return escape(format_value(view))
    parts = []
    for key in sorted(view):
        value = view[key]
        inner = _fields(value) if isinstance(value, dict) else escape(format_value(value))
        parts.append(f"<{key}>{inner}</{key}>")
    return "".join(parts)


def render(kind: str, value: Any, name: str) -> str:
    """The Body content for one table result; `name` is the table (or the operation, for `custom`)."""
    one = singular(name)
    if kind == "item":
        return f"<{one}Response>{_fields(value)}</{one}Response>"
    if kind == "list":
        views, meta = value
        items = "".join(f"<{one}>{_fields(v)}</{one}>" for v in views)
        m = "".join(f"<{k}>{meta[k]}</{k}>" for k in ("total", "count", "offset", "limit"))
        return f"<{name}Response>{items}<meta>{m}</meta></{name}Response>"
    return f"<{name}Response><success>true</success></{name}Response>"
