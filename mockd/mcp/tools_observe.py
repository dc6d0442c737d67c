"""`get_server_status`, `get_request_logs`, `clear_request_logs`: what the server is doing (reference §8.3).

The status tool never fails on an unreachable server: it answers `reachable:false` with a hint, because it
is what an agent calls first when something does not connect.
"""

from __future__ import annotations

from typing import Any

from mockd import __version__
from mockd.mcp import args as a
from mockd.mcp.args import Args
from mockd.mcp.results import GoMap, Text, as_map, as_struct
from mockd.mcp.session import AdminFailure, Session

_PORT_FIELDS = ("port", "protocol", "component", "status")


async def get_server_status(args: Args, session: Session) -> Text:
    result: dict[str, Any] = {"version": __version__, "adminUrl": session.admin_url}
    try:
        await session.call("GET", "/health", scoped=False)
        result |= {"reachable": True, "healthy": True}
    except AdminFailure as exc:
        if exc.unreachable:
            result |= {"reachable": False, "healthy": False, "error": exc.message,
                       "hint": "Run 'mockd serve' to start the mockd server"}  # fmt: skip
            return as_map(result)
        result |= {"reachable": True, "healthy": False, "healthError": exc.message}
    try:
        stats = await session.call("GET", "/status", scoped=False)
        result |= {"uptime": stats.get("uptime", 0), "totalRequests": stats.get("requestCount", 0),
                   "mockCount": stats.get("mockCount", 0)}  # fmt: skip
    except AdminFailure:
        pass
    try:
        ports = (await session.call("GET", "/ports", scoped=False)).get("ports") or []
        result["ports"] = [_port(p) for p in ports]
    except AdminFailure:
        pass
    return Text(as_map(result).text)


def _port(info: dict[str, Any]) -> dict[str, Any]:
    out = {k: info.get(k, 0 if k == "port" else "") for k in _PORT_FIELDS}
    if info.get("tls"):
        out["tls"] = True
    return out


async def get_request_logs(args: Args, session: Session) -> Text:
    params = {"limit": str(a.integer(args, "limit", 100)), "offset": str(a.integer(args, "offset", 0))}
    for arg, query in (("protocol", "protocol"), ("method", "method"), ("pathPrefix", "path"),
                       ("mockId", "matched")):  # fmt: skip
        if value := a.string(args, arg):
            params[query] = value
    if a.boolean(args, "unmatchedOnly"):
        params["unmatchedOnly"] = "true"
    reply = await session.run("get logs", "GET", "/requests", params=params)
    return as_struct([_entry(e) for e in reply.get("requests") or []])


def _entry(log: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": log.get("id", ""),
        "method": log.get("method", ""),
        "path": log.get("path", ""),
        "status": log.get("statusCode", 0),
        "duration": f"{log.get('durationMs', 0)}ms",
        "timestamp": log.get("timestamp", ""),
    }
    if log.get("matchedMockId"):
        out["mockId"] = log["matchedMockId"]
    misses = []
    for nm in log.get("nearMisses") or []:
        miss = {"mockId": nm.get("mockId", "")}
        if nm.get("mockName"):
            miss["mockName"] = nm["mockName"]
        misses.append(
            miss | {"matchPercentage": nm.get("matchPercentage", 0), "reason": nm.get("reason", "")}
        )
    if misses:
        out["nearMisses"] = misses
    return out


async def clear_request_logs(args: Args, session: Session) -> Text:
    reply = await session.run("clear logs", "DELETE", "/requests", scoped=False)
    return as_map(GoMap(cleared=(reply or {}).get("cleared", 0)))
