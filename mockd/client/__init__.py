"""A typed client for the mockd admin API, sync (`MockdClient`) and async (`AsyncMockdClient`), on httpx.

Replies are the server's own pydantic models, so client and server cannot disagree on a shape; errors are
`MockdApiError` subclasses carrying the server's code and message; `verify()` raises an `AssertionError`
showing the expected count, the actual count and the mock's last invocations.
"""

from mockd.client.aio import AsyncMockdClient
from mockd.client.calls import Call
from mockd.client.errors import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    MockdApiError,
    MockdConnectionError,
    MockdError,
    NotFoundError,
    ServerError,
    VerificationError,
)
from mockd.client.sync import MockdClient

__all__ = [
    "AsyncMockdClient",
    "AuthenticationError",
    "BadRequestError",
    "Call",
    "ConflictError",
    "MockdApiError",
    "MockdClient",
    "MockdConnectionError",
    "MockdError",
    "NotFoundError",
    "ServerError",
    "VerificationError",
]
