"""Request and response types for the admin API, with the Go tool's error envelope and JSON handling.

Bodies are decoded as Go's `json.NewDecoder(r.Body).Decode` reads them: the first JSON value, anything after
it ignored, Go's grammar (no NaN, no comments), and any failure answered 400 `invalid_json` without the
decoder's detail. Query values are read as Go's `strconv` reads them (`go_atoi`, `go_parse_bool`), so
`limit=+5` is 5 and `limit=5.0` is ignored, exactly as the Go tool does.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qs

from pydantic import BaseModel, ValidationError

from mockd.gocompat import gojson, jsonscan
from mockd.gocompat.positions import PosTree
from mockd.runtime.admin.models import ErrorReply, GoModel, fold_keys

if TYPE_CHECKING:
    from mockd.runtime.world import Runtime

M = TypeVar("M", bound=BaseModel)

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


def reply(model: GoModel, status: int = 200) -> Response:
    """A reply serialised through its model (admin/models.py): Go's field order and omissions."""
    return Response(status, model.go_json(), [JSON_CT])


def error_response(status: int, code: str, message: str, **extra: Any) -> Response:
    return reply(ErrorReply(error=code, message=message, **extra), status)


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

    def arg(self, name: str, default: str = "") -> str:
        """First value of a query parameter, as Go's `r.URL.Query().Get` ("" when absent)."""
        values = self.query.get(name)
        return values[0] if values else default

    def has_arg(self, name: str) -> bool:
        """Go's `r.URL.Query().Has`: present, even with an empty value."""
        return name in self.query

    def json(self) -> Any:
        """The body's first JSON value (Go's `Decoder.Decode`); malformed or empty: 400 `invalid_json`."""
        return decode_json(self.body)

    def text(self) -> str:
        """The body as text; invalid UTF-8 becomes U+FFFD, as Go's decoder reads it."""
        return self.body.decode("utf-8", "replace")


def decode_json(body: bytes | str) -> Any:
    """Go's `json.NewDecoder(...).Decode(&v)`: the first value, trailing bytes ignored, `invalid_json` on
    any syntax error or an empty body."""
    value, _ = decode_json_with_positions(body)
    return value


def decode_json_with_positions(body: bytes | str) -> tuple[Any, PosTree]:
    """As `decode_json`, plus where each value is, so a value's raw text can be handed on (mock bodies
    keep their source text)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        return jsonscan.scan(text, allow_trailing=True)
    except jsonscan.JsonSyntaxError:
        raise invalid_json() from None


def decode_model(cls: type[M], value: Any) -> M:
    """Decoded JSON read into `cls` as Go's decoder fills a struct (keys case-insensitive, unknown keys
    ignored, a wrong type fails everything: 400 `invalid_json`). A JSON `null` body is the zero struct."""
    if value is None:
        return cls()
    if not isinstance(value, dict):
        raise invalid_json()
    try:
        return cls.model_validate(fold_keys(cls, value))
    except ValidationError:
        raise invalid_json() from None


_GO_INT = re.compile(r"[+-]?[0-9]+", re.ASCII)


def go_atoi(text: str) -> int | None:
    """Go's `strconv.Atoi` on a 64-bit platform: None where Go returns an error."""
    if not _GO_INT.fullmatch(text) or len(text.lstrip("+-").lstrip("0")) > 19:
        return None  # past int64's 19 digits; and never a 4300-digit int(), which Python refuses
    n = int(text)
    return n if -(2**63) <= n < 2**63 else None


_GO_BOOLS = {
    **dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
    **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False),
}


def go_parse_bool(text: str) -> bool | None:
    """Go's `strconv.ParseBool`: None where Go returns an error."""
    return _GO_BOOLS.get(text)
