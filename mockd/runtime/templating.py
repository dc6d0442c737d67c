"""Response templating on the mock port (reference §3.7, §3.8).

`compile_renderers` runs when a route is built: it parses the body and each templated header value once
(`mockd.templates`) and returns small closures that `DynamicResponseTarget` calls per request. Per request
they only build a `Context` over the `RequestView` (a few attribute copies; query string, JSON body and seed
are read only if an expression asks for them) and join literal text with the expressions' values.

Headers render before the body, as in the Go tool. When both use random values, they share one context so
a seeded response draws one continuous stream (headers first), as the Go tool's does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mockd.templates import FAKER, RNG, Context, Template, compile_template
from mockd.templates import fake as _fake

if TYPE_CHECKING:
    from mockd.plan.model import ResponseSpec
    from mockd.runtime.targets import Headers, RequestView

BodyRenderer = Callable[[str, "RequestView"], str]
HeaderRenderer = Callable[["RequestView"], "Headers"]

# Body files are re-read per request; their parsed templates are kept for the last few distinct texts.
_FILE_CACHE_SIZE = 8
# Contexts handed from the header renderer to the body renderer of the same request. An entry is left
# behind only when the body is never rendered (an unreadable body file: 502), so the map stays tiny; it is
# cleared outright if it ever grows past this.
_MAX_PENDING = 256


def compile_renderers(
    spec: ResponseSpec, *, pattern_captures: bool = False
) -> tuple[BodyRenderer | None, HeaderRenderer | None]:
    """Render functions for a templated response; None for a part with nothing to render.

    `pattern_captures`: the route matched with `pathPattern`, so its captures are regex named groups
    (`request.pathPattern.NAME`); otherwise they are `{param}`/wildcard values (`request.pathParam.NAME`).
    """
    seed = spec["seed"]
    header_templates = [
        (name, compile_template(value) if "{{" in value else None) for name, value in spec["headers"]
    ]
    templated_headers = [t for _, t in header_templates if t is not None]
    body_template = compile_template(spec["body"]) if "{{" in spec["body"] else None
    from_file = not spec["body"] and bool(spec["bodyFile"])

    templates = [*templated_headers, *([body_template] if body_template else [])]
    if any(FAKER in t.uses for t in templates):
        _fake.load()  # pay Faker's import (~0.1 s) while building the route, not on the first request

    def context(req: RequestView) -> Context:
        captures = req.captures
        if pattern_captures:
            return Context(req.method, req.path, req.query, req.headers.get, req.body, None, captures, seed)
        return Context(req.method, req.path, req.query, req.headers.get, req.body, captures, None, seed)

    # Share the header context with the body only when both draw random values (file bodies are unknown
    # until read, so assume they might).
    share = any(RNG in t.uses for t in templated_headers) and (
        from_file or (body_template is not None and RNG in body_template.uses)
    )
    pending: dict[int, tuple[RequestView, Context]] = {}

    render_headers = _header_renderer(spec["headers"], header_templates, context, pending if share else None)
    if body_template is not None:
        render_body = _body_renderer(body_template, context, pending if share else None)
    elif from_file:
        render_body = _file_renderer(context, pending if share else None)
    else:
        render_body = None
    return render_body, render_headers


def _take_context(
    req: RequestView, context: Callable[[RequestView], Context], pending: dict | None
) -> Context:
    if pending:
        entry = pending.pop(id(req), None)
        if entry is not None and entry[0] is req:
            return entry[1]
    return context(req)


def _header_renderer(
    configured: list[tuple[str, str]],
    templates: list[tuple[str, Template | None]],
    context: Callable[[RequestView], Context],
    pending: dict[int, tuple[RequestView, Context]] | None,
) -> HeaderRenderer | None:
    if all(t is None for _, t in templates):
        return None
    if all(t is None or t.static is not None for _, t in templates):
        fixed = [(name, _header_value(t.static or "") if t else value) for (name, t), (_, value) in
                 zip(templates, configured, strict=True)]  # fmt: skip
        return lambda _req: fixed

    parts = [(name, t, value) for (name, t), (_, value) in zip(templates, configured, strict=True)]

    def render_headers(req: RequestView) -> Headers:
        ctx = context(req)
        if pending is not None:
            if len(pending) >= _MAX_PENDING:
                pending.clear()
            pending[id(req)] = (req, ctx)  # keeps req alive, so its id cannot be reused meanwhile
        return [(name, value if t is None else _header_value(t.render(ctx))) for name, t, value in parts]

    return render_headers


def _header_value(text: str) -> str:
    """Go writes header values with CR and LF replaced by spaces; a templated value may contain them."""
    if "\n" in text or "\r" in text:
        return text.replace("\r", " ").replace("\n", " ")
    return text


def _body_renderer(
    template: Template, context: Callable[[RequestView], Context], pending: dict | None
) -> BodyRenderer:
    static = template.static
    if static is not None:  # only expressions that never depend on the request (unknown ones print "")
        return lambda _text, _req: static
    render = template.render
    if pending is None:
        return lambda _text, req: render(context(req))
    return lambda _text, req: render(_take_context(req, context, pending))


def _file_renderer(context: Callable[[RequestView], Context], pending: dict | None) -> BodyRenderer:
    """A body file is templated too (the Go tool templates whatever body it serves); parse each distinct
    text once."""
    cache: dict[str, Template] = {}

    def render_file(text: str, req: RequestView) -> str:
        if "{{" not in text:
            return text
        template = cache.get(text)
        if template is None:
            if len(cache) >= _FILE_CACHE_SIZE:
                cache.clear()
            template = cache[text] = compile_template(text)
            if FAKER in template.uses:
                _fake.load()
        if template.static is not None:
            return template.static
        return template.render(_take_context(req, context, pending))

    return render_file
