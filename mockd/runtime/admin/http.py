"""Request and response types for the admin API, with the Go tool's error envelope and JSON encoding."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import orjson

from mockd.runtime import gojson

if TYPE_CHECKING:
    from mockd.runtime.context import Runtime

JSON_CT = ("content-type", "application/json")


@dataclass(slots=True)
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    stream: AsyncIterator[bytes] | None = None  # text/event-stream replies


def json_response(value: Any, status: int = 200, *, sort_keys: bool = False) -> Response:
    """A JSON reply as Go's streaming encoder writes it (HTML-escaped, trailing newline)."""
    return Response(status, gojson.encode(value, sort_keys=sort_keys), [JSON_CT])


def error_response(status: int, code: str, message: str, **extra: Any) -> Response:
    body: dict[str, Any] = {"error": code, "message": message}
    body.update(extra)
    return json_response(body, status)


def empty_response(status: int = 204) -> Response:
    return Response(status)


class AdminError(Exception):
    """Raised by handlers to answer with the error envelope `{"error": code, "message": ...}`."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra

    def response(self) -> Response:
        return error_response(self.status, self.code, self.message, **self.extra)


def invalid_json() -> AdminError:
    # The Go tool never echoes the decoder's detail.
    return AdminError(400, "invalid_json", "Invalid JSON in request body")


class AdminRequest:
    __slots__ = ("__dict__", "body", "client", "headers", "method", "params", "path", "query_string", "rt")

    def __init__(
        self, rt: Runtime, method: str, path: str, query_string: str, headers: Any, body: bytes, client: str,
    ) -> None:  # fmt: skip
        self.rt = rt
        self.method = method
        self.path = path
        self.query_string = query_string
        self.headers = headers
        self.body = body
        self.client = client
        self.params: dict[str, str] = {}

    @cached_property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(self.query_string, keep_blank_values=True)

    def arg(self, name: str, default: str | None = None) -> str | None:
        """First value of a query parameter, as Go's `r.URL.Query().Get`."""
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        """The body parsed as JSON; malformed or empty bodies answer 400 `invalid_json`."""
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            raise invalid_json() from None
