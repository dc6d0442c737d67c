"""`verify_mock`, `get_mock_invocations`, `reset_verification` over `/mocks/{id}/…` and `/verify`.

Verification is evaluated here from the server's call count (`GET /mocks/{id}/verify`), so the counting rules
are the server's: only requests a mock answered count (reference §0.1).
"""

from __future__ import annotations

from typing import Any

from mockd.mcp import args as a
from mockd.mcp.args import Args
from mockd.mcp.results import Deep, Text, as_decoded, as_map
from mockd.mcp.session import AdminFailure, Session, ToolError


def _need_id(args: Args) -> str:
    mock_id = a.string(args, "id")
    if not mock_id:
        raise ToolError("id is required")
    return mock_id


async def _mock_call(session: Session, what: str, method: str, path: str, mock_id: str) -> Any:
    """An admin call about one mock: unreachable says so, any other failure is "mock not found"."""
    try:
        return await session.call(method, path, scoped=False)
    except AdminFailure as exc:
        if exc.unreachable:
            raise ToolError(f"failed to {what}: {exc.message}") from None
        raise ToolError(f"mock not found: {mock_id}") from None


async def verify_mock(args: Args, session: Session) -> Text:
    mock_id = _need_id(args)
    reply = await _mock_call(session, "verify mock", "GET", f"/mocks/{a.seg(mock_id)}/verify", mock_id)
    actual = reply.get("callCount", 0) if isinstance(reply, dict) else 0
    verified = True
    expected: dict[str, int] = {}
    for arg, key, passes in (
        ("expected_count", "exactCount", lambda n: actual == n),
        ("at_least", "atLeast", lambda n: actual >= n),
        ("at_most", "atMost", lambda n: actual <= n),
    ):
        if arg in args:
            wanted = a.integer(args, arg, 0)
            expected[key] = wanted
            verified = verified and passes(wanted)
    result: dict[str, Any] = {"mockId": mock_id, "verified": verified, "actualCount": actual}
    if expected:
        result["expected"] = Deep(expected)
    if isinstance(reply, dict) and "invocations" in reply:
        result["invocations"] = Deep(reply["invocations"])
    return as_map(result)


async def get_mock_invocations(args: Args, session: Session) -> Text:
    mock_id = _need_id(args)
    limit = a.integer(args, "limit", 50)
    path = f"/mocks/{a.seg(mock_id)}/invocations"
    reply = await _mock_call(session, "get invocations", "GET", path, mock_id)
    invocations = reply.get("invocations") if isinstance(reply, dict) else None
    if isinstance(invocations, list) and len(invocations) > limit:
        reply |= {
            "invocations": invocations[: max(limit, 0)],
            "truncated": True,
            "totalCount": len(invocations),
        }
    return as_decoded(reply)


async def reset_verification(args: Args, session: Session) -> Text:
    mock_id = a.string(args, "id")
    if mock_id:
        path = f"/mocks/{a.seg(mock_id)}/invocations"
        await _mock_call(session, "reset verification", "DELETE", path, mock_id)
        return as_map({"reset": True, "mockId": mock_id})
    await session.run("reset verification", "DELETE", "/verify", scoped=False)
    return as_map({"reset": True, "scope": "all", "message": "verification data cleared for all mocks"})
