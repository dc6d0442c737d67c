"""`GET /health` and `GET /ready` (reference §5.1)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from mockd.gocompat.timefmt import rfc3339_nano_utc
from mockd.runtime.admin.http import AdminRequest, Response, json_response

if TYPE_CHECKING:
    from mockd.runtime.admin.router import Handler, Router
    from mockd.runtime.world import Runtime


async def health(req: AdminRequest) -> Response:
    rt = req.rt
    now = time.time()
    body: dict = {"status": "ok"}
    uptime = int(now - rt.started_at)
    if uptime:
        body["uptime"] = uptime  # the Go struct omits a zero uptime
    body["timestamp"] = rfc3339_nano_utc(now)
    return json_response(body)


async def ready(req: AdminRequest) -> Response:
    rt = req.rt
    now = time.time()
    if not rt.ready:
        return json_response({"status": "initializing", "timestamp": rfc3339_nano_utc(now)}, 503)
    body: dict = {"status": "ready"}
    uptime = int(now - rt.started_at)
    if uptime:
        body["uptime"] = uptime
    body["timestamp"] = rfc3339_nano_utc(now)
    return json_response(body)


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/health", health),
    ("GET", "/ready", ready),
]


def register(router: Router, rt: Runtime) -> None:
    """Mount `ROUTES` (handlers reach the runtime through `req.rt`, so each can be read and tested alone)."""
    for method, pattern, handler in ROUTES:
        router.add(method, pattern, handler)
