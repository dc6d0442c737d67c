"""Reading one config file into data plus positions, following the Go loader's steps (reference §2.1 1-6).

1. the file must exist, be a regular file, be readable and non-empty (Go's messages; devices, FIFOs and
   sockets are refused before they are opened for reading, where the Go tool would read or block for ever);
2. `$VAR` expansion over the raw text, Go `os.ExpandEnv` rules (`envexpand`);
3. YAML for `.yaml`/`.yml` (any case), JSON for every other name;
4. YAML only: `2026-02-25 18:36:41+00:00` style timestamps get a `T` before parsing, anywhere in the text;
5. parse, keeping positions (`jsonscan`, `yamlscan`);
6. a file with no mocks but a top-level `endpoints` key is the old NativeV1 export format: refused.

Every failure is a `Diagnostic`; `load_file` raises `ConfigError` with them.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from mockd.compiler.decode.envexpand import expand_env
from mockd.compiler.errors import ConfigError, Diagnostic
from mockd.gocompat import jsonscan, yamlscan
from mockd.gocompat.positions import PosTree

Format = Literal["json", "yaml"]

_YAML_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?[+-]\d{2}:\d{2})", re.ASCII)
_NATIVE_V1 = (
    "file appears to be in NativeV1 export format: this file uses the 'endpoints' key (NativeV1 format) "
    "instead of 'mocks'. Use 'mockd import <file>' to load it, or re-export with 'mockd export' which now "
    "outputs the correct format"
)


@dataclass
class Document:
    """One parsed config file: its data and where each value is."""

    path: str  # as given by the caller (used in messages and in the plan)
    format: Format
    data: Any
    positions: PosTree


def format_for(path: str) -> Format:
    """YAML by extension (`.yaml`, `.yml`, any case), JSON for everything else — as the Go loader decides."""
    return "yaml" if os.path.splitext(path)[1].lower() in (".yaml", ".yml") else "json"


def read_config_text(path: str) -> bytes:
    """The file's bytes, or a `ConfigError` with the Go loader's message for each way it can be unusable."""

    def fail(message: str, slug: str) -> ConfigError:
        return ConfigError([Diagnostic(message, slug, file=path)])

    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise fail(f"configuration file not found: {path}", "file_not_found") from None
    except PermissionError:
        raise fail(f"permission denied: {path}", "permission_denied") from None
    except OSError as exc:
        raise fail(f"failed to stat file: {exc.strerror or exc}", "file_unreadable") from None
    if stat.S_ISDIR(info.st_mode):
        raise fail(f"path is a directory, not a file: {path}", "path_is_directory")
    if not stat.S_ISREG(info.st_mode):
        raise fail(_not_regular(path), "not_regular_file")
    try:
        # O_NONBLOCK: a FIFO swapped in after the stat must not block the open; fstat then checks what opened.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except PermissionError:
        raise fail(f"permission denied: {path}", "permission_denied") from None
    except OSError as exc:
        raise fail(f"failed to read file: {exc.strerror or exc}", "file_unreadable") from None
    try:
        with open(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise fail(_not_regular(path), "not_regular_file")
            raw = f.read()
    except OSError as exc:
        raise fail(f"failed to read file: {exc.strerror or exc}", "file_unreadable") from None
    if not raw:
        raise fail(f"configuration file is empty: {path}", "empty_file")
    return raw


def _not_regular(path: str) -> str:
    # A device (/dev/zero) would be read until memory runs out and a FIFO would block for ever.
    return f"not a regular file: {path} (config files must be regular files, not devices, pipes or sockets)"


def parse_text(
    raw: bytes,
    path: str,
    fmt: Format,
    *,
    env: Callable[[str], str | None] | Mapping[str, str] | None = None,
) -> Document:
    """Steps 2-6 on bytes already read: expand, parse with positions, check for the NativeV1 format."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if fmt == "yaml":  # yaml.v3 refuses invalid UTF-8 as well
            line, column = _byte_line_col(raw, exc.start)
            message = f"invalid YAML syntax: invalid UTF-8 at byte {exc.start}"
            raise ConfigError([Diagnostic(message, "invalid_yaml", path, line, column)]) from None
        text = raw.decode("utf-8", "replace")  # Go's JSON decoder substitutes U+FFFD too
    text = expand_env(text, env)
    if fmt == "yaml":
        return _parse_yaml(_YAML_TIMESTAMP.sub(r"\1T\2", text), path)
    return _parse_json(text, path)


def _byte_line_col(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of byte `offset`; its line before it is valid UTF-8."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def _parse_json(text: str, path: str) -> Document:
    try:
        data, positions = jsonscan.scan(text)
    except jsonscan.JsonSyntaxError as exc:
        raise ConfigError(
            [Diagnostic(f"invalid JSON syntax: {exc.message}", "invalid_json", path, exc.line, exc.column)]
        ) from None
    doc = Document(path, "json", data, positions)
    _check_native_v1(doc)
    return doc


def _parse_yaml(text: str, path: str) -> Document:
    try:
        data, positions, issues = yamlscan.scan(text)
    except yamlscan.YamlSyntaxError as exc:
        raise ConfigError(
            [Diagnostic(f"invalid YAML syntax: {exc.problem}", "invalid_yaml", path, exc.line, exc.column)]
        ) from None
    if issues:
        errors = []
        for issue in issues:
            where = positions.line_col(issue.offset)
            errors.append(Diagnostic(f"invalid YAML syntax: {issue.message}", "invalid_yaml", path, *where))
        raise ConfigError(errors)
    doc = Document(path, "yaml", data, positions)
    _check_native_v1(doc)
    return doc


def _check_native_v1(doc: Document) -> None:
    """Go: no mocks after decoding and an `endpoints` key at the top (JSON: the object has the key, exactly
    spelt; YAML: an unindented line starting `endpoints:`)."""
    data = doc.data
    if not isinstance(data, dict):
        return
    mocks = data.get("mocks")
    if doc.format == "json":  # Go's JSON decoder matches `Mocks`, `MOCKS`, ... too (last one wins)
        mocks = next((v for k, v in reversed(data.items()) if k.casefold() == "mocks"), None)
    if isinstance(mocks, list) and mocks:
        return
    if doc.format == "json":
        found = "endpoints" in data
    else:
        found = any(
            line.lstrip().startswith("endpoints:") and line[:1] not in (" ", "\t")
            for line in doc.positions.text.split("\n")
        )
    if found:
        where = doc.positions.where(("endpoints",), at_key=True)
        line, column = (where.line, where.column) if where else (None, None)
        raise ConfigError([Diagnostic(_NATIVE_V1, "native_v1_format", doc.path, line, column)])


def load_file(path: str | os.PathLike[str], *, env: Mapping[str, str] | None = None) -> Document:
    """Read, expand and parse one config file (reference §2.1 steps 1-6)."""
    name = os.fspath(path)
    return parse_text(read_config_text(name), name, format_for(name), env=env)
