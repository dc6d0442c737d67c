"""A Pratt parser for the expr-lang subset of custom operations: source text in, a closed AST out.

Precedence and associativity are expr-lang's (`parser/operator`): `??` 500, `**`/`^` 100 (right),
unary `-`/`+` 90, `*`/`/`/`%` 60, unary `!`/`not` 50, `+`/`-` 30, `..` 25, comparisons and `in`,
`matches`, `contains`, `startsWith`, `endsWith` (each negatable with `not`) 20, `&&`/`and` 15,
`||`/`or` 10, `|` (pipe) 0; the ternary `a ? b : c` binds loosest. Postfix member access (`a.b`, `a?.b`,
`a[i]`, `a[i:j]`) binds tightest.

Predicates (the second argument of `filter`, `map`, `count`, `sum`, ...) are closures: `#` is the current
element, `.name` is `#.name`, `#index`/`#acc` the index and `reduce`'s accumulator; braces are optional.
Nothing here evaluates: the tree is a closed set of node classes, walked by `evaluate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mockd.runtime.state.expr.errors import ExprCompileError, ExprSyntaxError
from mockd.runtime.state.expr.lexer import Token, tokenize

BINARY = {
    "|": (0, "L"), "or": (10, "L"), "||": (10, "L"), "and": (15, "L"), "&&": (15, "L"),
    "==": (20, "L"), "!=": (20, "L"), "<": (20, "L"), ">": (20, "L"), ">=": (20, "L"), "<=": (20, "L"),
    "in": (20, "L"), "matches": (20, "L"), "contains": (20, "L"), "startsWith": (20, "L"),
    "endsWith": (20, "L"), "..": (25, "L"), "+": (30, "L"), "-": (30, "L"), "*": (60, "L"), "/": (60, "L"),
    "%": (60, "L"), "**": (100, "R"), "^": (100, "R"), "??": (500, "L"),
}  # fmt: skip
UNARY = {"not": 50, "!": 50, "-": 90, "+": 90}
NEGATABLE = ("in", "matches", "contains", "startsWith", "endsWith")
# builtins whose argument at this index is a predicate (closure)
PREDICATES = {
    "filter": 1, "map": 1, "all": 1, "any": 1, "none": 1, "one": 1, "count": 1, "find": 1, "findIndex": 1,
    "findLast": 1, "findLastIndex": 1, "sum": 1, "mean": 1, "reduce": 1, "groupBy": 1, "sortBy": 1,
}  # fmt: skip
MAX_NODES = 10000  # expr-lang's default limit


class Node:
    """Base of every tree node; each subclass has a `pos` (code-point offset of its token)."""

    __slots__ = ()
    pos: int


@dataclass(slots=True, eq=False)
class Lit(Node):
    value: Any
    pos: int = -1


@dataclass(slots=True, eq=False)
class Name(Node):
    name: str
    pos: int = -1


@dataclass(slots=True, eq=False)
class Env(Node):  # `$env`: every variable, as a map
    pos: int = -1


@dataclass(slots=True, eq=False)
class Pointer(Node):  # `#`, `#index`, `#acc` inside a predicate
    name: str
    pos: int = -1


@dataclass(slots=True, eq=False)
class Member(Node):
    obj: Node
    key: Node
    optional: bool
    pos: int = -1


@dataclass(slots=True, eq=False)
class Slice(Node):
    obj: Node
    lo: Node | None
    hi: Node | None
    pos: int = -1


@dataclass(slots=True, eq=False)
class Unary(Node):
    op: str
    operand: Node
    pos: int = -1


@dataclass(slots=True, eq=False)
class Binary(Node):
    op: str
    left: Node
    right: Node
    pos: int = -1


@dataclass(slots=True, eq=False)
class Cond(Node):
    test: Node
    yes: Node
    no: Node
    pos: int = -1


@dataclass(slots=True, eq=False)
class Call(Node):
    name: str
    args: list[Node]
    pos: int = -1


@dataclass(slots=True, eq=False)
class Closure(Node):
    body: Node
    pos: int = -1


@dataclass(slots=True, eq=False)
class ArrayLit(Node):
    items: list[Node]
    pos: int = -1


@dataclass(slots=True, eq=False)
class MapLit(Node):
    pairs: list[tuple[Node, Node]]
    pos: int = -1


@dataclass(slots=True)
class Parsed:
    root: Node
    names: list[Name] = field(default_factory=list)  # every variable reference, in source order


class _Parser:
    def __init__(self, src: str, functions: frozenset[str]) -> None:
        self.tokens = tokenize(src)
        self.i = 0
        self.functions = functions
        self.names: list[Name] = []
        self.depth = 0  # > 0 inside a predicate
        self.count = 0

    @property
    def cur(self) -> Token:
        return self.tokens[self.i]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != "EOF":
            self.i += 1
        return tok

    def fail(self, tok: Token | None = None) -> ExprSyntaxError:
        tok = tok or self.cur
        return ExprSyntaxError(f"unexpected token {tok}", tok.pos)

    def expect_bracket(self, value: str) -> Token:
        if not self.cur.is_bracket(value):
            raise self.fail()
        return self.advance()

    def node(self, n: Node) -> Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise ExprSyntaxError("compilation failed: expression exceeds maximum allowed nodes", n.pos)
        return n

    # -- expressions ------------------------------------------------------------------------------------

    def expression(self, prec: int = 0) -> Node:
        left = self.primary()
        while True:
            tok = self.cur
            if not tok.is_op():
                break
            op, negate, width = str(tok.value), False, 1
            if op == "not" and self.peek().is_op(*NEGATABLE):
                op, negate, width = str(self.peek().value), True, 2
            info = BINARY.get(op)
            if info is None or info[0] < prec:
                break
            self.i += width
            if op == "|":
                left = self.pipe(left)
                continue
            right = self.expression(info[0] + 1 if info[1] == "L" else info[0])
            left = self.node(Binary(op, left, right, tok.pos))
            if negate:
                left = self.node(Unary("not", left, tok.pos))
        if prec == 0:
            left = self.conditional(left)
        return left

    def conditional(self, test: Node) -> Node:
        while self.cur.is_op("?"):
            pos = self.advance().pos
            yes = self.expression()
            if not self.cur.is_op(":"):
                raise self.fail()
            self.advance()
            no = self.expression()
            test = self.node(Cond(test, yes, no, pos))
        return test

    def pipe(self, left: Node) -> Node:
        tok = self.cur
        if tok.kind != "Identifier" or not self.peek().is_bracket("("):
            raise self.fail()
        self.advance()
        return self.call(str(tok.value), tok.pos, piped=left)

    def primary(self) -> Node:
        tok = self.cur
        if tok.is_op(*UNARY):
            self.advance()
            operand = self.expression(UNARY[str(tok.value)])
            return self.postfix(self.node(Unary(str(tok.value), operand, tok.pos)))
        if tok.is_bracket("("):
            self.advance()
            inner = self.expression()
            self.expect_bracket(")")
            return self.postfix(inner)
        return self.postfix(self.operand())

    def operand(self) -> Node:
        tok = self.advance()
        if tok.kind in ("Number", "String"):
            return self.node(Lit(tok.value, tok.pos))
        if tok.kind == "Identifier":
            word = str(tok.value)
            if word in ("true", "false"):
                return self.node(Lit(word == "true", tok.pos))
            if word == "nil":
                return self.node(Lit(None, tok.pos))
            if word == "$env":
                return self.node(Env(tok.pos))
            if self.cur.is_bracket("("):
                return self.call(word, tok.pos)
            name = Name(word, tok.pos)
            self.names.append(name)
            return self.node(name)
        if tok.is_op("#"):
            if self.depth == 0:
                raise ExprCompileError("cannot use pointer accessor outside predicate", tok.pos)
            nxt = self.cur
            if nxt.kind == "Identifier" and nxt.pos == tok.pos + 1 and nxt.value in ("index", "acc"):
                self.advance()
                return self.node(Pointer(str(nxt.value), tok.pos))
            return self.node(Pointer("", tok.pos))
        if tok.is_op(".") and self.cur.kind in ("Identifier", "Operator") and self.depth > 0:
            prop = self.advance()
            return self.node(Member(Pointer("", tok.pos), Lit(prop.value, prop.pos), False, prop.pos))
        if tok.is_bracket("["):
            return self.array(tok.pos)
        if tok.is_bracket("{"):
            return self.mapping(tok.pos)
        raise self.fail(tok)

    def postfix(self, node: Node) -> Node:
        while True:
            tok = self.cur
            if tok.is_op(".", "?."):
                self.advance()
                optional = tok.value == "?."
                if optional and self.cur.is_bracket("["):
                    node = self.index(node, optional=True)
                    continue
                prop = self.advance()
                if prop.kind not in ("Identifier", "Operator") or not str(prop.value)[:1].isalpha():
                    raise self.fail(prop)
                node = self.node(Member(node, Lit(prop.value, prop.pos), optional, prop.pos))
            elif tok.is_bracket("["):
                node = self.index(node, optional=False)
            elif tok.is_bracket("("):
                raise ExprCompileError("invalid operation: cannot call non-function", tok.pos)
            else:
                return node

    def index(self, obj: Node, *, optional: bool) -> Node:
        pos = self.expect_bracket("[").pos
        lo = None if self.cur.is_op(":") else self.expression()
        if self.cur.is_op(":"):
            self.advance()
            hi = None if self.cur.is_bracket("]") else self.expression()
            self.expect_bracket("]")
            return self.node(Slice(obj, lo, hi, pos))
        self.expect_bracket("]")
        assert lo is not None
        return self.node(Member(obj, lo, optional, pos))

    def array(self, pos: int) -> Node:
        items: list[Node] = []
        while not self.cur.is_bracket("]"):
            items.append(self.expression())
            if not self.cur.is_op(","):
                break
            self.advance()
        self.expect_bracket("]")
        return self.node(ArrayLit(items, pos))

    def mapping(self, pos: int) -> Node:
        pairs: list[tuple[Node, Node]] = []
        while not self.cur.is_bracket("}"):
            key_tok = self.cur
            if key_tok.kind in ("Identifier", "String", "Number"):
                self.advance()
                key: Node = self.node(
                    Lit(str(key_tok.value) if key_tok.kind == "Identifier" else key_tok.value)
                )
            elif key_tok.is_bracket("("):
                key = self.primary()
            else:
                raise ExprSyntaxError(
                    "a map key must be a quoted string, a number, a identifier, or an expression enclosed "
                    f"in parentheses (unexpected token {key_tok})",
                    key_tok.pos,
                )
            if not self.cur.is_op(":"):
                raise self.fail()
            self.advance()
            pairs.append((key, self.expression()))
            if not self.cur.is_op(","):
                break
            self.advance()
        self.expect_bracket("}")
        return self.node(MapLit(pairs, pos))

    def call(self, name: str, pos: int, piped: Node | None = None) -> Node:
        if name not in self.functions:
            raise ExprCompileError(f"unknown name {name}", pos)
        self.expect_bracket("(")
        args: list[Node] = [piped] if piped is not None else []
        closure_at = PREDICATES.get(name, -1)
        while not self.cur.is_bracket(")"):
            args.append(self.closure() if len(args) == closure_at else self.expression())
            if not self.cur.is_op(","):
                break
            self.advance()
        self.expect_bracket(")")
        return self.node(Call(name, args, pos))

    def closure(self) -> Node:
        pos = self.cur.pos
        self.depth += 1
        try:
            if self.cur.is_bracket("{"):
                self.advance()
                body = self.expression()
                self.expect_bracket("}")
            else:
                body = self.expression()
        finally:
            self.depth -= 1
        return self.node(Closure(body, pos))


def parse(src: str, functions: frozenset[str]) -> Parsed:
    """The tree of `src`; raises `ExprSyntaxError`/`ExprCompileError` with expr-lang's messages."""
    parser = _Parser(src, functions)
    if parser.cur.kind == "EOF":
        raise ExprSyntaxError("unexpected token EOF", 0)
    try:
        root = parser.expression()
    except RecursionError:
        raise ExprSyntaxError("compilation failed: expression exceeds maximum allowed nodes", 0) from None
    if parser.cur.kind != "EOF":
        raise parser.fail()
    return Parsed(root, parser.names)
