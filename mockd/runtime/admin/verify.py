"""Verification (reference §5.3, design D4): call counts, assertions, invocations, resets.

Counts come from the per-mock counters the mock port bumps on every matched request, never from the request
log, so they are exact however many calls were made (the Go tool counts matches among its newest 100 log
entries: `exactly 150` fails there after 150 calls). Invocation lists come from the log, so they hold what the
log still retains; their `total` is the counter, the true number of calls.

Every per-mock route first checks that the mock exists (404 `Mock not found`, capital M as in Go).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockd.gocompat.timefmt import rfc3339_nano_local
from mockd.runtime.admin.http import AdminError, AdminRequest, Response, decode_model, go_atoi, reply
from mockd.runtime.admin.models import (
    Cleared,
    Invocation,
    InvocationList,
    InvocationsCleared,
    MockVerification,
    VerifyCriteria,
    VerifyResult,
)
from mockd.runtime.admin.requestlog import first_values, protocol_detail

if TYPE_CHECKING:
    from mockd.runtime.admin.router import Handler, Router
    from mockd.runtime.journal import Journal
    from mockd.runtime.world import Runtime


def evaluate(criteria: VerifyCriteria, actual: int) -> VerifyResult:
    """The Go tool's rules and sentences: `never: true` first, then `exactly` alone, else `atLeast`/`atMost`
    combined. Callers have already refused a body without any criterion."""
    if criteria.never:
        if actual:
            return VerifyResult(
                passed=False,
                actual=actual,
                expected="never (0 times)",
                message=f"Expected mock to never be called, but it was called {actual} time(s)",
            )
        return VerifyResult(
            passed=True,
            actual=actual,
            expected="never (0 times)",
            message="Mock was never called as expected",
        )
    if criteria.exactly is not None:
        k = criteria.exactly
        if actual != k:
            return VerifyResult(
                passed=False,
                actual=actual,
                expected=f"exactly {k} time(s)",
                message=f"Expected mock to be called exactly {k} time(s), but it was called {actual} time(s)",
            )
        return VerifyResult(
            passed=True,
            actual=actual,
            expected=f"exactly {k} time(s)",
            message=f"Mock was called exactly {k} time(s) as expected",
        )
    expectations: list[str] = []
    failures: list[str] = []
    if criteria.atLeast is not None:
        expectations.append(f"at least {criteria.atLeast} time(s)")
        if actual < criteria.atLeast:
            failures.append(f"expected at least {criteria.atLeast} call(s) but got {actual}")
    if criteria.atMost is not None:
        expectations.append(f"at most {criteria.atMost} time(s)")
        if actual > criteria.atMost:
            failures.append(f"expected at most {criteria.atMost} call(s) but got {actual}")
    if failures:
        message = "Verification failed: " + "; ".join(failures)
    else:
        message = f"Mock was called {actual} time(s), matching expectations"
    expected = " and ".join(expectations)
    return VerifyResult(passed=not failures, actual=actual, expected=expected, message=message)


def existing(req: AdminRequest) -> str:
    store = req.rt.store
    mock_id = req.params["id"]
    if mock_id not in store:
        raise AdminError(404, "not_found", "Mock not found")
    return mock_id


def count(journal: Journal, mock_id: str) -> tuple[int, float]:
    counter = journal.peek(mock_id)
    return (counter.count, counter.last) if counter is not None else (0, 0.0)


async def get_verification(req: AdminRequest) -> Response:
    mock_id = existing(req)
    calls, last = count(req.rt.journal, mock_id)
    return reply(
        MockVerification(
            mockId=mock_id, callCount=calls, lastCalledAt=rfc3339_nano_local(last) if calls else None
        )
    )


async def verify(req: AdminRequest) -> Response:
    mock_id = existing(req)  # Go looks the mock up before it reads the body
    criteria = decode_model(VerifyCriteria, req.json())
    if criteria.is_empty():
        raise AdminError(
            400,
            "missing_criteria",
            "At least one verification criterion is required (atLeast, atMost, exactly, or never)",
        )
    return reply(evaluate(criteria, count(req.rt.journal, mock_id)[0]))


async def invocations(req: AdminRequest) -> Response:
    journal = req.rt.journal
    mock_id = existing(req)
    # Go ignores a limit that is not a positive integer and an offset that is negative or not a number.
    limit = go_atoi(req.arg("limit")) or 0
    offset = max(go_atoi(req.arg("offset")) or 0, 0)
    entries = journal.entries_for(mock_id)
    total = count(journal, mock_id)[0]
    page = entries[offset:] if offset else entries
    if limit > 0:
        page = page[:limit]
    items = []
    for e in page:
        items.append(
            Invocation(
                id=e.id,
                timestamp=rfc3339_nano_local(e.timestamp),
                method=e.method,
                path=e.path,
                headers=first_values(e),
                body=e.body.decode("utf-8", "replace"),
                **{k: v for k, v in protocol_detail(e).items() if k in ("graphql", "soap", "websocket")},
            )
        )
    return reply(InvocationList(invocations=items, count=len(items), total=total))


async def clear_invocations(req: AdminRequest) -> Response:
    journal = req.rt.journal
    mock_id = existing(req)
    return reply(InvocationsCleared(cleared=journal.clear_mock(mock_id), mockId=mock_id))


async def clear_all(req: AdminRequest) -> Response:
    journal = req.rt.journal
    return reply(Cleared(cleared=journal.clear(), message="All verification data cleared"))


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/mocks/{id}/verify", get_verification),
    ("POST", "/mocks/{id}/verify", verify),
    ("GET", "/mocks/{id}/invocations", invocations),
    ("DELETE", "/mocks/{id}/invocations", clear_invocations),
    ("DELETE", "/verify", clear_all),
]


def register(router: Router, rt: Runtime) -> None:
    """Mount `ROUTES` (handlers reach the runtime through `req.rt`, so each can be read and tested alone)."""
    for method, pattern, handler in ROUTES:
        router.add(method, pattern, handler)
