"""Tokens of the expression language of custom operations (expr-lang syntax, reference §4.8).

Token kinds and their printed form follow expr-lang (`Operator(")")`, `EOF`), because parse errors quote
them. Positions are code-point offsets into the source, for `(line:column)` error locations.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockd.runtime.state.expr.errors import ExprSyntaxError

WORD_OPERATORS = frozenset(("not", "and", "or", "in", "matches", "contains", "startsWith", "endsWith"))
_SYMBOLS = (
    "!=", "==", "<=", ">=", "&&", "||", "??", "?.", "..", "**",
    "!", "<", ">", "+", "-", "*", "/", "%", "^", "?", ":", ".", ",", "|", ";", "#",
)  # fmt: skip
_BRACKETS = "()[]{}"
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\",
            "'": "'", '"': '"'}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # Identifier | Number | String | Operator | Bracket | EOF
    value: str | int | float
    pos: int

    def __str__(self) -> str:
        if self.value == "":
            return self.kind
        text = str(self.value)
        return f'{self.kind}("{text.replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}")'

    def is_op(self, *values: str) -> bool:
        return self.kind == "Operator" and (not values or self.value in values)

    def is_bracket(self, value: str) -> bool:
        return self.kind == "Bracket" and self.value == value


def tokenize(src: str) -> list[Token]:
    out: list[Token] = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c in " \t\r\n":
            i += 1
        elif src.startswith("//", i):
            end = src.find("\n", i)
            i = n if end < 0 else end
        elif src.startswith("/*", i):
            end = src.find("*/", i + 2)
            if end < 0:
                raise ExprSyntaxError("unclosed comment", i)
            i = end + 2
        elif c.isdigit() or (c == "." and i + 1 < n and src[i + 1].isdigit() and not _after_value(out)):
            i = _number(src, i, out)
        elif c in "\"'":
            i = _quoted(src, i, out)
        elif c == "`":
            end = src.find("`", i + 1)
            if end < 0:
                raise ExprSyntaxError("literal not terminated", i)
            out.append(Token("String", src[i + 1 : end], i))
            i = end + 1
        elif c.isalpha() or c in "_$":
            j = i + 1
            while j < n and (src[j].isalnum() or src[j] in "_$"):
                j += 1
            word = src[i:j]
            out.append(Token("Operator" if word in WORD_OPERATORS else "Identifier", word, i))
            i = j
        elif c in _BRACKETS:
            out.append(Token("Bracket", c, i))
            i += 1
        else:
            symbol = next((s for s in _SYMBOLS if src.startswith(s, i)), None)
            if symbol is None:
                raise ExprSyntaxError(f"unrecognized character: U+{ord(c):04X} '{c}'", i)
            out.append(Token("Operator", symbol, i))
            i += len(symbol)
    out.append(Token("EOF", "", n))
    return out


def _after_value(tokens: list[Token]) -> bool:
    """A `.` right after a value is member access (`a.5` is not a number)."""
    if not tokens:
        return False
    last = tokens[-1]
    if last.kind == "Bracket":
        return str(last.value) in ")]}"
    return last.kind in ("Identifier", "Number", "String")


def _number(src: str, i: int, out: list[Token]) -> int:
    start, n = i, len(src)
    if src.startswith(("0x", "0X", "0o", "0O", "0b", "0B"), i):
        base = {"x": 16, "o": 8, "b": 2}[src[i + 1].lower()]
        j = i + 2
        while j < n and (src[j].isalnum() or src[j] == "_"):
            j += 1
        try:
            out.append(Token("Number", int(src[i + 2 : j].replace("_", ""), base), start))
        except ValueError:
            raise ExprSyntaxError(f"invalid number literal {src[start:j]!r}", start) from None
        return j
    j = i
    is_float = False
    while j < n and (src[j].isdigit() or src[j] == "_"):
        j += 1
    if j < n and src[j] == "." and not src.startswith("..", j):
        is_float = True
        j += 1
        while j < n and (src[j].isdigit() or src[j] == "_"):
            j += 1
    if j < n and src[j] in "eE":
        k = j + 1
        if k < n and src[k] in "+-":
            k += 1
        if k < n and src[k].isdigit():
            is_float = True
            j = k
            while j < n and src[j].isdigit():
                j += 1
    text = src[start:j].replace("_", "")
    try:
        value: int | float = float(text) if is_float else int(text)
    except ValueError:
        raise ExprSyntaxError(f"invalid number literal {src[start:j]!r}", start) from None
    out.append(Token("Number", value, start))
    return j


def _quoted(src: str, i: int, out: list[Token]) -> int:
    quote, start, n = src[i], i, len(src)
    chars: list[str] = []
    j = i + 1
    while True:
        if j >= n or src[j] == "\n":
            raise ExprSyntaxError("literal not terminated", start)
        c = src[j]
        if c == quote:
            break
        if c != "\\":
            chars.append(c)
            j += 1
            continue
        esc = src[j + 1 : j + 2]
        if esc in _ESCAPES:
            chars.append(_ESCAPES[esc])
            j += 2
        elif esc in ("x", "u", "U"):
            width = {"x": 2, "u": 4, "U": 8}[esc]
            digits = src[j + 2 : j + 2 + width]
            try:
                chars.append(chr(int(digits, 16)) if len(digits) == width else "")
            except ValueError:
                raise ExprSyntaxError("invalid char escape", j) from None
            if len(digits) != width:
                raise ExprSyntaxError("invalid char escape", j)
            j += 2 + width
        elif esc.isdigit():
            digits = src[j + 1 : j + 4]
            if len(digits) != 3 or any(d not in "01234567" for d in digits):
                raise ExprSyntaxError("invalid char escape", j)
            chars.append(chr(int(digits, 8)))
            j += 4
        else:
            raise ExprSyntaxError("invalid char escape", j)
    out.append(Token("String", "".join(chars), start))
    return j + 1
