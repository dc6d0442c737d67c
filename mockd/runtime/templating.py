"""Response templating hook (reference §3.8).

`compile_renderers` turns a templated `ResponseSpec` into render functions once, when the route is built.
Until the template engine lands, templated responses are served as written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mockd.compiler.plan import ResponseSpec
    from mockd.runtime.targets import Headers, RequestView

BodyRenderer = Callable[[str, "RequestView"], str]
HeaderRenderer = Callable[["RequestView"], "Headers"]


def compile_renderers(spec: ResponseSpec) -> tuple[BodyRenderer | None, HeaderRenderer | None]:
    return None, None
