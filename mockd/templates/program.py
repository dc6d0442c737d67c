"""A template string parsed once into literal text and render functions (reference §3.8).

`compile_template` runs when a route is built. Expressions whose value does not depend on the request
(unknown ones are "", `upper "x"` is "X") are folded into the surrounding text, so rendering costs one
call per request-dependent expression and a join.
"""

from __future__ import annotations

from collections.abc import Callable

from mockd.templates.context import Context
from mockd.templates.expressions import Expr, Render, parse_expression
from mockd.templates.syntax import TOKEN


class Template:
    """A parsed template. `static` is its text when nothing in it depends on the request, else None."""

    __slots__ = ("expressions", "literal_opens", "render", "source", "static", "uses")

    def __init__(self, source: str) -> None:
        self.source = source
        self.expressions: list[tuple[int, Expr]] = []  # (offset in source, expression), in order
        # Offsets of "{{" left as literal text (no closing "}}", or a "}" inside): served as written.
        self.literal_opens: list[int] = []
        texts: list[str] = []  # literal text around the request-dependent expressions
        fns: list[Render] = []
        pending: list[str] = []
        last = 0
        for match in TOKEN.finditer(source):
            pending.append(source[last : match.start()])
            self._note_literal_opens(last, match.start())
            expr = parse_expression(match.group(1))
            self.expressions.append((match.start(), expr))
            if expr.fn is None:
                pending.append(expr.value or "")
            else:
                texts.append("".join(pending))
                pending = []
                fns.append(expr.fn)
            last = match.end()
        pending.append(source[last:])
        self._note_literal_opens(last, len(source))
        texts.append("".join(pending))
        self.uses: frozenset[str] = frozenset().union(*(e.uses for _, e in self.expressions))
        self.static: str | None = texts[0] if not fns else None
        self.render: Callable[[Context], str] = _renderer(texts, fns)

    def _note_literal_opens(self, start: int, end: int) -> None:
        at = self.source.find("{{", start, end)
        while at != -1:
            self.literal_opens.append(at)
            at = self.source.find("{{", at + 2, end)

    def __repr__(self) -> str:
        return f"Template({self.source!r})"


def _renderer(texts: list[str], fns: list[Render]) -> Callable[[Context], str]:
    """The cheapest render function for the shape (measured: an inline tuple join of up to three values
    costs a third of a generic %-format over a list comprehension)."""
    if not fns:
        text = texts[0]
        return lambda _c: text
    if len(fns) == 1:
        t0, f0, t1 = texts[0], fns[0], texts[1]
        if not t0 and not t1:
            return f0
        return lambda c: t0 + f0(c) + t1
    if len(fns) == 2:
        t0, t1, t2 = texts
        f0, f1 = fns
        return lambda c: "".join((t0, f0(c), t1, f1(c), t2))
    if len(fns) == 3:
        t0, t1, t2, t3 = texts
        f0, f1, f2 = fns
        return lambda c: "".join((t0, f0(c), t1, f1(c), t2, f2(c), t3))
    pattern = "%s".join(t.replace("%", "%%") for t in texts)
    functions = tuple(fns)
    return lambda c: pattern % tuple([f(c) for f in functions])


def compile_template(source: str) -> Template:
    """Parse `source` once; render it per request with `template.render(context)`."""
    return Template(source)
