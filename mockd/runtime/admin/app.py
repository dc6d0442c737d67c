"""The admin port's RSGI application: middleware chain (reference §5.0), then the router.

Outer to inner, as the Go tool: security headers, CORS (preflights answered here), API-key auth, per-IP rate
limit (off by default, see ratelimit.py), 10 MiB body cap, route. Handlers live in one module per concern
(`health`, `mocks`, `verify`, `requestlog`, `config`, ...) and register their routes on the shared router.

Streaming replies (`GET /requests/stream`) are pumped until the stream ends, the client disconnects, or
`close_streams()` is called. Granian's embedded server waits for open responses before it calls
`__rsgi_del__`, so the server's stop routine must call `close_streams()` first; otherwise an open stream holds
the shutdown up until Granian's kill timeout and is then cut off without its final chunk. The pump takes
the next chunk only once the client has acked all but `sendwindow.IN_FLIGHT_LIMIT` bytes of what it was sent
(issue 12): Granian's stream transport never waits for the client by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from mockd.protocols.registry import PortUnavailableError, ProtocolBuildError
from mockd.runtime import hostcheck
from mockd.runtime.admin import security
from mockd.runtime.admin.http import AdminError, AdminRequest, Response, error_response, invalid_json
from mockd.runtime.admin.ratelimit import limiter_for, too_many_requests
from mockd.runtime.admin.router import Router
from mockd.runtime.admin.sendwindow import ClientGone, SendWindow
from mockd.runtime.body import MAX_BODY, BodyIncomplete, BodyTooLarge, read_body

if TYPE_CHECKING:
    from mockd.runtime.world import Runtime

log = logging.getLogger("mockd.admin")


def build_router(rt: Runtime) -> Router:
    """Every admin route module registers here; the order does not matter (literal segments win)."""
    from mockd.runtime.admin import ROUTE_MODULES

    router = Router()
    for module in ROUTE_MODULES:
        module.register(router, rt)
    return router


class AdminApp:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.router = build_router(rt)
        self.auth = security.AuthPolicy(enabled=not rt.options.no_auth, key=rt.options.api_key)
        self.limiter = limiter_for(rt.options.admin_rate_limit)
        self._closing: asyncio.Event | None = None

    def __rsgi_init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._closing = asyncio.Event()

    def close_streams(self) -> None:
        """End every open event stream cleanly (call on the loop thread when shutdown begins)."""
        if self._closing is not None:
            self._closing.set()

    def __rsgi_del__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.close_streams()

    async def __rsgi__(self, scope: Any, proto: Any) -> None:
        headers = scope.headers
        bad_host = hostcheck.host_error(scope, headers)
        if bad_host is not None:  # as Go's net/http, before any middleware
            proto.response_bytes(400, hostcheck.HEADERS, bad_host)
            return
        origin = headers.get("origin")
        extra = security.SECURITY_HEADERS + security.cors_headers(origin)
        try:
            reply = await self._handle(scope, proto, headers, origin)
        except AdminError as exc:
            reply = exc.response()
        except PortUnavailableError:  # a gRPC mock's port is taken: the edit was refused whole
            reply = error_response(
                409, "port_unavailable", "Failed to start mock: the port may be in use by another process"
            )
        except ProtocolBuildError as problem:  # e.g. a gRPC proto that does not compile
            reply = error_response(400, "validation_error", f"{problem.field}: {problem.message}")
        except Exception:
            log.exception("admin handler failed: %s %s", scope.method, scope.path)
            reply = error_response(500, "internal_error", "An internal error occurred")
        # A header the handler set wins over the middleware's (the event stream's `Cache-Control: no-cache`).
        own = {name for name, _ in reply.headers}
        headers_out = reply.headers + [h for h in extra if h[0] not in own]
        if reply.stream is not None:
            window = SendWindow(scope.client, scope.server)
            await self._pump(proto, reply.status, headers_out, reply.stream, window)
        elif reply.body:
            proto.response_bytes(reply.status, headers_out, reply.body)
        else:
            proto.response_empty(reply.status, headers_out)

    async def _pump(
        self, proto: Any, status: int, headers: list[tuple[str, str]], stream: AsyncIterator[bytes],
        window: SendWindow,
    ) -> None:  # fmt: skip
        transport = proto.response_stream(status, headers)

        async def send_all() -> None:
            with contextlib.suppress(ClientGone):  # the socket closed under us: the stream is over
                async for chunk in stream:
                    await transport.send_bytes(chunk)  # returns at once: Granian queues without bound
                    await window.sent(len(chunk))  # so wait here until the client has taken most of it

        async def disconnected() -> None:
            # Wrapped in a coroutine so asyncio gets a real Task: Granian's own awaitable passes through
            # ensure_future unwrapped and breaks asyncio.gather once cancelled (no `_cancel_message`).
            await proto.client_disconnect()

        sender = asyncio.ensure_future(send_all())
        watchers: list[asyncio.Future[Any]] = [asyncio.ensure_future(disconnected())]
        if self._closing is not None:
            watchers.append(asyncio.ensure_future(self._closing.wait()))
        try:
            await asyncio.wait([sender, *watchers], return_when=asyncio.FIRST_COMPLETED)
        finally:
            tasks = (sender, *watchers)
            for task in tasks:
                task.cancel()
            # Granian's disconnect awaitable does not end when cancelled (it ends with the connection), so
            # wait briefly rather than for all; then retrieve outcomes so none is logged as never retrieved.
            done, _ = await asyncio.wait(tasks, timeout=0.1)
            for task in done:
                if not task.cancelled():
                    task.exception()
            with contextlib.suppress(Exception):
                await stream.aclose()  # type: ignore[attr-defined]

    async def _handle(self, scope: Any, proto: Any, headers: Any, origin: str | None) -> Response:
        method = scope.method
        path = scope.path
        if method == "OPTIONS":
            return security.preflight(origin)
        denied = self.auth.check(path, headers, scope.client)
        if denied is not None:
            return denied
        limit_headers: list[tuple[str, str]] = []
        if self.limiter is not None and not security.remote_is_loopback(scope.client):
            allowed, remaining, reset = self.limiter.allow(security.client_host(scope.client))
            limit_headers = self.limiter.headers(allowed, remaining, reset)
            if not allowed:
                return too_many_requests(limit_headers)
        cluster = self.rt.cluster
        if cluster is None:
            reply = await self._route(scope, proto, headers, method, path)
        else:  # --workers N: see everything the workers answered, and push what this call changed
            await cluster.before_admin(method, path)
            try:
                reply = await self._route(scope, proto, headers, method, path)
            finally:
                await cluster.after_admin()
        if limit_headers:  # a copy: some replies (404) are shared constants
            reply = Response(reply.status, reply.body, reply.headers + limit_headers, reply.stream)
        return reply

    async def _route(self, scope: Any, proto: Any, headers: Any, method: str, path: str) -> Response:
        length = headers.get("content-length")
        if length is not None and length.isdecimal() and (len(length) > 18 or int(length) > MAX_BODY):
            return error_response(413, "body_too_large", "Request body too large")
        resolved = self.router.resolve(method, path)
        if isinstance(resolved, Response):
            return resolved
        handler, params = resolved
        try:
            body = await read_body(proto, headers, method)
        except BodyTooLarge:
            return error_response(413, "body_too_large", "Request body too large")
        except BodyIncomplete:  # the Go tool's JSON decoder fails on the fragment: the same reply
            raise invalid_json() from None
        req = AdminRequest(self.rt, method, path, scope.query_string, headers, body, scope.client)
        req.params = params
        persister = self.rt.persister
        if persister is None or method in ("GET", "HEAD"):
            return await handler(req)
        try:
            return await handler(req)
        finally:
            # `--data-dir`: a change is acknowledged only once it is on disk (mockd/runtime/persist.py).
            try:
                await persister.flush()
            except Exception as exc:
                raise AdminError(500, "persistence_error", f"failed to save to the data dir: {exc}") from None
