"""`check_template`: what `mockd validate` warns about in a template.

The Go tool never fails on a template: an unknown or malformed expression silently prints "", and a `{{`
it cannot close is served as written. Both are almost always typos, so validation lists them, with where
they are and what the server will do instead.
"""

from __future__ import annotations

from mockd.templates.program import Template


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def check_template(text: str) -> list[str]:
    """Problems in a template, in text order; [] when every expression is well formed and known.

    Each item reads like `line 1, column 9: unknown expression "uuidd"; did you mean "uuid"?; it renders as
    an empty string`. Parsing only: nothing is rendered and Faker is not loaded.
    """
    if "{{" not in text:
        return []
    template = Template(text)
    found: list[tuple[int, str]] = [
        (offset, f"{_position(text, offset)}: {expr.problem}")
        for offset, expr in template.expressions
        if expr.problem is not None
    ]
    found.extend(
        (
            offset,
            f'{_position(text, offset)}: "{{{{" does not start an expression (no closing "}}}}", or a "}}" '
            "inside it), so it is served as written",
        )
        for offset in template.literal_opens
    )
    return [message for _, message in sorted(found)]
