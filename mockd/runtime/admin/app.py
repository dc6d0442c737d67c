"""The admin port's RSGI application: middleware chain (reference §5.0), then the router.

Outer to inner, as the Go tool: security headers, CORS, API-key auth, body cap, route. Handlers live in one
module per concern (`health`, `mocks`, `verify`, ...) and register their routes on the shared router.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from mockd.runtime.admin import security
from mockd.runtime.admin.http import AdminError, AdminRequest, Response, error_response
from mockd.runtime.admin.router import Router

if TYPE_CHECKING:
    from mockd.runtime.context import Runtime

log = logging.getLogger("mockd.admin")

MAX_BODY = 10 * 1024 * 1024


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

    async def __rsgi__(self, scope: Any, proto: Any) -> None:
        headers = scope.headers
        origin = headers.get("origin")
        extra = security.SECURITY_HEADERS + security.cors_headers(origin)
        try:
            reply = await self._handle(scope, proto, headers, origin)
        except AdminError as exc:
            reply = exc.response()
        except Exception:
            log.exception("admin handler failed: %s %s", scope.method, scope.path)
            reply = error_response(500, "internal_error", "An internal error occurred")
        headers_out = reply.headers + extra
        if reply.stream is not None:
            transport = proto.response_stream(reply.status, headers_out)
            try:
                async for chunk in reply.stream:
                    await transport.send_bytes(chunk)
            except Exception:  # the client went away; the stream generator is closed below
                pass
            finally:
                await reply.stream.aclose()  # type: ignore[attr-defined]
            return
        if reply.body:
            proto.response_bytes(reply.status, headers_out, reply.body)
        else:
            proto.response_empty(reply.status, headers_out)

    async def _handle(self, scope: Any, proto: Any, headers: Any, origin: str | None) -> Response:
        method = scope.method
        path = scope.path
        if method == "OPTIONS":
            return security.preflight(origin)
        denied = self.auth.check(method, path, headers, scope.client)
        if denied is not None:
            return denied
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY:
            return error_response(413, "body_too_large", "Request body too large")
        resolved = self.router.resolve(method, path)
        if isinstance(resolved, Response):
            return resolved
        handler, params = resolved
        body = b""
        if length not in (None, "0") or "transfer-encoding" in headers:
            body = await _read_capped(proto)
            if body is None:
                return error_response(413, "body_too_large", "Request body too large")
        req = AdminRequest(self.rt, method, path, scope.query_string, headers, body, scope.client)
        req.params = params
        return await handler(req)


async def _read_capped(proto: Any) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    async for chunk in proto:
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
