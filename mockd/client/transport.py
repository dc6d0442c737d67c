"""What the sync and async clients share: turning a `Call` into httpx arguments, a reply into its value
or a typed error, and a failed verification into its assertion message."""

from __future__ import annotations

import json
from typing import Any, TypeVar

import httpx

from mockd.client.calls import Call, Reply
from mockd.client.errors import MockdConnectionError, VerificationError, api_error
from mockd.runtime.admin.models import Invocation, VerifyResult

T = TypeVar("T")
DEFAULT_TIMEOUT = 30.0
# How many of the mock's newest invocations a failed verify() shows.
SHOWN_INVOCATIONS = 5


def headers(api_key: str | None) -> dict[str, str]:
    out = {"Accept": "application/json"}
    if api_key:
        out["X-API-Key"] = api_key
    return out


def request_args(call: Call[Any]) -> dict[str, Any]:
    args: dict[str, Any] = {"params": call.params or None, "headers": call.headers or None}
    if call.json is not None:
        args["json"] = call.json
    elif call.content is not None:
        args["content"] = call.content
    return args


def read(call: Call[T], response: httpx.Response) -> T:
    """The call's value for a 2xx reply; the typed `MockdApiError` for anything else."""
    if not 200 <= response.status_code < 300:
        raise api_error(response.status_code, response.content)
    body = response.content
    value = json.loads(body) if body.strip() else None
    return call.parse(Reply(response.status_code, body, value))


def unreachable(base_url: str, err: httpx.TransportError) -> MockdConnectionError:
    return MockdConnectionError(f"cannot reach the mockd admin API at {base_url}: {err}")


def verification_failed(mock_id: str, result: VerifyResult, recent: list[Invocation]) -> VerificationError:
    """Expected, actual and what did reach the mock, newest first: enough to see why without a debugger."""
    expected = result.expected or "(no criterion)"
    lines = [f"mock {mock_id!r}: expected {expected}, was called {result.actual} time(s)"]
    if result.message:
        lines.append(f"  server: {result.message}")
    if recent:
        lines.append(f"  last {len(recent)} invocation(s), newest first:")
        for inv in recent:
            body = f" body={inv.body[:200]!r}" if inv.body else ""
            lines.append(f"    {inv.timestamp} {inv.method} {inv.path}{body}")
    else:
        lines.append("  no invocations recorded")
    return VerificationError(
        "\n".join(lines), mock_id=mock_id, expected=result.expected, actual=result.actual, invocations=recent
    )
