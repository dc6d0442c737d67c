"""Typed exceptions for admin-API failures: a test can `except NotFoundError` instead of reading statuses.

Every error the server sends comes in one envelope, `{"error": "<snake_code>", "message": "<text>"}`
(reference §5.0); `MockdApiError` keeps both, plus the HTTP status and any extra keys (`conflicts`,
`details`). The subclass follows the status, the `code` says exactly what went wrong.
"""

from __future__ import annotations

import json
from typing import Any


class MockdError(Exception):
    """Base of everything the client raises (except `VerificationError`, an `AssertionError`)."""


class MockdConnectionError(MockdError):
    """The admin API could not be reached at all (server down, wrong port)."""


class MockdApiError(MockdError):
    """The server answered with an error: its `code` (snake_case slug) and `message`, as sent."""

    def __init__(self, status: int, code: str, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra or {}


class BadRequestError(MockdApiError):
    """400: invalid JSON, a mock that fails validation, missing criteria."""


class AuthenticationError(MockdApiError):
    """401: missing or wrong admin API key."""


class NotFoundError(MockdApiError):
    """404: no such mock, resource, item, request or route."""


class ConflictError(MockdApiError):
    """409: duplicate id, existing resource, port conflict."""


class ServerError(MockdApiError):
    """5xx: the server failed (or has no engine attached)."""


_BY_STATUS: dict[int, type[MockdApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    404: NotFoundError,
    409: ConflictError,
}


def api_error(status: int, body: bytes) -> MockdApiError:
    """The typed exception for one error reply. A reply outside the envelope (Go's plain-text 404/405 for an
    unknown route) keeps its text as the message, with code `http_<status>`."""
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else MockdApiError)
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        extra = {k: v for k, v in data.items() if k not in ("error", "message")}
        return cls(status, data["error"], str(data.get("message", "")), extra)
    return cls(status, f"http_{status}", body.decode("utf-8", "replace").strip())


class VerificationError(AssertionError):
    """`verify()` failed: an `AssertionError`, so pytest shows it as a failed assertion, with the expected
    count, the actual count and the mock's last invocations in the message."""

    def __init__(
        self, message: str, *, mock_id: str, expected: str, actual: int, invocations: list[Any]
    ) -> None:
        super().__init__(message)
        self.mock_id = mock_id
        self.expected = expected
        self.actual = actual
        self.invocations = invocations
