"""Plan-level rules shared by the compiler and the runtime for stateful resources.

Both sides must agree on them, so they live with the plan: the string form an item id is compared by (D1), and
the routes a legacy `basePath` resource answers on, in the order the matcher receives them (the runtime
builds them for resources added over the admin API, `mockd compile --explain` draws them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from mockd.gocompat.gojson import format_float
from mockd.plan.model import ResourceAction, ResourceSpec, RouteSpec, route_spec

_EXPRESS_PARAM = re.compile(r":(\w+)", re.ASCII)


def seed_id_text(value: Any) -> str | None:
    """The string form an id is compared by (D1): strings as they are, numbers as JSON writes them."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float(value) if value == value and abs(value) != float("inf") else None
    return None


def resource_routes(resource: ResourceSpec) -> list[tuple[RouteSpec, ResourceAction]]:
    """The two routes a legacy `basePath` resource answers on (reference §4.6), or none without basePath.

    Go matched `^base(?:/([^/]+))?$` with each Express `:param` as `([^/]+)`. Here that is a collection route
    (`/api/users/{userId}/orders`) and an item route with one more `{param}` segment, the item id being the
    last param. Both take any method (the runtime dispatches GET/POST/... itself), are strict (no trailing
    slash, no empty segment, as the regex) and sit in tier 1, so an explicit mock wins an exact tie (D3).
    """
    base = resource["basePath"]
    if not base:
        return []
    params = _EXPRESS_PARAM.findall(base)
    collection = _EXPRESS_PARAM.sub(r"{\1}", base)
    item_param = "id"
    while item_param in params:
        item_param = "_" + item_param
    routes: list[tuple[RouteSpec, ResourceAction]] = []
    for role, path in (("collection", collection), ("item", f"{collection}/{{{item_param}}}")):
        route = route_spec(id=f"stateful:{resource['name']}", path=path, strict=True, tier=1, captures=True)
        action: ResourceAction = {"kind": "resource", "resource": resource["name"], "role": role}  # type: ignore[typeddict-item]
        routes.append((route, action))
    return routes


def legacy_routes(resources: Iterable[ResourceSpec]) -> list[tuple[RouteSpec, ResourceAction]]:
    """The routes of every legacy resource in `resources`, in the order the matcher receives them.

    Longest basePath first, then by name: v0.5's resolution order. Definition order is the matcher's last
    tie-break, so this decides only between two legacy routes that tie on score; the runtime and
    `mockd compile --explain` must agree on it, hence one function.
    """
    legacy = sorted(
        (r for r in resources if r["basePath"]), key=lambda r: (-len(r["basePath"] or ""), r["name"])
    )
    return [route for resource in legacy for route in resource_routes(resource)]
