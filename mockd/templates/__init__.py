"""Response templates compatible with the Go mockd tool (reference §3.8).

Plain Python with no HTTP or runtime imports, so the compiler can check templates (`check_template`) and
the runtime can render them (`compile_template(...).render(Context(...))`) from one definition. Faker is
imported only when a template that uses `faker.*` is first rendered or when `fake.load()` is called.

>>> from mockd.templates import Context, compile_template
>>> compile_template("Hello {{ upper request.query.name }}").render(Context(query_string="name=ada"))
'Hello ADA'
>>> check_template("{{ uuidd }}")
['line 1, column 1: unknown expression "uuidd"; did you mean "uuid"?; it renders as an empty string']
"""

from mockd.templates.check import check_template
from mockd.templates.context import Context
from mockd.templates.expressions import FAKER, REQUEST, RNG, Expr, parse_expression
from mockd.templates.functions import reset_sequences
from mockd.templates.program import Template, compile_template

__all__ = [
    "FAKER",
    "REQUEST",
    "RNG",
    "Context",
    "Expr",
    "Template",
    "check_template",
    "compile_template",
    "parse_expression",
    "reset_sequences",
]
