"""The expression language of custom operations (reference §4.8): a safe subset of expr-lang.

`compile_expression(source)` parses once (cached by source text) into a closed tree; `evaluate(env)` walks
it against the variables (`input`, then each step's `as`/`var`). Nothing is ever handed to Python's `eval`.

Supported syntax: literals (`42`, `1_000`, `0x1F`, `3.14`, `1e3`, `"text"` and `'text'` with escapes,
backtick raw strings, `true`, `false`, `nil`, `[a, b]`, `{key: value}`); variables and `$env`; member and
index access (`a.b`, `a?.b`, `a["k"]`, `a[-1]`, `a[1:3]`); unary `!`/`not`, `-`, `+`; arithmetic `+ - * /
% ** ^`, string concatenation with `+`; comparisons `== != < > <= >=`; `&&`/`and`, `||`/`or`; `??`;
`in`, `matches`, `contains`, `startsWith`, `endsWith` (and their `not` forms); ranges `1..3`; the ternary
`c ? a : b`; pipes `x | f(y)`; builtin calls (listed in `builtins`) with predicates (`filter(xs, .n > 1)`,
`sum(xs, .amount)`, `#`, `#index`, `#acc`). Not supported: `let`, `if {} else {}`, custom functions,
method calls, date/time builtins.

Errors read as expr-lang's: `unknown name x (1:1)` plus a snippet, wrapped `compile "…": …` or
`eval "…": …` by the caller (`ExprError.go_message`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from mockd.runtime.state.expr.builtins import FUNCTIONS, NAMES, check_arity
from mockd.runtime.state.expr.errors import ExprCompileError, ExprError, ExprSyntaxError
from mockd.runtime.state.expr.evaluate import Evaluator
from mockd.runtime.state.expr.parser import Call, Node, Parsed, parse

__all__ = ["ExprCompileError", "ExprError", "ExprSyntaxError", "Expression", "compile_expression"]

_CALLS = {name: impl for name, (_, _, impl) in FUNCTIONS.items()}


@dataclass(frozen=True, slots=True)
class Expression:
    source: str
    parsed: Parsed

    def evaluate(self, env: dict[str, Any]) -> Any:
        """The value against `env`. Raises `ExprCompileError` for a name `env` lacks (expr-lang checks
        names against the environment before running) and `ExprError` for a failure while running."""
        for name in self.parsed.names:
            if name.name not in env:
                raise ExprCompileError(f"unknown name {name.name}", name.pos)
        try:
            return Evaluator(env, _CALLS).run(self.parsed.root)
        except RecursionError:
            raise ExprError("expression too deeply nested") from None


def _calls(node: Any) -> list[Call]:
    """Every call node of a tree (for the arity check)."""
    out: list[Call] = []
    stack: list[Any] = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Call):
            out.append(n)
        if isinstance(n, Node):
            for slot in getattr(n, "__slots__", ()):
                value = getattr(n, slot, None)
                if isinstance(value, Node):
                    stack.append(value)
                elif isinstance(value, list):
                    for v in value:
                        stack.extend(v if isinstance(v, tuple) else (v,))
    return out


@functools.lru_cache(maxsize=2048)
def compile_expression(source: str) -> Expression:
    """Parse `source` (raises `ExprSyntaxError`/`ExprCompileError`); cached, expressions repeat."""
    parsed = parse(source, NAMES)
    for call in _calls(parsed.root):
        check_arity(call)
    return Expression(source, parsed)
