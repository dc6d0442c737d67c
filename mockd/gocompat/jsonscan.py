"""A JSON parser that also records where every value is, and keeps the raw text of each value reachable.

Why not `json.loads`: the Go tool serves a non-string JSON `body` as its *original source text* (spacing and
key order kept, reference §2.4), and every diagnostic needs a line and column. So this scanner returns the
same data as `json.loads` plus a `PosTree` of offsets.

It follows Go's `encoding/json` grammar (RFC 8259: no NaN/Infinity, no comments, no trailing commas, no
leading zeros, no raw control characters in strings) and Go's decoding choices: a later duplicate key wins,
an unpaired UTF-16 surrogate escape becomes U+FFFD. Syntax errors carry Go's wording ("invalid character 'x'
after object key:value pair") plus the position.
"""

from __future__ import annotations

import re
from typing import Any

from mockd.gocompat.positions import LineIndex, PosNode, PosTree

_WS = re.compile(r"[ \t\n\r]*")
_PLAIN = re.compile(r'[^"\\\x00-\x1f]*')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
# Go refuses nesting deeper than 10000; we stop earlier so the recursive descent stays well inside Python's
# default recursion limit (two frames per level). No config or admin body comes near this.
_MAX_DEPTH = 300
_MAX_INT_DIGITS = 4300  # sys.int_info.default_max_str_digits


class JsonSyntaxError(ValueError):
    """Malformed JSON: Go's message plus where it went wrong (1-based line and column)."""

    def __init__(self, message: str, offset: int, text: str) -> None:
        self.message = message
        self.offset = offset
        self.line, self.column = LineIndex(text).line_col(offset)
        super().__init__(f"{message} (line {self.line}, column {self.column})")


def _quote_char(c: str) -> str:
    """Go's `quoteChar`: the offending character in single quotes, escaped when unprintable."""
    if c == "'":
        return "'\\''"
    if c == '"':
        return "'\"'"
    if c.isprintable():
        return f"'{c}'"
    return "'" + c.encode("unicode_escape").decode("ascii") + "'"


class _Scanner:
    __slots__ = ("depth", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.depth = 0

    def fail(self, i: int, context: str) -> JsonSyntaxError:
        if i >= len(self.text):
            return JsonSyntaxError("unexpected end of JSON input", len(self.text), self.text)
        return JsonSyntaxError(f"invalid character {_quote_char(self.text[i])} {context}", i, self.text)

    def value(self, i: int) -> tuple[Any, PosNode, int]:
        """Parse the value starting at `i` (no leading whitespace); return it, its node and its end."""
        s = self.text
        if i >= len(s):
            raise self.fail(i, "looking for beginning of value")
        c = s[i]
        if c == '"':
            text, end = self.string(i)
            return text, PosNode(i, end), end
        if c == "{":
            return self.object(i)
        if c == "[":
            return self.array(i)
        if c == "t" and s.startswith("true", i):
            return True, PosNode(i, i + 4), i + 4
        if c == "f" and s.startswith("false", i):
            return False, PosNode(i, i + 5), i + 5
        if c == "n" and s.startswith("null", i):
            return None, PosNode(i, i + 4), i + 4
        if c == "-" or "0" <= c <= "9":
            m = _NUMBER.match(s, i)
            if m is None:  # a lone "-"
                raise self.fail(i + 1, "in numeric literal")
            end = m.end()
            nxt = s[end] if end < len(s) else ""
            if nxt == "." and not m.group(1) and not m.group(2):
                raise self.fail(end + 1, "after decimal point in numeric literal")
            if nxt in ("e", "E") and nxt and not m.group(2):
                k = end + 2 if s[end + 1 : end + 2] in ("+", "-") else end + 1
                raise self.fail(k, "in exponent of numeric literal")
            number: Any
            if m.group(1) or m.group(2) or end - i > _MAX_INT_DIGITS:
                # Python refuses to convert ints past 4300 digits (CVE-2020-10735); no Go int holds one,
                # so as a float (inf) it is refused as out of range by whatever field it lands in.
                number = float(m.group())
            else:
                number = int(m.group())
            return number, PosNode(i, end), end
        if c in "tfn":  # a misspelt literal: Go reports the first wrong character
            word = {"t": "true", "f": "false", "n": "null"}[c]
            k = 0
            while i + k < len(s) and k < len(word) and s[i + k] == word[k]:
                k += 1
            raise self.fail(i + k, "in literal " + word + " (expecting " + _quote_char(word[k]) + ")")
        raise self.fail(i, "looking for beginning of value")

    def string(self, i: int) -> tuple[str, int]:
        """Parse the string literal whose opening quote is at `i`; return its value and end offset."""
        s = self.text
        j = _PLAIN.match(s, i + 1).end()  # type: ignore[union-attr]
        if j < len(s) and s[j] == '"':
            return s[i + 1 : j], j + 1
        parts = [s[i + 1 : j]]
        while True:
            if j >= len(s):
                raise self.fail(j, "in string literal")
            c = s[j]
            if c == '"':
                return "".join(parts), j + 1
            if c == "\\":
                j = self.escape(j, parts)
            else:  # a raw control character
                raise self.fail(j, "in string literal")
            k = _PLAIN.match(s, j).end()  # type: ignore[union-attr]
            parts.append(s[j:k])
            j = k

    def escape(self, j: int, parts: list[str]) -> int:
        s = self.text
        code = s[j + 1] if j + 1 < len(s) else ""
        if code in _ESCAPES:
            parts.append(_ESCAPES[code])
            return j + 2
        if code != "u":
            raise self.fail(j + 1, "in string escape code")
        unit = self.hex4(j + 2)
        end = j + 6
        if 0xD800 <= unit < 0xDC00 and s.startswith("\\u", end):
            low = self.hex4(end + 2)
            if 0xDC00 <= low < 0xE000:
                parts.append(chr(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)))
                return end + 6
        parts.append("\ufffd" if 0xD800 <= unit < 0xE000 else chr(unit))
        return end

    def hex4(self, k: int) -> int:
        m = _HEX4.match(self.text, k)
        if m is None:
            bad = k
            while bad < len(self.text) and self.text[bad] in "0123456789abcdefABCDEF":
                bad += 1
            raise self.fail(bad, "in \\u hexadecimal character escape")
        return int(m.group(), 16)

    def object(self, i: int) -> tuple[dict[str, Any], PosNode, int]:
        s = self.text
        self.enter(i)
        out: dict[str, Any] = {}
        children: dict[str, PosNode] = {}
        node = PosNode(i, i)
        node.children = children
        j = _WS.match(s, i + 1).end()  # type: ignore[union-attr]
        if j < len(s) and s[j] == "}":
            node.end = j + 1
            self.depth -= 1
            return out, node, j + 1
        while True:
            if j >= len(s) or s[j] != '"':
                raise self.fail(j, "looking for beginning of object key string")
            key_start = j
            key, j = self.string(j)
            j = _WS.match(s, j).end()  # type: ignore[union-attr]
            if j >= len(s) or s[j] != ":":
                raise self.fail(j, "after object key")
            j = _WS.match(s, j + 1).end()  # type: ignore[union-attr]
            value, child, j = self.value(j)
            child.key_start = key_start
            out[key] = value
            children.pop(key, None)  # a later duplicate wins, and its position is the one kept
            children[key] = child
            j = _WS.match(s, j).end()  # type: ignore[union-attr]
            if j < len(s) and s[j] == ",":
                j = _WS.match(s, j + 1).end()  # type: ignore[union-attr]
                continue
            if j < len(s) and s[j] == "}":
                node.end = j + 1
                self.depth -= 1
                return out, node, j + 1
            raise self.fail(j, "after object key:value pair")

    def array(self, i: int) -> tuple[list[Any], PosNode, int]:
        s = self.text
        self.enter(i)
        out: list[Any] = []
        children: list[PosNode] = []
        node = PosNode(i, i)
        node.children = children
        j = _WS.match(s, i + 1).end()  # type: ignore[union-attr]
        if j < len(s) and s[j] == "]":
            node.end = j + 1
            self.depth -= 1
            return out, node, j + 1
        while True:
            value, child, j = self.value(j)
            out.append(value)
            children.append(child)
            j = _WS.match(s, j).end()  # type: ignore[union-attr]
            if j < len(s) and s[j] == ",":
                j = _WS.match(s, j + 1).end()  # type: ignore[union-attr]
                continue
            if j < len(s) and s[j] == "]":
                node.end = j + 1
                self.depth -= 1
                return out, node, j + 1
            raise self.fail(j, "after array element")

    def enter(self, i: int) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise JsonSyntaxError("exceeded max depth", i, self.text)


def scan(text: str, *, allow_trailing: bool = False) -> tuple[Any, PosTree]:
    """Parse one JSON document; return its data and position tree.

    `allow_trailing` accepts anything after the first value, as Go's streaming `json.Decoder.Decode` does for
    admin request bodies; config files are checked whole (`json.Valid`).
    """
    scanner = _Scanner(text)
    start = _WS.match(text, 0).end()  # type: ignore[union-attr]
    try:
        value, node, end = scanner.value(start)
    except RecursionError:  # only when called from an already deep stack
        raise JsonSyntaxError("exceeded max depth", start, text) from None
    end = _WS.match(text, end).end()  # type: ignore[union-attr]
    if end < len(text) and not allow_trailing:
        raise scanner.fail(end, "after top-level value")
    return value, PosTree(node, text)
