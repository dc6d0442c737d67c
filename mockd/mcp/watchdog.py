"""Keep the server a stdio session acts on alive (reference §8.1): check its `/health` every 10 s and, after
three failures in a row, start it again with the arguments it was (or would have been) started with.

Only for a server `mockd mcp` found or started itself: one named with `--admin-url` is never started.
`MOCKD_MCP_HEALTH_INTERVAL` (seconds) changes the period, for tests.
"""

from __future__ import annotations

import logging
import os

import anyio
import httpx

from mockd.mcp.target import start_server

log = logging.getLogger("mockd.mcp")
INTERVAL = 10.0
FAILURES = 3


def interval() -> float:
    try:
        return max(float(os.environ.get("MOCKD_MCP_HEALTH_INTERVAL", INTERVAL)), 0.05)
    except ValueError:
        return INTERVAL


async def watch(admin_url: str, start_args: list[str]) -> None:
    """Runs until cancelled (the session ended)."""
    failures = 0
    period = interval()
    async with httpx.AsyncClient(timeout=2.0) as http:
        while True:
            await anyio.sleep(period)
            try:
                ok = (await http.get(admin_url + "/health")).status_code == 200
            except httpx.HTTPError:
                ok = False
            failures = 0 if ok else failures + 1
            if failures >= FAILURES:
                log.warning("mockd at %s failed %d health checks; starting it again", admin_url, failures)
                await anyio.to_thread.run_sync(start_server, start_args)
                failures = 0
