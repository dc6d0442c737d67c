"""Where the mock port hands a request to chaos (the faults themselves live in `mockd.chaos`).

`MockApp` calls `serve` only for a request the injector picked faults for; every other request pays one
attribute read (no chaos) or one `select` (chaos configured). Beyond the Go tool, a faulted request still
counts for verification and is logged, with the fault it got (`chaosFault` in `/requests`) and the status the
client saw: faults that answer in the mock's place (error, timeout, reset, empty response, a rejecting
circuit breaker or retry-after, a degraded error) match the request without running its mock, so a fault never
has the mock's side effects (a stateful create, say); the others run the mock and reshape its reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, Any, Protocol

from mockd.chaos import wire
from mockd.chaos.injector import MATCH_FIRST, Fault, Reply, error_reply
from mockd.runtime.body import BODYLESS, BodyTooLarge, read_body
from mockd.runtime.cors import add_cors

if TYPE_CHECKING:
    from mockd.runtime.cors import CorsPolicy
    from mockd.runtime.world import Runtime


class MockApp(Protocol):
    """What chaos needs of the mock port's app (runtime.app.MockApp, which imports this module): its
    runtime, its CORS policy, and the app itself to run the mock behind a fault."""

    rt: Runtime
    _cors: CorsPolicy | None

    async def __rsgi__(self, scope: Any, proto: Any) -> None: ...


_RESET = 0  # the status logged for a connection reset: the client never saw one (omitted in /requests)
_EMPTY: Reply = (200, [], b"")


class ChaosScope:
    """The request's RSGI scope, plus the fault it got (read by the request log)."""

    __slots__ = ("_scope", "chaos_fault", "chaos_status")

    def __init__(self, scope: Any, fault: str) -> None:
        self._scope = scope
        self.chaos_fault = fault
        self.chaos_status: int | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._scope, name)


def describe(faults: list[Fault]) -> str:
    return ",".join(f.kind for f in faults)


async def serve(app: MockApp, faults: list[Fault], scope: Any, proto: Any, started: float) -> None:
    rt = app.rt
    body: bytes | None = None
    if faults is MATCH_FIRST:  # `mockId` rules: select once the matched mock is known
        try:
            body = await read_body(proto, scope.headers, scope.method)
        except BodyTooLarge as exc:  # the mock port's 413, outside chaos
            await app.__rsgi__(ChaosScope(scope, ""), wire.ReplayProto(proto, b"", exc))
            return
        chosen = _select_by_mock(app, scope, body)
        if chosen is None:
            await app.__rsgi__(ChaosScope(scope, ""), wire.ReplayProto(proto, body))
            return
        faults = chosen
    cscope = ChaosScope(scope, describe(faults))
    short: Reply | None = None
    reset = gone = False
    writers: list[Fault] = []
    rt.chaos_in_flight += 1
    try:
        for fault in faults:
            kind = fault.kind
            if kind == "latency":
                if not await _hold(proto, fault.args[0]):
                    gone = True  # the client went away: nothing to answer
                    break
            elif kind == "progressive_degradation":
                delay, reply = fault.args
                if not await _hold(proto, delay):
                    gone = True
                    break
                if reply is not None:
                    short = reply
                    break
            elif kind in ("circuit_breaker", "retry_after"):
                if fault.args[0] is not None:
                    short = fault.args[0]
                    break
            elif kind == "error":
                short = error_reply(fault.args[0])
                break
            elif kind == "timeout":
                if not await _hold(proto, fault.args[0]):  # held by the event loop, not a worker
                    gone = True
                    break
                short = error_reply(504)
                break
            elif kind == "empty_response":
                short = _EMPTY
                break
            elif kind == "connection_reset":
                reset = True
                break
            elif kind in wire.WRITER_KINDS:
                writers.append(fault)
    finally:
        rt.chaos_in_flight -= 1
    if gone:  # still counted and logged (status 0: the client saw none), so verification stays exact
        await _account(app, cscope, proto, started, 0, body)
        return
    if short is None and not reset:
        capture = wire.CaptureProto(proto, body)
        await app.__rsgi__(cscope, capture)  # the mock answers into the capture and logs itself
        reply = capture.reply()
        cscope.chaos_status = reply[0]
        with contextlib.suppress(Exception):  # the client may have gone while the body trickled
            await wire.deliver(proto, reply, writers, scope.method == "HEAD")
        return
    await _account(app, cscope, proto, started, _RESET if reset else short[0], body)  # type: ignore[index]
    if reset:
        wire.reset(scope, proto)
        return
    assert short is not None
    cors = app._cors
    if cors is not None:
        allowed = cors.headers_for(scope.headers.get("origin"))
        if allowed is not None:
            short = (short[0], add_cors(short[1], allowed), short[2])
    with contextlib.suppress(Exception):
        await wire.deliver(proto, short, writers, scope.method == "HEAD")


async def _hold(proto: Any, seconds: float) -> bool:
    """Sleep `seconds` on the event loop; False as soon as the client disconnects instead."""
    if seconds <= 0:
        return True

    async def disconnected() -> None:
        # a coroutine, so asyncio gets a real Task (Granian's awaitable misbehaves once cancelled)
        await proto.client_disconnect()

    sleeper = asyncio.ensure_future(asyncio.sleep(seconds))
    watcher = asyncio.ensure_future(disconnected())
    try:
        await asyncio.wait((sleeper, watcher), return_when=asyncio.FIRST_COMPLETED)
    finally:
        sleeper.cancel()
        watcher.cancel()
    return not watcher.done() or watcher.cancelled()


async def _read(proto: Any, scope: Any) -> bytes:
    method, headers = scope.method, scope.headers
    length = headers.get("content-length")
    if length == "0" or (length is None and method in BODYLESS and "transfer-encoding" not in headers):
        return b""
    try:
        return await read_body(proto, headers, method)
    except Exception:  # too large, or the client is gone: match and log with what we have
        return b""


def _match(app: MockApp, scope: Any, body: bytes) -> Any:
    """The target the request matches (as the mock port would pick it), or None."""
    table = app.rt.store.table
    headers = scope.headers
    names = table.header_names
    values = [headers.get(n) for n in names] if names else None
    # Uncounted: the request is logged with its fault (`_account`) or served by the app, which counts it.
    hit = table.matcher.find_uncounted(scope.method, scope.path, scope.query_string, values, body)
    return table.targets[hit] if hit is not None else None


def _select_by_mock(app: MockApp, scope: Any, body: bytes) -> list[Fault] | None:
    chaos = app.rt.chaos
    if chaos is None:
        return None
    target = _match(app, scope, body)
    return chaos.select_for(scope.method, scope.path, target.log_id if target is not None else None)


async def _account(
    app: MockApp, cscope: ChaosScope, proto: Any, started: float, status: int, body: bytes | None = None
) -> None:
    """Match the request and count it for its mock, as if served, then log it with the fault."""
    if body is None:
        body = await _read(proto, cscope)
    target = _match(app, cscope, body)
    log_id = ""
    if target is not None:
        counter = target.counter
        if counter is not None:
            counter.count += 1
            counter.last = started
        log_id = target.log_id
    cscope.chaos_status = status
    app.rt.journal.record(started, cscope, body, log_id, status, int((time.time() - started) * 1000))
