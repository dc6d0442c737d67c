"""What a matched route does. One `Target` per route, built when the route table is (re)built.

The hot path only ever looks at `static`: a pre-encoded `(status, headers, body)` triple served without
touching the request again. Everything else (body files, templates, stateful actions) goes through
`respond`, which gets a `RequestView` built only for those routes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mockd.bodyfile import BodyFileError, BodyFilePolicy, resolve
from mockd.content_type import infer_content_type
from mockd.gocompat import gojson

if TYPE_CHECKING:
    from mockd.plan.model import CompiledMock, ResponseSpec
    from mockd.runtime.journal import Counter

Headers = list[tuple[str, str]]
JSON_HEADERS: Headers = [("content-type", "application/json")]

# Static header lists, one object per distinct list. A load test over 10,000 mocks that all answer
# `Content-Type: application/json` then reads one list (its tuples and strings) that stays in cache, instead
# of a different one per request; the random mix of bench scenario 2 touches four fewer cold objects per
# request. Served lists are never mutated (CORS builds a new one). Bounded: past the limit, lists are not
# shared, which only costs that locality.
_SHARED_HEADERS: dict[tuple[tuple[str, str], ...], Headers] = {}
_SHARED_HEADERS_LIMIT = 4096


def shared_headers(pairs: Any) -> Headers:
    """The one list object for these (name, value) pairs, so identical static responses share it."""
    key = tuple((str(k), str(v)) for k, v in pairs)
    found = _SHARED_HEADERS.get(key)
    if found is None:
        found = list(key)
        if len(_SHARED_HEADERS) < _SHARED_HEADERS_LIMIT:
            _SHARED_HEADERS[key] = found
    return found


class RequestView:
    """The request as non-static responders see it. Never built for static routes."""

    __slots__ = ("body", "captures", "headers", "method", "path", "query", "scope")

    def __init__(
        self, scope: Any, method: str, path: str, query: str, headers: Any, body: bytes,
        captures: dict[str, str] | None,
    ) -> None:  # fmt: skip
        self.scope = scope
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.captures = captures


class UpgradeView:
    """A WebSocket upgrade as a protocol responder sees it: the RSGI scope, which the responder may replace
    (`ServeEnv.note`) to leave detail on the connection's log entry, as a `RequestView` does."""

    __slots__ = ("scope",)

    def __init__(self, scope: Any) -> None:
        self.scope = scope


class Target:
    """Base: the identity a route logs and counts under, and how it answers."""

    __slots__ = ("counter", "delay", "log_id", "static")

    def __init__(self, log_id: str, counter: Counter | None, delay: float = 0.0) -> None:
        self.log_id = log_id  # matchedMockId in the request log
        self.counter = counter  # None for routes verification must not see (legacy resource routes)
        self.delay = delay  # seconds slept (asynchronously) before answering
        self.static: tuple[int, Headers, bytes] | None = None

    async def respond(self, req: RequestView, proto: Any) -> int:
        """Answer a non-static route; returns the status written."""
        raise NotImplementedError

    async def upgrade(self, view: UpgradeView, proto: Any, opened: Callable[[], None]) -> int:
        """Serve a WebSocket upgrade at this target's path (only protocol targets have one); `opened` is
        called once the connection is accepted. Returns the status to log (101 for an accepted one); the
        entry logs `view.scope`, with whatever detail the responder noted on it."""
        proto.close(404)
        return 404

    def retire(self) -> None:
        """The mock was replaced or removed: end what it still serves (open streams and sockets)."""


class StaticTarget(Target):
    """Fully pre-encoded at build time: the hot path serves `static` as is."""

    __slots__ = ()

    def __init__(self, log_id: str, counter: Counter | None, spec: ResponseSpec) -> None:
        super().__init__(log_id, counter, spec["delayMs"] / 1000.0)
        self.static = (spec["status"], shared_headers(spec["headers"]), spec["body"].encode())


class DynamicResponseTarget(Target):
    """A response whose body comes from a file read per request, or from a template, or both.

    Reference §3.7: the file is re-read on every request, resolved against `base_dir` (the config file's
    folder, or the body-file root for admin-created mocks); a file that cannot be served (missing, not a
    regular file, too big, outside the root: mockd/bodyfile.py) answers 502 `body_file_error`.
    Content-Type is inferred after templating when the mock did not set one.
    """

    __slots__ = ("_body_text", "body_file", "body_files", "render_body", "render_headers", "status")

    def __init__(
        self,
        log_id: str,
        counter: Counter | None,
        spec: ResponseSpec,
        base_dir: str,
        body_files: BodyFilePolicy,
        render_body: Callable[[str, RequestView], str] | None,
        render_headers: Callable[[RequestView], Headers] | None,
    ) -> None:
        super().__init__(log_id, counter, spec["delayMs"] / 1000.0)
        self.status = spec["status"]
        body_file = spec["bodyFile"] if not spec["body"] else None
        self.body_file = resolve(body_file, base_dir) if body_file else None
        self.body_files = body_files
        static_body = spec["body"]
        static_headers = [(k, v) for k, v in spec["headers"]]
        self.render_body = render_body or (lambda text, _req: text)
        self.render_headers = render_headers or (lambda _req: static_headers)
        self._body_text = static_body

    async def respond(self, req: RequestView, proto: Any) -> int:
        headers = self.render_headers(req)
        if self.body_file:
            try:
                text = await asyncio.to_thread(self.body_files.read, self.body_file)
            except BodyFileError as exc:
                body = gojson.marshal(
                    {"error": "body_file_error", "message": f"failed to read bodyFile: {exc}"},
                    sort_keys=True,
                )
                proto.response_bytes(502, JSON_HEADERS, body)
                return 502
        else:
            text = self._body_text
        text = self.render_body(text, req)
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers = [*headers, ("content-type", infer_content_type(text))]
        # surrogateescape round-trips a body file that is not UTF-8: served as its raw bytes, as Go does.
        proto.response_bytes(self.status, headers, text.encode("utf-8", "surrogateescape"))
        return self.status


class UnavailableTarget(Target):
    """A mock we keep but cannot serve here (SSE, chunked, a feature not built yet): a clear 501."""

    __slots__ = ("body",)

    def __init__(self, log_id: str, counter: Counter | None, reason: str) -> None:
        super().__init__(log_id, counter)
        self.body = gojson.marshal({"error": "not_implemented", "message": reason}, sort_keys=True)

    async def respond(self, req: RequestView, proto: Any) -> int:
        proto.response_bytes(501, JSON_HEADERS, self.body)
        return 501


TargetFactory = Callable[["CompiledMock", "Counter | None"], Target]
