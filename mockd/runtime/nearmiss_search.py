"""Where a 404's near-miss search runs (issue 12). Cold path: only after a miss.

`Matcher.explain` scores every route of the table (reference §3.6: no short-circuiting), about 0.15 µs a
route since it stopped building facts for routes that do not make the top 3: ~1.5 ms at 10,000 routes
(it was ~18 ms). Run on the event loop, that still lets a flood of unmatched requests delay every matched
one, so for a table of `OFFLOAD_ROUTES` or more it runs in one dedicated worker thread, with the GIL
released while Rust scores: the loop keeps serving, and near-miss work never takes more than that one
thread, however many 404s arrive. Smaller tables answer inline (a thread hop would cost more than it saves).

While `MAX_PENDING` searches are already waiting for that thread, a further 404 is answered at once without
`nearMisses` (its `X-Mockd-Near-Misses` header says 0), and a warning is logged once per backlog: the body
of a 404 is diagnostics, and holding a request (and its body) per queued search is not worth it.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mockd._native import NearMissFact
    from mockd.runtime.table import RouteTable

log = logging.getLogger("mockd")

OFFLOAD_ROUTES = 1000
MAX_PENDING = 64
LIMIT = 3  # near misses in a 404 body (reference §3.6)


class NearMissSearch:
    """One per mock-port app. `find` is called on the loop thread only, so `_pending` needs no lock."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._pending = 0
        self._warned = False

    async def find(
        self, table: RouteTable, method: str, path: str, query: str, values: list[str | None] | None,
        body: bytes,
    ) -> list[NearMissFact]:  # fmt: skip
        matcher = table.matcher
        if len(matcher) < OFFLOAD_ROUTES:
            return matcher.explain(method, path, query, values, body, LIMIT)
        if self._pending >= MAX_PENDING:
            if not self._warned:
                self._warned = True
                log.warning(
                    "%d near-miss searches are waiting: 404s are answered without nearMisses until they "
                    "catch up", self._pending,
                )  # fmt: skip
            return []
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mockd-nearmiss")
        self._pending += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self._pool, matcher.explain, method, path, query, values, body, LIMIT
            )
        finally:
            self._pending -= 1
            if self._pending == 0:
                self._warned = False

    def close(self) -> None:
        """Let the worker thread end (a search in progress finishes first: it takes milliseconds)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False)
