"""The config key `imports:` (imports-exports §1): read, detect, convert, namespace.

Messages follow the Go tool's (`import <ref>: ...`) with more said where it helps: the JSON pointer of a
bad value, the formats that exist.
"""

from __future__ import annotations

import os
import urllib.parse

from mockd.imports.errors import ImportFailure
from mockd.imports.fetch import fetch
from mockd.imports.formats import detect_format, parse_format
from mockd.imports.model import Converted, Source
from mockd.imports.registry import converter, importable


def load_import(
    *,
    path: str = "",
    url: str = "",
    as_: str = "",
    fmt: str = "",
    base_dir: str = "",
    seed: int = 0,
    example: str = "",
    validate: bool = False,
    prefix: str = "",
) -> Converted:
    """One `imports[]` entry, converted. `path` is joined to `base_dir` (the config file's directory)."""
    ref = path or url
    if not ref:
        raise ImportFailure("import : import entry must have 'path' or 'url'", slug="import_missing_source")
    if path:
        full = path if os.path.isabs(path) else os.path.join(base_dir, path)
        data = _read(full, path)
        name = os.path.basename(path)
    else:
        full = ""
        data = fetch(url)
        name = urllib.parse.urlsplit(url).path.rsplit("/", 1)[
            -1
        ]  # Go keeps `?raw=1`, which defeats detection
    origin = "" if path else url
    source = Source(data, path or url, full, origin, seed=seed, example=example, validate=validate)
    result = convert_source(source, fmt=fmt, detect_name=name, ref=ref, namespace=as_)
    if prefix:
        _add_prefix(result, "/" + prefix.strip("/"))
    return result


def _add_prefix(result: Converted, prefix: str) -> None:
    """Ours: `prefix: /v1` puts every imported HTTP path under /v1 (an OpenAPI `servers` path, which the Go
    tool ignores); `extend` then names the prefixed path."""
    for mock in result.mocks:
        matcher = (mock.get("http") or {}).get("matcher")
        if isinstance(matcher, dict) and isinstance(matcher.get("path"), str) and matcher["path"]:
            matcher["path"] = prefix + matcher["path"]
    contract = result.contract
    if contract is not None:
        result.contract = lambda method, path: (
            contract(method, path[len(prefix) :]) if path.startswith(prefix + "/") else None
        )


def convert_source(
    source: Source, *, fmt: str = "", detect_name: str = "", ref: str = "", namespace: str = ""
) -> Converted:
    """Detect (unless `fmt` names the format), convert, and prefix operationIds with `namespace.`."""
    ref = ref or source.name
    if fmt:
        chosen = parse_format(fmt)
        if chosen is None:
            raise ImportFailure(f'import {ref}: unknown format "{fmt}"', slug="import_unknown_format")
    else:
        chosen = detect_format(source.data, detect_name or source.name)
        if chosen is None:
            raise ImportFailure(
                f"import {ref}: could not detect format (expected one of: {', '.join(importable())}; "
                "set format: to force one)",
                slug="import_undetected",
            )
    convert = converter(chosen)
    if convert is None:
        raise ImportFailure(
            f"import {ref}: the {chosen} format is not supported by mockd yet",
            slug="import_unsupported_format",
        )
    try:
        result = convert(source)
    except ImportFailure:
        raise
    except (TypeError, AttributeError, KeyError, IndexError, ValueError) as exc:
        # A value of another JSON type than the format has there: the converters read the common shapes
        # and leave the rest to this net, so a malformed file is one clear error, never a traceback.
        raise ImportFailure(
            f"{chosen}: the file does not have the structure of a {chosen} file ({exc})",
            file=source.name,
            slug="import_failed",
        ) from None
    if namespace:
        for mock in result.mocks:
            op = mock.get("operationId")
            if isinstance(op, str) and op:
                mock["operationId"] = f"{namespace}.{op}"
    return result


def _read(full: str, written: str) -> bytes:
    try:
        with open(full, "rb") as f:
            return f.read()
    except FileNotFoundError:
        message = f"import {written}: read file {full}: open {full}: no such file or directory"
    except IsADirectoryError:
        message = f"import {written}: read file {full}: is a directory"
    except OSError as exc:
        message = f"import {written}: read file {full}: {exc.strerror or exc}"
    raise ImportFailure(message, slug="import_file_not_found")
