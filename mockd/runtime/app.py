"""The mock port's RSGI application: match, respond, record.

Hot path — change with care. Each extra microsecond of Python per request costs about 5% of throughput
(design §1), so a matched static request does: one read of the current route table, header values only for
the names some route tests, the body only when the request has one, one call into Rust (which also counts
the hit for /metrics), one counter bump, one pre-encoded response, one journal append.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, Any

from mockd.gocompat import gojson
from mockd.gocompat.timefmt import rfc3339_utc_seconds
from mockd.runtime import chaoshook, nearmiss
from mockd.runtime.body import BODYLESS, BodyIncomplete, BodyTooLarge, read_body
from mockd.runtime.cors import CorsProto
from mockd.runtime.hostcheck import HEADERS as HOST_HEADERS
from mockd.runtime.hostcheck import HTTP_1_0, MISSING_HOST
from mockd.runtime.nearmiss_search import NearMissSearch
from mockd.runtime.rusttasks import uses_rust_tasks, wait_for_mode
from mockd.runtime.targets import JSON_HEADERS, RequestView, UpgradeView

_ChaosScope = chaoshook.ChaosScope  # the scope of a request chaos already handled (no second selection)

if TYPE_CHECKING:
    from mockd.runtime.table import RouteTable
    from mockd.runtime.world import Runtime

_TOO_LARGE = gojson.marshal(
    {"error": "body_too_large", "message": "Request body exceeds maximum allowed size"}, sort_keys=True
)
_INCOMPLETE = gojson.marshal(
    {"error": "incomplete_body", "message": "Request body ended before it was complete"}, sort_keys=True
)
_INTERNAL = gojson.marshal(
    {"error": "internal_error", "message": "An internal error occurred"}, sort_keys=True
)


class MockApp:
    """RSGI app for port 4280. One instance per server; all state lives in the shared `Runtime`."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        # Bound once: attribute chains cost on every request.
        self._store = rt.store
        self._record = rt.journal.record
        self._log = rt.journal.log  # a static hit's entry: the matcher counted it for /metrics already
        self._cors = rt.cors
        # Every wait below goes through this: under Granian's Rust tasks it keeps their leak to one shared
        # object (rusttasks.py); under asyncio tasks it is the identity. A static GET never waits.
        # A server that runs this app must use the same task implementation (an asyncio Task refuses the
        # relay): servers built for it read `rust_tasks` rather than the options.
        self.rust_tasks = uses_rust_tasks(rt.options.task_impl)
        self._wait = wait_for_mode(rt.options.task_impl)
        self.near_misses = NearMissSearch()

    def close(self) -> None:
        self.near_misses.close()

    async def __rsgi__(self, scope: Any, proto: Any) -> None:
        if scope.proto == "ws":  # a WebSocket upgrade: never reaches the HTTP mocks (reference §0.2)
            await self._wait(self._upgrade(scope, proto))
            return
        started = time.time()
        table = self._store.table  # one snapshot per request: an admin swap never mixes tables
        method = scope.method
        path = scope.path
        chaos = self.rt.chaos  # None unless chaos is configured: the only cost to everyone else
        if (
            chaos is not None
            and scope.__class__ is not _ChaosScope
            and (method != "OPTIONS" or "access-control-request-method" not in scope.headers)
        ):  # CORS preflights bypass chaos, as the Go tool's CORS layer answers them first
            faults = chaos.select(method, path)
            if faults is not None:
                await self._wait(chaoshook.serve(self, faults, scope, proto, started))
                return
        headers = scope.headers
        if "host" not in headers and scope.http_version != HTTP_1_0:  # ~40 ns; see hostcheck.py
            proto.response_bytes(400, HOST_HEADERS, MISSING_HOST)  # as Go's net/http: never matched or logged
            return
        cors = self._cors
        if cors is not None:
            # One lookup for requests without an Origin; only allowed origins pay for the wrapper.
            allowed = cors.headers_for(headers.get("origin"))
            if allowed is not None:
                proto = CorsProto(proto, allowed)
        if (
            path.startswith("/__mockd/")
            and method != "OPTIONS"
            and self._internal(path, proto, table, started)
        ):
            return
        query = scope.query_string
        # Most requests carry no body: decide that inline, since even an empty coroutine costs ~0.25 µs.
        length = headers.get("content-length")
        try:
            if length == "0" or (
                length is None and method in BODYLESS and "transfer-encoding" not in headers
            ):
                body = b""
            else:
                body = await self._wait(read_body(proto, headers, method))
        except BodyTooLarge:
            proto.response_bytes(413, JSON_HEADERS, _TOO_LARGE)
            self._record(started, scope, b"", "", 413, 0)
            return
        except BodyIncomplete:  # issue 12: a fragment never matches or counts (docs/differences.md)
            with contextlib.suppress(Exception):  # usually the connection is already gone
                proto.response_bytes(400, JSON_HEADERS, _INCOMPLETE)
            self._record(started, scope, b"", "", 400, 0)
            return
        names = table.header_names
        values = [headers.get(n) for n in names] if names else None
        hit = table.matcher.find(method, path, query, values, body)  # an int: no tuple per request
        if hit is None:
            if method == "OPTIONS" and cors is not None:
                # CORS preflight, only when no OPTIONS mock matched (reference §3.10); never logged.
                status, extra = cors.preflight(headers.get("origin"))
                proto.response_empty(status, extra)
                return
            await self._wait(self._miss(scope, proto, table, started, method, path, query, values, body))
            return
        target = table.targets[hit]
        counter = target.counter
        if counter is not None:
            counter.count += 1  # exact: bumped on the loop thread with no await in between (D4)
            counter.last = started
        static = target.static
        if static is not None and not target.delay:
            proto.response_bytes(*static)
            self._log(started, scope, body, target.log_id, static[0], 0)  # well under a millisecond
            return
        try:
            if target.delay:
                rt = self.rt
                rt.delayed_in_flight += 1  # only delayed mocks pay for this gauge (/metrics shows it)
                try:
                    # never a blocked worker: a thousand delays hold no thread
                    await self._wait(asyncio.sleep(target.delay))
                finally:
                    rt.delayed_in_flight -= 1
            if static is not None:
                proto.response_bytes(*static)
                status = static[0]
            else:
                captures = table.matcher.captures(hit, path) if table.capturing[hit] else None
                req = RequestView(scope, method, path, query, headers, body, captures)
                status = await self._wait(target.respond(req, proto))
                scope = req.scope  # a protocol responder may have noted detail for the log on it
        except Exception:  # a responder bug must still answer and be logged, never drop the connection
            status = 500
            with contextlib.suppress(Exception):  # the client may be gone; nothing left to tell it then
                proto.response_bytes(500, JSON_HEADERS, _INTERNAL)
        self._record(started, scope, body, target.log_id, status, int((time.time() - started) * 1000))

    async def _upgrade(self, scope: Any, proto: Any) -> None:
        """A WebSocket mock at exactly this path, else 404 (protocols-reference §0.2). The connection is
        counted when it opens and logged once when it ends (status 101)."""
        target = self._store.table.upgrades.get(scope.path)
        if target is None:
            proto.close(404)
            return
        started = time.time()
        counter = target.counter

        def opened() -> None:  # counted once accepted, so verification sees an open connection
            if counter is not None:
                counter.count += 1
                counter.last = started

        view = UpgradeView(scope)
        try:
            status = await target.upgrade(view, proto, opened)
        except Exception:  # a responder bug closes the socket, never the server
            status = 500
            with contextlib.suppress(Exception):
                proto.close(500)
        if status != 0:
            self._record(started, view.scope, b"", target.log_id, status, int((time.time() - started) * 1000))

    def _internal(self, path: str, proto: Any, table: RouteTable, now: float) -> bool:
        """`/__mockd/health|ready`: always answered, never shadowed, never logged (reference §3.2)."""
        if path == "/__mockd/health":
            proto.response_bytes(200, JSON_HEADERS, _health_body(now))
            return True
        if path == "/__mockd/ready":
            proto.response_bytes(200, JSON_HEADERS, _ready_body(table))
            return True
        return False

    async def _miss(
        self, scope: Any, proto: Any, table: RouteTable, started: float, method: str, path: str, query: str,
        values: list[str | None] | None, body: bytes,
    ) -> None:  # fmt: skip
        """No mock matched: the /health and /ready fallbacks, else 404 `no_match` with near misses (searched
        off the loop for large tables: runtime/nearmiss_search.py)."""
        if path == "/health" or path == "/ready":
            out = _health_body(started) if path == "/health" else _ready_body(table)
            proto.response_bytes(200, JSON_HEADERS, out)
            self._record(started, scope, body, "__mockd:" + path[1:], 200, 0)
            return
        self.rt.journal.misses += 1
        fallback = self.rt.fallback
        if fallback is not None:  # issue 17: replay or passthrough answers instead of no_match
            status = await fallback.answer(scope, proto, method, path, query, body)
            if status:
                self._record(started, scope, body, "", status, int((time.time() - started) * 1000))
                return
        facts = await self.near_misses.find(table, method, path, query, values, body)
        near = nearmiss.compose(facts, table.infos)
        reply: dict = {"error": "no_match", "message": "No mock matched the request", "method": method}
        if near:
            reply["nearMisses"] = near
        reply["path"] = path  # keys in sorted order, as Go marshals a map
        proto.response_bytes(
            404,
            [("content-type", "application/json"), ("x-mockd-near-misses", str(len(near)))],
            gojson.marshal(reply),
        )
        self._record(
            started, scope, body, "", 404, int((time.time() - started) * 1000), nearmiss.summary(near) or None
        )


def _health_body(now: float) -> bytes:
    return gojson.encode({"status": "healthy", "timestamp": rfc3339_utc_seconds(now)})


def _ready_body(table: RouteTable) -> bytes:
    return gojson.encode(
        {"checks": {"mocks": {"count": table.mock_count, "status": "ok"}}, "status": "ready"}
    )
