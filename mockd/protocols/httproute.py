"""The Rust matcher's route for a protocol mock that is an HTTP mock underneath (SSE, chunked).

Built from the admin view of the mock (Go field names), because protocol modules see only that view and may
not import the compiler. Kept in step with `compiler/build/routes.py:build_route` by the SSE route tests.
"""

from __future__ import annotations

from typing import Any

from mockd.gocompat import gojson
from mockd.plan.model import JsonPathOp, RouteSpec, route_spec


def http_route(mock: dict[str, Any], *, captures: bool = False) -> RouteSpec:
    """The route an HTTP-borne protocol mock answers on: its `http.matcher`, as a plain response would."""
    http = mock.get("http") or {}
    mt = http.get("matcher") or {}
    return route_spec(
        id=str(mock.get("id") or ""),
        name=mock.get("name") or None,
        method=str(mt.get("method") or "").upper() or None,
        path=mt.get("path") or None,
        pathPattern=mt.get("pathPattern") or None,
        headers=list((mt.get("headers") or {}).items()),
        query=list((mt.get("queryParams") or {}).items()),
        bodyEquals=mt.get("bodyEquals") or None,
        bodyContains=mt.get("bodyContains") or None,
        bodyPattern=mt.get("bodyPattern") or None,
        bodyJsonPath=_jsonpath(mt.get("bodyJsonPath")),
        priority=int(http.get("priority") or 0),
        captures=captures,
    )


def _jsonpath(conditions: dict[str, Any] | None) -> list[tuple[str, JsonPathOp, str | None]]:
    out: list[tuple[str, JsonPathOp, str | None]] = []
    for expr, expected in (conditions or {}).items():
        if isinstance(expected, dict) and len(expected) == 1 and "exists" in expected:
            out.append((expr, "exists" if expected["exists"] is True else "absent", None))
        else:
            out.append((expr, "eq", gojson.marshal_text(expected)))
    return out
