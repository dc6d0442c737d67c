"""`GET /shared-state` (mockd only, `start --shared-state`): this replica's link to the store, answered even
while the store is down, so an operator sees the outage and the log entries it cost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockd.runtime.admin.http import AdminRequest, Response, json_response

if TYPE_CHECKING:
    from mockd.runtime.admin.router import Router
    from mockd.runtime.world import Runtime


async def shared_state(req: AdminRequest) -> Response:
    link = req.rt.shared
    assert link is not None  # only mounted with --shared-state
    return json_response(link.status())


def register(router: Router, rt: Runtime) -> None:
    """Mounted only with `--shared-state`: without it the path stays the usual 404."""
    if rt.shared is not None:
        router.add("GET", "/shared-state", shared_state)
