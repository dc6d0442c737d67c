"""The builtin functions expressions may call: the expr-lang builtins custom operations use.

Each builtin gets the evaluator, its call node and the predicate scope, so predicate builtins evaluate
their closure per element. Supported: `len string int float abs ceil floor round min max sum mean upper
lower trim trimPrefix trimSuffix split join replace repeat indexOf lastIndexOf hasPrefix hasSuffix keys
values first last filter map count all any none one find findIndex findLast findLastIndex reduce`.
Argument-count mistakes are compile-time errors, as in expr-lang's checker.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mockd.runtime.state.expr.errors import ExprCompileError, ExprError
from mockd.runtime.state.expr.evaluate import go_type, is_number, to_bool, to_int
from mockd.runtime.state.expr.parser import Call, Node
from mockd.templates.gofmt import format_value, parse_float

if TYPE_CHECKING:
    from mockd.runtime.state.expr.evaluate import Evaluator, Scope

Builtin = Callable[["Evaluator", Call, "Scope | None"], Any]
# name -> (min args, max args (-1: any), implementation)
FUNCTIONS: dict[str, tuple[int, int, Builtin]] = {}


def _plain(name: str, low: int, high: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A builtin whose arguments are all evaluated first."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(ev: Evaluator, node: Call, scope: Scope | None) -> Any:
            return fn(node.pos, *[ev.run(a, scope) for a in node.args])

        FUNCTIONS[name] = (low, high, call)
        return fn

    return register


def _predicate(name: str, low: int = 2, high: int = 2) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A builtin over an array with a predicate (the parser made argument 1 a closure)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(ev: Evaluator, node: Call, scope: Scope | None) -> Any:
            items = ev.run(node.args[0], scope)
            if not isinstance(items, list):
                raise ExprError(f"cannot iterate over {go_type(items)}", node.pos)
            pred = node.args[1] if len(node.args) > 1 else None
            rest = [ev.run(a, scope) for a in node.args[2:]]
            return fn(ev, node.pos, items, pred, *rest)

        FUNCTIONS[name] = (low, high, call)
        return fn

    return register


def check_arity(node: Call) -> None:
    low, high, _ = FUNCTIONS[node.name]
    if len(node.args) < low:
        raise ExprCompileError(f"not enough arguments to call {node.name}", node.pos)
    if high >= 0 and len(node.args) > high:
        raise ExprCompileError(f"too many arguments to call {node.name}", node.pos)


def _number(value: Any, fn: str, pos: int) -> float:
    if not is_number(value):
        raise ExprError(f"invalid argument for {fn} (type {go_type(value)})", pos)
    return value


def _string(value: Any, fn: str, pos: int) -> str:
    if not isinstance(value, str):
        raise ExprError(f"invalid argument for {fn} (type {go_type(value)})", pos)
    return value


# -- conversions ------------------------------------------------------------------------------------------


@_plain("len", 1, 1)
def _len(pos: int, value: Any) -> int:
    if isinstance(value, str | list | dict):
        return len(value)
    raise ExprError(f"invalid argument for len (type {go_type(value)})", pos)


@_plain("string", 1, 1)
def _to_string(pos: int, value: Any) -> str:
    return value if isinstance(value, str) else format_value(value)


@_plain("int", 1, 1)
def _to_int(pos: int, value: Any) -> int:
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            raise ExprError(f'strconv.Atoi: parsing "{value}": invalid syntax', pos) from None
    return to_int(value, pos)


@_plain("float", 1, 1)
def _to_float(pos: int, value: Any) -> float:
    if isinstance(value, str):
        result, ok = parse_float(value)
        if not ok:
            raise ExprError(f'strconv.ParseFloat: parsing "{value}": invalid syntax', pos)
        return result
    if not is_number(value):
        raise ExprError(f"invalid operation: float({go_type(value)})", pos)
    return float(value)


# -- numbers ----------------------------------------------------------------------------------------------


@_plain("abs", 1, 1)
def _abs(pos: int, value: Any) -> Any:
    return abs(_number(value, "abs", pos))


@_plain("ceil", 1, 1)
def _ceil(pos: int, value: Any) -> float:
    return float(math.ceil(_number(value, "ceil", pos)))


@_plain("floor", 1, 1)
def _floor(pos: int, value: Any) -> float:
    return float(math.floor(_number(value, "floor", pos)))


@_plain("round", 1, 1)
def _round(pos: int, value: Any) -> float:
    x = _number(value, "round", pos)
    return float(math.copysign(math.floor(abs(x) + 0.5), x))  # Go's math.Round: half away from zero


def _numbers(fn: str, pos: int, args: tuple[Any, ...]) -> list[Any]:
    values = list(args[0]) if len(args) == 1 and isinstance(args[0], list) else list(args)
    return [_number(v, fn, pos) for v in values]


@_plain("max", 1, -1)
def _max(pos: int, *args: Any) -> Any:
    values = _numbers("max", pos, args)
    return max(values) if values else None


@_plain("min", 1, -1)
def _min(pos: int, *args: Any) -> Any:
    values = _numbers("min", pos, args)
    return min(values) if values else None


@_predicate("sum", 1, 2)
def _sum(ev: Evaluator, pos: int, items: list[Any], pred: Node | None) -> Any:
    values = [ev.predicate(pred, x, i) for i, x in enumerate(items)] if pred is not None else items
    return sum(_number(v, "sum", pos) for v in values)


@_predicate("mean", 1, 2)
def _mean(ev: Evaluator, pos: int, items: list[Any], pred: Node | None) -> Any:
    values = [ev.predicate(pred, x, i) for i, x in enumerate(items)] if pred is not None else items
    return sum(_number(v, "mean", pos) for v in values) / len(values) if values else 0.0


# -- strings ----------------------------------------------------------------------------------------------


@_plain("upper", 1, 1)
def _upper(pos: int, s: Any) -> str:
    return _string(s, "upper", pos).upper()


@_plain("lower", 1, 1)
def _lower(pos: int, s: Any) -> str:
    return _string(s, "lower", pos).lower()


@_plain("trim", 1, 2)
def _trim(pos: int, s: Any, chars: Any = None) -> str:
    return _string(s, "trim", pos).strip(None if chars is None else _string(chars, "trim", pos))


@_plain("trimPrefix", 2, 2)
def _trim_prefix(pos: int, s: Any, prefix: Any) -> str:
    return _string(s, "trimPrefix", pos).removeprefix(_string(prefix, "trimPrefix", pos))


@_plain("trimSuffix", 2, 2)
def _trim_suffix(pos: int, s: Any, suffix: Any) -> str:
    return _string(s, "trimSuffix", pos).removesuffix(_string(suffix, "trimSuffix", pos))


@_plain("split", 2, 3)
def _split(pos: int, s: Any, sep: Any, n: Any = -1) -> list[str]:
    text, delimiter, limit = _string(s, "split", pos), _string(sep, "split", pos), to_int(n, pos)
    if limit == 0:
        return []
    if delimiter == "":
        parts = list(text)
        return (
            parts if limit < 0 or limit >= len(parts) else [*parts[: limit - 1], "".join(parts[limit - 1 :])]
        )
    return text.split(delimiter, -1 if limit < 0 else limit - 1)


@_plain("join", 1, 2)
def _join(pos: int, items: Any, sep: Any = "") -> str:
    if not isinstance(items, list):
        raise ExprError(f"invalid argument for join (type {go_type(items)})", pos)
    return _string(sep, "join", pos).join(_string(x, "join", pos) for x in items)


@_plain("replace", 3, 3)
def _replace(pos: int, s: Any, old: Any, new: Any) -> str:
    return _string(s, "replace", pos).replace(_string(old, "replace", pos), _string(new, "replace", pos))


@_plain("repeat", 2, 2)
def _repeat(pos: int, s: Any, n: Any) -> str:
    count = to_int(n, pos)
    if count < 0:
        raise ExprError("strings: negative Repeat count", pos)
    return _string(s, "repeat", pos) * count


@_plain("indexOf", 2, 2)
def _index_of(pos: int, s: Any, sub: Any) -> int:
    return _string(s, "indexOf", pos).find(_string(sub, "indexOf", pos))


@_plain("lastIndexOf", 2, 2)
def _last_index_of(pos: int, s: Any, sub: Any) -> int:
    return _string(s, "lastIndexOf", pos).rfind(_string(sub, "lastIndexOf", pos))


@_plain("hasPrefix", 2, 2)
def _has_prefix(pos: int, s: Any, prefix: Any) -> bool:
    return _string(s, "hasPrefix", pos).startswith(_string(prefix, "hasPrefix", pos))


@_plain("hasSuffix", 2, 2)
def _has_suffix(pos: int, s: Any, suffix: Any) -> bool:
    return _string(s, "hasSuffix", pos).endswith(_string(suffix, "hasSuffix", pos))


# -- maps and arrays --------------------------------------------------------------------------------------


@_plain("keys", 1, 1)
def _keys(pos: int, m: Any) -> list[str]:
    if not isinstance(m, dict):
        raise ExprError(f"invalid argument for keys (type {go_type(m)})", pos)
    return sorted(m)  # Go walks a map in random order; sorted is one of its orders, and stable


@_plain("values", 1, 1)
def _values(pos: int, m: Any) -> list[Any]:
    if not isinstance(m, dict):
        raise ExprError(f"invalid argument for values (type {go_type(m)})", pos)
    return [m[k] for k in sorted(m)]


@_plain("first", 1, 1)
def _first(pos: int, items: Any) -> Any:
    return items[0] if isinstance(items, list) and items else None


@_plain("last", 1, 1)
def _last(pos: int, items: Any) -> Any:
    return items[-1] if isinstance(items, list) and items else None


def _test(ev: Evaluator, pred: Node | None, item: Any, index: int, pos: int) -> bool:
    assert pred is not None
    return to_bool(ev.predicate(pred, item, index), pos)


@_predicate("filter")
def _filter(ev: Evaluator, pos: int, items: list[Any], pred: Node | None) -> list[Any]:
    return [x for i, x in enumerate(items) if _test(ev, pred, x, i, pos)]


@_predicate("map")
def _map(ev: Evaluator, pos: int, items: list[Any], pred: Node | None) -> list[Any]:
    assert pred is not None
    return [ev.predicate(pred, x, i) for i, x in enumerate(items)]


@_predicate("count", 1, 2)
def _count(ev: Evaluator, pos: int, items: list[Any], pred: Node | None) -> int:
    if pred is None:
        return sum(1 for x in items if to_bool(x, pos))
    return sum(1 for i, x in enumerate(items) if _test(ev, pred, x, i, pos))


@_predicate("all")
def _all(ev: Evaluator, pos: int, items: list[Any], pred: Node | None) -> bool:
    return all(_test(ev, pred, x, i, pos) for i, x in enumerate(items))


@_predicate("any")
def _any(ev: Evaluator, pos: int, items: list[Any], pred: Node | None) -> bool:
    return any(_test(ev, pred, x, i, pos) for i, x in enumerate(items))


@_predicate("none")
def _none(ev: Evaluator, pos: int, items: list[Any], pred: Node | None) -> bool:
    return not any(_test(ev, pred, x, i, pos) for i, x in enumerate(items))


@_predicate("one")
def _one(ev: Evaluator, pos: int, items: list[Any], pred: Node | None) -> bool:
    return sum(1 for i, x in enumerate(items) if _test(ev, pred, x, i, pos)) == 1


def _search(ev: Evaluator, pos: int, items: list[Any], pred: Node | None, *, last: bool) -> int:
    order = range(len(items) - 1, -1, -1) if last else range(len(items))
    return next((i for i in order if _test(ev, pred, items[i], i, pos)), -1)


@_predicate("find")
def _find(ev: Evaluator, pos: int, items: list[Any], pred: Node | None) -> Any:
    i = _search(ev, pos, items, pred, last=False)
    return items[i] if i >= 0 else None


@_predicate("findIndex")
def _find_index(ev: Evaluator, pos: int, items: list[Any], pred: Node | None) -> int:
    return _search(ev, pos, items, pred, last=False)


@_predicate("findLast")
def _find_last(ev: Evaluator, pos: int, items: list[Any], pred: Node | None) -> Any:
    i = _search(ev, pos, items, pred, last=True)
    return items[i] if i >= 0 else None


@_predicate("findLastIndex")
def _find_last_index(ev: Evaluator, pos: int, items: list[Any], pred: Node | None) -> int:
    return _search(ev, pos, items, pred, last=True)


@_predicate("reduce", 2, 3)
def _reduce(ev: Evaluator, pos: int, items: list[Any], pred: Node | None, *init: Any) -> Any:
    assert pred is not None
    if not items and not init:
        raise ExprError("reduce of empty array with no initial value", pos)
    acc, start = (init[0], 0) if init else (items[0], 1)
    for i in range(start, len(items)):
        acc = ev.predicate(pred, items[i], i, acc)
    return acc


NAMES = frozenset(FUNCTIONS)
