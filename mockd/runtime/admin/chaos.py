"""Chaos over the admin API (operations reference §1.8): `/chaos`, its stats, stateful faults and profiles.

Replies keep the Go tool's shapes: `GET /chaos` in its struct order, maps with sorted keys. Every change
builds a new injector (stats and fault state restart, as in Go) and is seen by the mock port's next request.
Unlike the Go tool, a `PUT /chaos` it would clamp or half-ignore is refused whole: 400 `validation_error`
naming the field (docs/differences.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockd.chaos.model import ChaosConfigError, from_api, profile_spec, render_loc
from mockd.chaos.profiles import PROFILES
from mockd.chaos.spec import to_api
from mockd.runtime.admin.http import AdminError, AdminRequest, Response, invalid_json, json_response

if TYPE_CHECKING:
    from mockd.runtime.admin.router import Handler, Router
    from mockd.runtime.world import Runtime

_ZERO_STATS = {
    "totalRequests": 0,
    "injectedFaults": 0,
    "latencyInjected": 0,
    "errorsInjected": 0,
    "timeoutsInjected": 0,
    "faultsByType": {},
}


def _profile(name: str) -> dict[str, Any]:
    if name not in PROFILES:
        raise AdminError(404, "not_found", f"chaos profile not found: {name}")
    p = PROFILES[name]
    return {"name": name, "description": p["description"], "config": p["config"]}


async def get_config(req: AdminRequest) -> Response:
    chaos = req.rt.chaos
    out = to_api(chaos.spec if chaos is not None else None)
    if chaos is not None and chaos.seed_known and out["enabled"]:
        out["seed"] = chaos.seed  # the seed in force (config, PUT, --chaos-seed, or start's printed one)
    return json_response(out)


async def put_config(req: AdminRequest) -> Response:
    data = req.json()
    try:
        spec = from_api(data)
    except ChaosConfigError as exc:
        if exc.undecodable:  # Go's decoder rejects the body before any chaos check
            raise invalid_json() from None
        p = exc.problems[0]
        where = render_loc(p.loc)
        raise AdminError(400, "validation_error", f"{where}: {p.message}" if where else p.message) from None
    req.rt.set_chaos(spec, seed=spec["seed"] if spec is not None else None)
    return json_response({"status": "ok"})


async def get_stats(req: AdminRequest) -> Response:
    chaos = req.rt.chaos
    return json_response(chaos.stats.as_dict() if chaos is not None else _ZERO_STATS)


async def reset_stats(req: AdminRequest) -> Response:
    if req.rt.chaos is not None:
        req.rt.chaos.reset_stats()
    return json_response({"message": "chaos stats reset"})


async def get_faults(req: AdminRequest) -> Response:
    chaos = req.rt.chaos
    return json_response(chaos.fault_status() if chaos is not None else {}, sort_keys=True)


def _breaker(req: AdminRequest) -> Any:
    key = req.params["key"]
    chaos = req.rt.chaos
    breaker = chaos.breakers.get(key) if chaos is not None else None
    if breaker is None:
        raise AdminError(404, "not_found", f"circuit breaker not found: {key}")
    return breaker


async def trip_breaker(req: AdminRequest) -> Response:
    breaker = _breaker(req)
    assert req.rt.chaos is not None
    breaker.trip(req.rt.chaos.clock())
    return json_response({"key": req.params["key"], "message": "circuit breaker tripped"})


async def reset_breaker(req: AdminRequest) -> Response:
    _breaker(req).reset()
    return json_response({"key": req.params["key"], "message": "circuit breaker reset"})


async def list_profiles(req: AdminRequest) -> Response:
    return json_response([_profile(name) for name in sorted(PROFILES)])


async def get_profile(req: AdminRequest) -> Response:
    return json_response(_profile(req.params["name"]))


async def apply_profile(req: AdminRequest) -> Response:
    name = req.params["name"]
    profile = _profile(name)
    req.rt.set_chaos(profile_spec(name))
    return json_response(
        {"message": f"chaos profile applied: {profile['description']}", "profile": name, "status": "ok"}
    )


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/chaos", get_config),
    ("PUT", "/chaos", put_config),
    ("GET", "/chaos/stats", get_stats),
    ("POST", "/chaos/stats/reset", reset_stats),
    ("GET", "/chaos/faults", get_faults),
    ("POST", "/chaos/circuit-breakers/{key}/trip", trip_breaker),
    ("POST", "/chaos/circuit-breakers/{key}/reset", reset_breaker),
    ("GET", "/chaos/profiles", list_profiles),
    ("GET", "/chaos/profiles/{name}", get_profile),
    ("POST", "/chaos/profiles/{name}/apply", apply_profile),
]


def register(router: Router, rt: Runtime) -> None:
    """Mount `ROUTES` (handlers reach the runtime through `req.rt`)."""
    for method, pattern, handler in ROUTES:
        router.add(method, pattern, handler)
