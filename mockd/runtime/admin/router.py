"""A small method+path router with `{param}` segments, answering 404/405 the way Go's ServeMux does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from mockd.runtime.admin.http import AdminRequest, Response

Handler = Callable[[AdminRequest], Awaitable[Response]]

NOT_FOUND = Response(404, b"404 page not found\n", [("content-type", "text/plain; charset=utf-8")])


@dataclass(frozen=True, slots=True)
class _Route:
    method: str
    segments: tuple[str, ...]
    handler: Handler


class Router:
    def __init__(self) -> None:
        self._routes: list[_Route] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        self._routes.append(_Route(method, tuple(pattern.strip("/").split("/")), handler))

    def route(self, method: str, pattern: str) -> Callable[[Handler], Handler]:
        def deco(handler: Handler) -> Handler:
            self.add(method, pattern, handler)
            return handler

        return deco

    def resolve(self, method: str, path: str) -> tuple[Handler, dict[str, str]] | Response:
        """The handler and its path params, or the 404/405 reply. Literal segments beat `{param}` ones."""
        parts = tuple(path.strip("/").split("/")) if path != "/" else ("",)
        if path != "/" and path.endswith("/"):
            return NOT_FOUND  # Go's mux does not strip trailing slashes on these patterns
        best: tuple[int, _Route, dict[str, str]] | None = None
        allowed: set[str] = set()
        for r in self._routes:
            params = _bind(r.segments, parts)
            if params is None:
                continue
            literals = sum(1 for s in r.segments if not s.startswith("{"))
            if r.method != method and not (method == "HEAD" and r.method == "GET"):
                allowed.add(r.method)
                continue
            if best is None or literals > best[0]:
                best = (literals, r, params)
        if best is not None:
            return best[1].handler, best[2]
        if allowed:
            if "GET" in allowed:
                allowed.add("HEAD")
            allow = ", ".join(sorted(allowed))
            return Response(
                405,
                b"Method Not Allowed\n",
                [("content-type", "text/plain; charset=utf-8"), ("allow", allow)],
            )
        return NOT_FOUND


def _bind(segments: tuple[str, ...], parts: tuple[str, ...]) -> dict[str, str] | None:
    if len(segments) != len(parts):
        return None
    params: dict[str, str] = {}
    for seg, part in zip(segments, parts, strict=True):
        if seg.startswith("{") and seg.endswith("}"):
            if not part:
                return None
            params[seg[1:-1]] = part
        elif seg != part:
            return None
    return params
