"""The dashboard's files on the admin port (issue 22): `GET /` is the page, `GET /dashboard/{file}` its script
and stylesheet, `GET /dashboard/mock-schema.json` the JSON Schema of a mock for its editor.

The router prefers literal segments and every API route is literal at its first segment, so no API path can
be shadowed by these routes. They pass the same authentication as every API route (security.py): a loopback
browser needs no key, anyone else is refused the page as they would be its data. From another machine, an
SSH tunnel (`ssh -L 4290:localhost:4290 host`) makes the browser a loopback caller (docs/dashboard.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockd.compiler import mock_json_schema
from mockd.dashboard import asset
from mockd.runtime.admin.http import AdminRequest, Response, json_response
from mockd.runtime.admin.router import NOT_FOUND

if TYPE_CHECKING:
    from mockd.runtime.admin.router import Handler, Router
    from mockd.runtime.world import Runtime


def _serve(name: str) -> Response:
    found = asset(name)
    if found is None:
        return NOT_FOUND
    body, content_type = found
    return Response(200, body, [("content-type", content_type)])


async def page(req: AdminRequest) -> Response:
    return _serve("index.html")


async def static_file(req: AdminRequest) -> Response:
    return _serve(req.params["file"])


async def mock_schema(req: AdminRequest) -> Response:
    """The JSON Schema of a mock (compiler/schema.py), for the editor's key list and unknown-key warnings."""
    return json_response(mock_json_schema())


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/", page),
    ("GET", "/dashboard", page),
    ("GET", "/dashboard/{file}", static_file),
    ("GET", "/dashboard/mock-schema.json", mock_schema),
]


def register(router: Router, rt: Runtime) -> None:
    """Mount `ROUTES`."""
    for method, pattern, handler in ROUTES:
        router.add(method, pattern, handler)
