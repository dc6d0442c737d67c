"""YAML documents decoded as the Go tool's YAML library (gopkg.in/yaml.v3) decodes them, with positions.

PyYAML implements YAML 1.1, where `yes`, `on`, `0o17`, `1:30` and `2024-01-15` mean other things than they do
for the Go tool. Users' files were written against the Go tool, so we only let PyYAML *compose* the node tree
(C loader when available; start marks give line and column) and resolve plain scalars ourselves with yaml.v3's
rules:

- `null`/`Null`/`NULL`/`~`/empty -> null; `true`/`True`/`TRUE`, `false`/... -> bool (not `yes`/`on`);
- integers as Go's `strconv.ParseInt(s, 0, 64)` reads them after removing `_` (so `0x1F`, `0o17`, `0b11`
  and the YAML 1.1 octal `017`), then unsigned 64-bit, then floats of the form `[-+]?(.5|1|1.|1.5)(e±N)?`,
  `.inf`/`.nan` spellings;
- timestamps (`2024-01-15`, `2024-01-15T10:00:00Z`, `2024-01-15 10:00:00`) become time values, which the Go
  tool later prints as RFC 3339 with nanoseconds (`"2024-01-15T00:00:00Z"`); we store that string directly;
- anything else is a string. Quoted and block scalars are always strings.

Duplicate keys in one mapping are an error (as in yaml.v3: `mapping key "x" already defined at line N`);
`<<` merge keys are honoured (explicit keys win over merged ones, earlier merged maps over later ones).

Untrusted text is bounded before it is expanded: alias expansion by go-yaml's ratio (`yamlbudget`), nesting
depth by `MAX_DEPTH` (libyaml stops at 1000 levels, and our recursive conversion needs two frames a level).
"""

from __future__ import annotations

import base64
import binascii
import calendar
import math
import re
from dataclasses import dataclass
from typing import Any

import yaml  # type: ignore[import-untyped]  # no stubs installed; we only compose nodes
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode  # type: ignore[import-untyped]

from mockd.gocompat import yamlbudget
from mockd.gocompat.positions import LineIndex, PosNode, PosTree

try:  # libyaml is an order of magnitude faster on large files; the pure-Python loader is the fallback
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

PLAIN_TAG = "!mockd-plain"  # marks a plain (unquoted, untagged) scalar so we resolve it ourselves
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TAG_PREFIX = "tag:yaml.org,2002:"
# The same bound as `jsonscan`'s: deep enough for any config, shallow enough for recursive code after us.
MAX_DEPTH = 300


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Composes nodes only; plain scalars keep a marker tag instead of PyYAML's YAML 1.1 guess."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        # Called by the composer for every untagged node: answer directly (PyYAML's resolver would try its
        # YAML 1.1 regexes first), since we resolve plain scalars ourselves.
        if kind is ScalarNode:
            return PLAIN_TAG if implicit[0] else _STR
        return _MAP if kind is MappingNode else _SEQ


@dataclass(frozen=True, slots=True)
class YamlIssue:
    """A problem found while decoding (not a syntax error): where, and Go's wording."""

    message: str
    offset: int


class YamlSyntaxError(ValueError):
    def __init__(self, problem: str, line: int | None, column: int | None) -> None:
        self.problem = problem
        self.line = line
        self.column = column
        super().__init__(problem)


# ---------------------------------------------------------------------------------------------- scalars

_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_SPECIAL: dict[str, Any] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
    ".inf": math.inf,
    ".Inf": math.inf,
    ".INF": math.inf,
    "+.inf": math.inf,
    "+.Inf": math.inf,
    "+.INF": math.inf,
    "-.inf": -math.inf,
    "-.Inf": -math.inf,
    "-.INF": -math.inf,
}
_INT64 = (-(1 << 63), (1 << 63) - 1)
_UINT64_MAX = (1 << 64) - 1
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?P<sep>[Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](?P<frac>\d+))?(?P<tz>Z|[+-]\d{2}:\d{2})?)?\Z",
    re.ASCII,
)


def _go_parse_int(text: str, lo: int, hi: int) -> int | None:
    """Go's `strconv.ParseInt(text, 0, 64)` / `ParseUint`: base prefixes and a leading-0 octal, no spaces."""
    sign = 1
    body = text
    if body[:1] in ("+", "-"):
        if body[0] == "-":
            sign = -1
        body = body[1:]
    if not body:
        return None
    base = 10
    lower = body.lower()
    if lower.startswith("0x"):
        base, body = 16, body[2:]
    elif lower.startswith("0o"):
        base, body = 8, body[2:]
    elif lower.startswith("0b"):
        base, body = 2, body[2:]
    elif len(body) > 1 and body[0] == "0":
        base, body = 8, body[1:]
    if not body or not body.isascii() or not body.isalnum():
        return None
    try:
        value = sign * int(body, base)
    except ValueError:
        return None
    return value if lo <= value <= hi else None


def _timestamp(text: str) -> str | None:
    """yaml.v3's accepted timestamp forms, rendered as Go's `time.Time` JSON (RFC 3339, nanoseconds)."""
    m = _TIMESTAMP.match(text)
    if m is None:
        return None
    sep, tz = m.group("sep"), m.group("tz")
    if sep is not None and (sep == " ") == (tz is not None):
        return None  # "T" needs a zone, " " must not have one (the loader already rewrote " ...+hh:mm")
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(max(year, 1), month)[1]:
        return None
    out = f"{year:04d}-{month:02d}-{day:02d}T"
    if sep is None:
        return out + "00:00:00Z"
    hour, minute, second = int(m.group(5)), int(m.group(6)), int(m.group(7))
    if hour > 23 or minute > 59 or second > 59:
        return None
    out += f"{hour:02d}:{minute:02d}:{second:02d}"
    frac = (m.group("frac") or "")[:9].rstrip("0")
    if frac:
        out += "." + frac
    if tz is None or tz in ("Z", "+00:00", "-00:00"):
        return out + "Z"
    if int(tz[1:3]) > 23 or int(tz[4:6]) > 59:
        return None
    return out + tz


def resolve_plain(text: str) -> Any:
    """The value of a plain scalar, as yaml.v3's `resolve("", text)` decides it."""
    if text in _SPECIAL:
        return _SPECIAL[text]
    first = text[0]
    if first == ".":
        if "_" in text:  # Python's float() allows digit separators, Go's ParseFloat does not here
            return text
        try:
            return float(text)
        except ValueError:
            return text
    if first in "+-" or (first.isdigit() and first.isascii()):
        stamp = _timestamp(text)
        if stamp is not None:
            return stamp
        plain = text.replace("_", "")
        value = _go_parse_int(plain, *_INT64)
        if value is None:
            value = _go_parse_int(plain, 0, _UINT64_MAX)
        if value is not None:
            return value
        if _FLOAT.match(plain):
            number = float(plain)
            # Go's ParseFloat fails on overflow, and yaml.v3 then keeps the scalar as a string
            return text if math.isinf(number) else number
    return text


def _tagged(tag: str, text: str) -> tuple[Any, str | None]:
    """A scalar with an explicit tag; returns (value, error message or None)."""
    short = "!!" + tag[len(_TAG_PREFIX) :] if tag.startswith(_TAG_PREFIX) else tag
    if short == "!!str":
        return text, None
    if short == "!!binary":
        try:
            return base64.b64decode(text, validate=False).decode("utf-8", "replace"), None
        except (binascii.Error, ValueError):
            return text, "!!binary value contains invalid base64 data"
    if short not in ("!!int", "!!float", "!!bool", "!!null", "!!timestamp"):
        return text, None  # an application tag: yaml.v3 hands over the text
    value = resolve_plain(text)
    kind = _kind(value, text)
    if kind == short or (short == "!!float" and kind == "!!int"):
        return (float(value) if short == "!!float" else value), None
    return text, f"cannot decode {kind} `{text}` as a {short}"


def _kind(value: Any, text: str) -> str:
    if value is None:
        return "!!null"
    if isinstance(value, bool):
        return "!!bool"
    if isinstance(value, int):
        return "!!int"
    if isinstance(value, float):
        return "!!float"
    if isinstance(value, str) and value != text:
        return "!!timestamp"
    return "!!str"


# ---------------------------------------------------------------------------------------------- nodes


class _Converter:
    def __init__(self, text: str) -> None:
        self.index = LineIndex(text)
        self.issues: list[YamlIssue] = []
        self.depth = 0

    def offset(self, mark: Any) -> int:
        return self.index.offset(mark.line, mark.column)

    def convert(self, node: Node) -> tuple[Any, PosNode]:
        pos = PosNode(self.offset(node.start_mark), self.offset(node.end_mark))
        if isinstance(node, ScalarNode):
            return self.scalar(node, pos), pos
        if self.depth >= MAX_DEPTH:  # an exception ends the conversion, so the count needs no unwinding
            mark = node.start_mark
            raise YamlSyntaxError(f"exceeded max depth of {MAX_DEPTH}", mark.line + 1, mark.column + 1)
        self.depth += 1
        value: Any
        if isinstance(node, SequenceNode):
            items: list[Any] = []
            children: list[PosNode] = []
            for item in node.value:
                value, child = self.convert(item)
                items.append(value)
                children.append(child)
            pos.children = children
            value = items
        else:
            assert isinstance(node, MappingNode)
            value = self.mapping(node, pos)
        self.depth -= 1
        return value, pos

    def scalar(self, node: ScalarNode, pos: PosNode) -> Any:
        if node.tag == PLAIN_TAG:
            value = resolve_plain(node.value)
        elif node.tag == _STR:
            return node.value
        else:
            value, problem = _tagged(node.tag, node.value)
            if problem:
                self.issues.append(YamlIssue(problem, pos.start))
        if not isinstance(value, str) or value != node.value:
            pos.text = node.value
        return value

    def mapping(self, node: MappingNode, pos: PosNode) -> dict[str, Any]:
        out: dict[str, Any] = {}
        children: dict[str, PosNode] = {}
        seen_line: dict[str, int] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == PLAIN_TAG and key_node.value == "<<":
                merges.append(value_node)
                continue
            key = key_node.value if isinstance(key_node, ScalarNode) else self.complex_key(key_node)
            line = key_node.start_mark.line + 1
            if key in seen_line:
                self.issues.append(
                    YamlIssue(
                        f'mapping key "{key}" already defined at line {seen_line[key]}',
                        self.offset(key_node.start_mark),
                    )
                )
            seen_line[key] = line
            value, child = self.convert(value_node)
            child.key_start = self.offset(key_node.start_mark)
            out[key] = value
            children.pop(key, None)
            children[key] = child
        for merge in merges:
            sources = merge.value if isinstance(merge, SequenceNode) else [merge]
            for source in sources:
                if not isinstance(source, MappingNode):
                    self.issues.append(
                        YamlIssue(
                            "map merge requires map or sequence of maps as the value",
                            self.offset(source.start_mark),
                        )
                    )
                    continue
                merged, merged_pos = self.convert(source)
                assert isinstance(merged_pos.children, dict)
                for key, value in merged.items():
                    if key not in out:
                        out[key] = value
                        children[key] = merged_pos.children[key]
        pos.children = children
        return out

    def complex_key(self, node: Node) -> str:
        self.issues.append(YamlIssue("mapping keys must be scalars", self.offset(node.start_mark)))
        return f"<{node.id} key at line {node.start_mark.line + 1}>"


def _char_offset(text: str, position: int) -> int:
    """libyaml reports a reader error's position in UTF-8 bytes; our positions are characters."""
    if _BaseLoader is not yaml.CSafeLoader or text.isascii():  # pragma: no branch - the C loader is used
        return position
    return len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))


def scan(text: str) -> tuple[Any, PosTree, list[YamlIssue]]:
    """Decode the first YAML document of `text` (yaml.v3 ignores the rest); data, positions, issues."""
    loader = _Loader(text)
    try:
        node = loader.get_node() if loader.check_node() else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed document"
        raise YamlSyntaxError(
            problem, mark.line + 1 if mark else None, mark.column + 1 if mark else None
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (yaml.v3 refuses it too)
        line, column = LineIndex(text).line_col(_char_offset(text, exc.position))
        raise YamlSyntaxError(exc.reason, line, column) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc), None, None) from None
    finally:
        loader.dispose()
    if node is None:
        return None, PosTree(None, text), []
    if yamlbudget.may_have_aliases(text):
        problem = yamlbudget.check(text)
        if problem is not None:
            raise YamlSyntaxError(problem.message, problem.line + 1, problem.column + 1)
    converter = _Converter(text)
    data, root = converter.convert(node)
    return data, PosTree(root, text), converter.issues
