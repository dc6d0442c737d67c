"""Walking the expression tree against an environment (a dict of variables), with expr-lang semantics.

Values are JSON values: None, bool, int, float, str, list, dict. Arithmetic keeps ints when both sides are
ints and `/` always gives a float, as in expr-lang; JSON inputs that Go would hold as float64 stay ints
here, so `input.count % 2` works instead of failing on a float (the only arithmetic difference). A missing
map key is nil; fetching from nil fails unless the access is optional (`?.`). `&&`, `||`, `!` and the
ternary want booleans. Errors carry expr-lang's messages, Go type names included (`float64`, `string`,
`<nil>`, `map[string]interface {}`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from mockd.runtime.state.expr.errors import ExprError
from mockd.runtime.state.expr.parser import (
    ArrayLit,
    Binary,
    Call,
    Closure,
    Cond,
    Env,
    Lit,
    MapLit,
    Member,
    Name,
    Node,
    Pointer,
    Slice,
    Unary,
)

Scope = tuple[Any, int, Any]  # (element `#`, `#index`, `#acc`) of the innermost predicate


def go_type(value: Any) -> str:
    """Go's `%T` of the value Go would hold for this JSON value."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, dict):
        return "map[string]interface {}"
    return "func"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def equal(a: Any, b: Any) -> bool:
    """expr-lang's `==`: numbers by value across int/float, otherwise same type and deep equality."""
    if is_number(a) and is_number(b):
        return bool(a == b)
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and bool(a == b)


def to_bool(value: Any, pos: int) -> bool:
    if isinstance(value, bool):
        return value
    raise ExprError(f"interface conversion: interface {{}} is {go_type(value)}, not bool", pos)


def to_int(value: Any, pos: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    raise ExprError(f"invalid operation: int({go_type(value)})", pos)


def fetch(obj: Any, key: Any, pos: int, optional: bool = False) -> Any:
    """`obj.key` / `obj[key]` (expr-lang's `runtime.Fetch`)."""
    if obj is None:
        if optional:
            return None
        raise ExprError(f"cannot fetch {_v(key)} from <nil>", pos)
    if isinstance(obj, dict):
        if isinstance(key, str):
            return obj.get(key)
        raise ExprError(f"cannot fetch {_v(key)} from {go_type(obj)}", pos)
    if isinstance(obj, list | str) and is_number(key):
        index = to_int(key, pos)
        size = len(obj)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise ExprError(f"index out of range: {index} (array length is {size})", pos)
        return obj[index]
    raise ExprError(f"cannot fetch {_v(key)} from {go_type(obj)}", pos)


def _v(value: Any) -> str:
    from mockd.templates.gofmt import format_value

    return format_value(value)


def _arith(op: str, a: Any, b: Any, pos: int) -> Any:
    if op == "+" and isinstance(a, str) and isinstance(b, str):
        return a + b
    if not (is_number(a) and is_number(b)):
        raise ExprError(f"invalid operation: {go_type(a)} {op} {go_type(b)}", pos)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            return math.copysign(math.inf, a) * math.copysign(1, b) if a else math.nan
        return a / b
    if op == "%":
        if isinstance(a, float) or isinstance(b, float):
            raise ExprError(f"invalid operation: {go_type(a)} % {go_type(b)}", pos)
        if b == 0:
            raise ExprError("runtime error: integer divide by zero", pos)
        return int(math.fmod(a, b))  # Go's remainder keeps the dividend's sign
    try:
        return math.pow(a, b)
    except (OverflowError, ValueError):
        return math.inf if a else math.nan


def _compare(op: str, a: Any, b: Any, pos: int) -> bool:
    if not ((is_number(a) and is_number(b)) or (isinstance(a, str) and isinstance(b, str))):
        raise ExprError(f"invalid operation: {go_type(a)} {op} {go_type(b)}", pos)
    if op == "<":
        return bool(a < b)
    if op == ">":
        return bool(a > b)
    if op == "<=":
        return bool(a <= b)
    return bool(a >= b)


def _strings(op: str, a: Any, b: Any, pos: int) -> bool:
    if not (isinstance(a, str) and isinstance(b, str)):
        raise ExprError(f"invalid operation: {go_type(a)} {op} {go_type(b)}", pos)
    if op == "contains":
        return b in a
    if op == "startsWith":
        return a.startswith(b)
    if op == "endsWith":
        return a.endswith(b)
    try:
        return re.search(b, a) is not None
    except re.error as exc:
        raise ExprError(f"error parsing regexp: {exc}", pos) from None


def _member_of(a: Any, b: Any, pos: int) -> bool:
    if isinstance(b, list):
        return any(equal(a, x) for x in b)
    if isinstance(b, dict):
        return isinstance(a, str) and a in b
    raise ExprError(f'operator "in" not defined on {go_type(b)}', pos)


class Evaluator:
    """Evaluates trees against one environment. `functions` are the builtins (see `builtins`)."""

    __slots__ = ("env", "functions")

    def __init__(self, env: dict[str, Any], functions: dict[str, Callable[..., Any]]) -> None:
        self.env = env
        self.functions = functions

    def run(self, node: Node, scope: Scope | None = None) -> Any:
        if isinstance(node, Member):
            return fetch(self.run(node.obj, scope), self.run(node.key, scope), node.pos, node.optional)
        if isinstance(node, Name):
            return self.env.get(node.name)  # every name was checked against the env before running
        if isinstance(node, Lit):
            return node.value
        if isinstance(node, Binary):
            return self.binary(node, scope)
        if isinstance(node, Unary):
            return self.unary(node, scope)
        if isinstance(node, Cond):
            return self.run(node.yes if to_bool(self.run(node.test, scope), node.pos) else node.no, scope)
        if isinstance(node, Call):
            return self.functions[node.name](self, node, scope)
        if isinstance(node, Pointer):
            if scope is None:
                raise ExprError("cannot use pointer accessor outside predicate", node.pos)
            return scope[1] if node.name == "index" else scope[2] if node.name == "acc" else scope[0]
        if isinstance(node, ArrayLit):
            return [self.run(item, scope) for item in node.items]
        if isinstance(node, MapLit):
            return {self._key(k, scope): self.run(v, scope) for k, v in node.pairs}
        if isinstance(node, Slice):
            return self.slice(node, scope)
        if isinstance(node, Env):
            return dict(self.env)
        raise ExprError("unexpected predicate", node.pos)

    def _key(self, node: Node, scope: Scope | None) -> str:
        key = self.run(node, scope)
        return key if isinstance(key, str) else _v(key)

    def binary(self, b: Binary, scope: Scope | None) -> Any:
        op = b.op
        left = self.run(b.left, scope)
        if op in ("&&", "and"):
            return to_bool(left, b.pos) and to_bool(self.run(b.right, scope), b.pos)
        if op in ("||", "or"):
            return to_bool(left, b.pos) or to_bool(self.run(b.right, scope), b.pos)
        if op == "??":
            return left if left is not None else self.run(b.right, scope)
        right = self.run(b.right, scope)
        if op in ("+", "-", "*", "/", "%", "**", "^"):
            return _arith("**" if op == "^" else op, left, right, b.pos)
        if op == "==":
            return equal(left, right)
        if op == "!=":
            return not equal(left, right)
        if op in ("<", ">", "<=", ">="):
            return _compare(op, left, right, b.pos)
        if op == "in":
            return _member_of(left, right, b.pos)
        if op == "..":
            return list(range(to_int(left, b.pos), to_int(right, b.pos) + 1))
        return _strings(op, left, right, b.pos)

    def unary(self, u: Unary, scope: Scope | None) -> Any:
        value = self.run(u.operand, scope)
        if u.op in ("!", "not"):
            return not to_bool(value, u.pos)
        if not is_number(value):
            raise ExprError(f"invalid operation: {u.op} {go_type(value)}", u.pos)
        return -value if u.op == "-" else value

    def slice(self, s: Slice, scope: Scope | None) -> Any:
        obj = self.run(s.obj, scope)
        if not isinstance(obj, list | str):
            raise ExprError(f"cannot slice {go_type(obj)}", s.pos)
        size = len(obj)
        lo = 0 if s.lo is None else to_int(self.run(s.lo, scope), s.pos)
        hi = size if s.hi is None else to_int(self.run(s.hi, scope), s.pos)
        lo, hi = (lo + size if lo < 0 else lo), (hi + size if hi < 0 else hi)
        lo, hi = max(0, min(lo, size)), max(0, min(hi, size))
        return obj[lo:hi] if lo <= hi else obj[0:0]

    def predicate(self, closure: Node, element: Any, index: int, acc: Any = None) -> Any:
        body = closure.body if isinstance(closure, Closure) else closure
        return self.run(body, (element, index, acc))
