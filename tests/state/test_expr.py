"""The expression language of custom operations (reference §4.8): results, precedence and expr-lang's
error texts, table-driven. No server needed."""

from __future__ import annotations

from typing import Any

import pytest

from mockd.runtime.state.expr import ExprCompileError, ExprError, ExprSyntaxError, compile_expression

ENV: dict[str, Any] = {
    "input": {"amount": 100, "name": "Ann", "rate": 0.5, "tags": ["a", "b"], "meta": {"tier": "gold"},
              "reason": None},
    "source": {"id": "acct-1", "balance": 1000},
    "txns": [{"amount": 10, "status": "completed"}, {"amount": 2.5, "status": "pending"},
             {"amount": 7, "status": "completed"}],
}  # fmt: skip


def ev(source: str) -> Any:
    return compile_expression(source).evaluate(ENV)


VALUES: list[tuple[str, Any]] = [
    # literals
    ('"done"', "done"), ("'done'", "done"), ("`raw\\n`", "raw\\n"), ('"a\\tb\\u00e9"', "a\tbé"), ("42", 42),
    ("1_000", 1000), ("0x1F", 31), ("3.14", 3.14), ("1e3", 1000.0), ("true", True), ("nil", None),
    ("[1, 'x']", [1, "x"]), ("{a: 1, 'b c': 2}", {"a": 1, "b c": 2}),
    # variables and access
    ("input.amount", 100), ("input.meta.tier", "gold"), ('input["name"]', "Ann"), ("input.tags[0]", "a"),
    ("input.tags[-1]", "b"), ("input.tags[0:1]", ["a"]), ("input.missing", None), ("input?.x?.y", None),
    ('$env["source"].balance', 1000),
    # arithmetic and precedence
    ("source.balance - input.amount", 900), ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("10 / 4", 2.5),
    ("10 / 5", 2.0), ("7 % 3", 1), ("-7 % 3", -1), ("2 ** 3 ** 2", 512.0), ("-2 ** 2", -4.0), ("2 ^ 3", 8.0),
    ("input.amount * input.rate", 50.0), ('"a" + "b"', "ab"), ("-input.amount", -100),
    # comparisons and logic
    ("source.balance >= input.amount", True), ("1 == 1.0", True), ('"1" == 1', False), ("nil == nil", True),
    ('"abc" < "abd"', True), ("1 < 2 && 2 < 3 || false", True), ("true || false && false", True),
    ("!true || true", True), ("not (1 > 2)", True), ("1 > 2 and false or true", True),
    # ?? binds tighter than arithmetic, the ternary looser than everything
    ('input.reason ?? "requested_by_customer"', "requested_by_customer"), ('input.name ?? "x"', "Ann"),
    ('input.reason ?? "a" + "b"', "ab"), ('input.amount > 50 ? "big" : "small"', "big"),
    ('false ? 1 : true ? 2 : 3', 2),
    # membership and strings
    ('"a" in input.tags', True), ('"z" not in input.tags', True), ('"tier" in input.meta', True),
    ('input.name contains "n"', True), ('input.name startsWith "A"', True), ('input.name endsWith "x"', False),
    ('input.name matches "^A.n$"', True), ('input.name not matches "^x"', True), ("1..3", [1, 2, 3]),
    # builtins
    ("len(input.tags)", 2), ('len("héllo")', 5), ("string(input.amount)", "100"), ("string(1.5)", "1.5"),
    ('int("42")', 42), ("int(3.9)", 3), ("float(2)", 2.0), ("abs(-3)", 3), ("round(2.5)", 3.0),
    ("max(1, 5, 3)", 5), ("min(input.tags | len(), 9)", 2), ('upper("x") + lower("Y")', "Xy"),
    ('trim("  x ")', "x"), ('split("a,b,c", ",")', ["a", "b", "c"]), ('join(input.tags, "-")', "a-b"),
    ('replace("aXa", "X", "-")', "a-a"), ("keys(input.meta)", ["tier"]), ("first(input.tags)", "a"),
    ("last([])", None), ("input.name | lower()", "ann"),
    # predicates
    ("sum(txns, .amount)", 19.5), ('filter(txns, .status == "completed") | len()', 2),
    ('count(txns, .status == "pending")', 1), ("map(txns, .amount)", [10, 2.5, 7]),
    ("map(txns, #index)", [0, 1, 2]), ("all(txns, .amount > 1)", True), ("any(txns, {#.amount > 9})", True),
    ("none(txns, .amount > 100)", True), ("one(txns, .amount == 7)", True), ("find(txns, .amount < 5).status",
     "pending"), ("findIndex(txns, .amount == 7)", 2), ("reduce(txns, #acc + .amount, 0)", 19.5),
    ("sum([1, 2, 3])", 6), ("count([true, false, true])", 2),
]  # fmt: skip


@pytest.mark.parametrize(("source", "expected"), VALUES, ids=[v[0] for v in VALUES])
def test_values(source: str, expected: Any):
    result = ev(source)
    assert result == expected
    assert type(result) is type(expected)


ERRORS: list[tuple[str, type[ExprError], str]] = [
    ("balanse - 1", ExprCompileError, 'compile "balanse - 1": unknown name balanse (1:1)\n | balanse - 1\n | ^'),
    ("1 +", ExprSyntaxError, 'compile "1 +": unexpected token EOF (1:4)\n | 1 +\n | ...^'),
    ("(1", ExprSyntaxError, 'compile "(1": unexpected token EOF (1:3)\n | (1\n | ..^'),
    ("1 2", ExprSyntaxError, 'compile "1 2": unexpected token Number("2") (1:3)\n | 1 2\n | ..^'),
    ('"open', ExprSyntaxError, 'compile "\\"open": literal not terminated (1:1)\n | "open\n | ^'),
    ("a @ b", ExprSyntaxError, 'compile "a @ b": unrecognized character: U+0040 \'@\' (1:3)\n | a @ b\n | ..^'),
    ("foo(1)", ExprCompileError, 'compile "foo(1)": unknown name foo (1:1)\n | foo(1)\n | ^'),
    ("len()", ExprCompileError, 'compile "len()": not enough arguments to call len (1:1)\n | len()\n | ^'),
    ("len(1, 2)", ExprCompileError, 'compile "len(1, 2)": too many arguments to call len (1:1)\n | len(1, 2)\n | ^'),
    ("#", ExprCompileError, 'compile "#": cannot use pointer accessor outside predicate (1:1)\n | #\n | ^'),
    ('"a" + 1', ExprError, 'eval "\\"a\\" + 1": invalid operation: string + int (1:5)\n | "a" + 1\n | ....^'),
    ("source.balance.x", ExprError,
     'eval "source.balance.x": cannot fetch x from int (1:16)\n | source.balance.x\n | ...............^'),
    ("input.missing.x", ExprError,
     'eval "input.missing.x": cannot fetch x from <nil> (1:15)\n | input.missing.x\n | ..............^'),
    ("input.tags[5]", ExprError,
     'eval "input.tags[5]": index out of range: 5 (array length is 2) (1:11)\n | input.tags[5]\n | ..........^'),
    ("input.amount && true", ExprError,
     'eval "input.amount && true": interface conversion: interface {} is int, not bool (1:14)\n'
     " | input.amount && true\n | .............^"),
    ("1 % 0", ExprError, 'eval "1 % 0": runtime error: integer divide by zero (1:3)\n | 1 % 0\n | ..^'),
    ("input.rate % 2", ExprError,
     'eval "input.rate % 2": invalid operation: float64 % int (1:12)\n | input.rate % 2\n | ...........^'),
    ("len(input.amount)", ExprError,
     'eval "len(input.amount)": invalid argument for len (type int) (1:1)\n | len(input.amount)\n | ^'),
    ("1 +\n  x", ExprCompileError, 'compile "1 +\\n  x": unknown name x (2:3)\n |   x\n | ..^'),
]  # fmt: skip


@pytest.mark.parametrize(("source", "kind", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(source: str, kind: type[ExprError], message: str):
    with pytest.raises(ExprError) as info:
        ev(source)
    assert type(info.value) is kind
    assert info.value.go_message(source) == message


def test_compiled_expressions_are_cached_and_names_are_checked_per_environment():
    assert compile_expression("a + 1") is compile_expression("a + 1")
    assert compile_expression("a + 1").evaluate({"a": 1}) == 2
    with pytest.raises(ExprCompileError):
        compile_expression("a + 1").evaluate({})


def test_deep_nesting_fails_cleanly():
    with pytest.raises(ExprSyntaxError):
        compile_expression("(" * 5000 + "1" + ")" * 5000)
