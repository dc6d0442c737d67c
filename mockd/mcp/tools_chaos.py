"""The five chaos tools over `/chaos…` (reference §8.3): read, set, reset counters, stateful faults,
circuit breakers. `set_chaos_config` turns its flat millisecond arguments into the admin API's shape
(`latency{min,max,probability}`, `errorRate{…}`, `bandwidth{…}`) as the Go tool does."""

from __future__ import annotations

import contextlib
from typing import Any

from mockd.mcp import args as a
from mockd.mcp.args import Args
from mockd.mcp.results import Deep, GoMap, Text, as_decoded, as_map
from mockd.mcp.session import AdminFailure, Session, ToolError


async def get_chaos_config(args: Args, session: Session) -> Text:
    config = await session.run("get chaos config", "GET", "/chaos", scoped=False)
    if not isinstance(config, dict):
        config = {}
    with contextlib.suppress(AdminFailure):
        config["stats"] = await session.call("GET", "/chaos/stats", scoped=False)
    try:
        profiles = await session.call("GET", "/chaos/profiles", scoped=False)
        names = (
            [p.get("name", "") for p in profiles if isinstance(p, dict)] if isinstance(profiles, list) else []
        )
        if names:
            config["availableProfiles"] = names
    except AdminFailure:
        pass
    return as_decoded(config)


def duration_ms(ms: float) -> str:
    """Milliseconds as a Go duration string: whole seconds as `2s`, anything else as `<n>ms`."""
    if ms >= 1000 and ms == int(ms) and int(ms) % 1000 == 0:
        return f"{int(ms) // 1000}s"
    return f"{int(ms)}ms"


async def set_chaos_config(args: Args, session: Session) -> Text:
    profile = a.string(args, "profile")
    if profile:
        path = "/chaos/profiles/" + a.seg(profile) + "/apply"
        await session.run("apply chaos profile", "POST", path, scoped=False)
        return as_map({"applied": True, "profile": profile})
    enabled = a.boolean(args, "enabled", True)
    if "rules" in args:
        config: dict[str, Any] = {"enabled": enabled, "rules": args["rules"]}
        await session.run("set chaos rules", "PUT", "/chaos", json=config, scoped=False)
        return as_map({"applied": True, "config": Deep(config)})
    config = {"enabled": enabled}
    fixed, low, high = (
        a.number(args, "latency_ms"),
        a.number(args, "latency_min_ms"),
        a.number(args, "latency_max_ms"),
    )
    if fixed > 0:
        low = high = fixed
    elif low > 0 or high > 0:
        low, high = (low if low > 0 else high), (high if high > 0 else low)
    if low > 0:
        config["latency"] = {"min": duration_ms(low), "max": duration_ms(high), "probability": 1.0}
    rate = a.number(args, "error_rate")
    if rate > 0:
        errors: dict[str, Any] = {"probability": rate}
        if "error_codes" in args:
            errors["statusCodes"] = args["error_codes"]
        config["errorRate"] = errors
    if "bandwidth_bytes_per_sec" in args:
        config["bandwidth"] = {"bytesPerSecond": args["bandwidth_bytes_per_sec"], "probability": 1.0}
    await session.run("set chaos config", "PUT", "/chaos", json=config, scoped=False)
    return as_map({"applied": True, "config": Deep(config)})


async def reset_chaos_stats(args: Args, session: Session) -> Text:
    await session.run("reset chaos stats", "POST", "/chaos/stats/reset", scoped=False)
    return as_map({"reset": True, "message": "chaos statistics counters reset to zero"})


async def get_stateful_faults(args: Args, session: Session) -> Text:
    return as_decoded(await session.run("get stateful fault stats", "GET", "/chaos/faults", scoped=False))


async def manage_circuit_breaker(args: Args, session: Session) -> Text:
    action, key = a.string(args, "action"), a.string(args, "key")
    if not action:
        raise ToolError("action is required (trip or reset)")
    if not key:
        raise ToolError('key is required (e.g., "0:0")')
    if action not in ("trip", "reset"):
        raise ToolError(f"invalid action: {action} (must be 'trip' or 'reset')")
    path = f"/chaos/circuit-breakers/{a.seg(key)}/{action}"
    await session.run(f"{action} circuit breaker", "POST", path, scoped=False)
    state = "OPEN" if action == "trip" else "CLOSED"
    done = "tripped" if action == "trip" else "reset"
    return as_map(
        GoMap(action=done, key=key, message=f'circuit breaker "{key}" manually {done} to {state} state')
    )
