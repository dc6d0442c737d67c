"""Reading an imported file into plain data, and writing bodies the way the Go importers write them.

Specs can be megabytes, so they are parsed with the fast parsers (the extension's YAML loader, which gives
PyYAML's result and leaves anything unusual to it, then the C YAML loader; `json`); positions are
only needed for an error, which names the JSON pointer instead. YAML is read without timestamp resolution
(a date in an example stays the text it was) and every mapping key becomes a string (`200:` is `"200"`), as
Go's typed decoder reads them.
"""

from __future__ import annotations

import json
from typing import Any

import yaml  # type: ignore[import-untyped]

from mockd.gocompat import gojson
from mockd.gocompat.yamlfast import load_fast
from mockd.imports.errors import ImportFailure


class _Loader(yaml.CSafeLoader):  # type: ignore[misc, name-defined]
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


_MAX_NODES = (
    5_000_000  # after YAML aliases are expanded: far above any real spec, far below a "billion laughs"
)


class _TooLarge(Exception):
    pass


def _string_keys(value: Any) -> Any:
    """Every mapping key as a string, and the document copied out of YAML's shared alias structure, with a
    bound on the expanded size (an alias bomb is an error, not a hung server)."""
    budget = [_MAX_NODES]

    def walk(v: Any) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooLarge("document too large once YAML aliases are expanded")
        if isinstance(v, dict):
            return {_key(k): walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return walk(value)


def _key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return key if isinstance(key, str) else str(key)


def parse_document(data: bytes, filename: str, fmt: str) -> Any:
    """JSON when the text starts with `{` or `[`, else YAML; `ImportFailure` with the parser's position."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailure(f"{fmt}: file is not UTF-8 (byte {exc.start})", file=filename) from None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFailure(
                f"{fmt}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=filename
            ) from None
    fast = load_fast(text, _MAX_NODES)
    if fast is not None:
        return fast
    try:
        return _string_keys(yaml.load(text, Loader=_Loader))
    except _TooLarge as exc:
        raise ImportFailure(f"{fmt}: {exc}", file=filename) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ImportFailure(f"{fmt}: invalid YAML{where}: {problem}", file=filename) from None


def pretty(value: Any) -> str:
    """Go's `json.MarshalIndent(v, "", "  ")`: sorted keys, HTML-escaped, Go's number spelling.

    orjson writes it when its compact form is already Go's (the check `gojson.marshal` makes: no float or
    integer it spells differently), with the same byte-exact escapes; otherwise the exact encoder and
    `indent`. Stripe's 594 generated bodies took 0.5 s through `indent` alone."""
    fast = gojson.marshal_indent_fast(value)
    if fast is not None:
        return fast
    return indent(gojson.marshal_text(value, sort_keys=True))


def indent(compact: str) -> str:
    """Go's `json.Indent` with a two-space step over compact JSON text (`{}` and `[]` stay as they are)."""
    out: list[str] = []
    depth = 0
    in_string = escaped = False
    need_newline = False
    for ch in compact:
        if in_string:
            out.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if need_newline and ch not in "]}":
            out.append("\n" + "  " * depth)
        need_newline = False
        if ch == '"':
            in_string = True
            out.append(ch)
        elif ch in "[{":
            depth += 1
            out.append(ch)
            need_newline = True
        elif ch in "]}":
            depth -= 1
            if out and out[-1] in "[{":
                out.append(ch)
            else:
                out.append("\n" + "  " * depth + ch)
        elif ch == ",":
            out.append(",\n" + "  " * depth)
        elif ch == ":":
            out.append(": ")
        else:
            out.append(ch)
    return "".join(out)
