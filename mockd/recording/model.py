"""One recorded exchange, and its JSON form: the Go tool's recording shape (operations reference §2.4).

`{"id","sessionId","timestamp","request":{"method","url","path","host","scheme","headers","body"?},
"response":{"statusCode","statusText","headers","body"?},"duration"}`: bodies base64 (Go `[]byte`), header
names canonical with every value in a list, `statusText` with the code, `duration` in nanoseconds. So an
export from here loads in the Go tool and the other way round.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from mockd.gocompat.timefmt import rfc3339_nano_utc


@dataclass(slots=True)
class Exchange:
    """What a forwarder saw, before redaction: header pairs as they came, bodies as bytes."""

    started: float  # epoch seconds
    duration_ns: int
    method: str
    url: str
    path: str
    query: str
    host: str
    scheme: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    response_headers: list[tuple[str, str]]
    response_body: bytes


def canonical(name: str) -> str:
    """Go's CanonicalMIMEHeaderKey for ordinary names: `content-type` -> `Content-Type`."""
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-"))


def header_map(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in pairs:
        out.setdefault(canonical(name), []).append(value)
    return out


def status_text(code: int) -> str:
    """Go's `resp.Status`: `200 OK`; an unknown code keeps just the number and a space, as Go does."""
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"{code} "


@dataclass(slots=True)
class Recording:
    id: str
    session_id: str
    timestamp: str
    method: str
    url: str
    path: str
    host: str
    scheme: str
    request_headers: dict[str, list[str]]
    request_body: bytes
    status: int
    status_text: str
    response_headers: dict[str, list[str]]
    response_body: bytes
    duration_ns: int
    extra: dict[str, Any] = field(default_factory=dict)  # keys of a loaded file this version does not know

    @property
    def query(self) -> str:
        return self.url.split("?", 1)[1] if "?" in self.url else ""

    @classmethod
    def from_exchange(cls, ex: Exchange, session_id: str) -> Recording:
        return cls(
            id=new_id(),
            session_id=session_id,
            timestamp=rfc3339_nano_utc(ex.started),
            method=ex.method,
            url=ex.url,
            path=ex.path,
            host=ex.host,
            scheme=ex.scheme,
            request_headers=header_map(ex.request_headers),
            request_body=ex.request_body,
            status=ex.status,
            status_text=status_text(ex.status),
            response_headers=header_map(ex.response_headers),
            response_body=ex.response_body,
            duration_ns=ex.duration_ns,
        )

    def to_json(self) -> dict[str, Any]:
        request: dict[str, Any] = {
            "method": self.method, "url": self.url, "path": self.path, "host": self.host,
            "scheme": self.scheme, "headers": self.request_headers,
        }  # fmt: skip
        if self.request_body:
            request["body"] = base64.b64encode(self.request_body).decode()
        response: dict[str, Any] = {
            "statusCode": self.status, "statusText": self.status_text, "headers": self.response_headers,
        }  # fmt: skip
        if self.response_body:
            response["body"] = base64.b64encode(self.response_body).decode()
        return {
            "id": self.id, "sessionId": self.session_id, "timestamp": self.timestamp, "request": request,
            "response": response, "duration": self.duration_ns, **self.extra,
        }  # fmt: skip

    @classmethod
    def from_json(cls, value: Any, where: str) -> Recording:
        """A recording read from a file (an export, or a Go proxy session); RecordingFormatError names what
        is wrong and where."""
        if not isinstance(value, dict):
            raise RecordingFormatError(f"{where}: expected a recording object, got {_kind(value)}")
        req = _obj(value, "request", where)
        resp = _obj(value, "response", where)
        known = {"id", "sessionId", "timestamp", "request", "response", "duration"}
        status = resp.get("statusCode", 200)
        if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 999:
            raise RecordingFormatError(
                f"{where}: response.statusCode: expected a status code, got {status!r}"
            )
        return cls(
            id=_str(value, "id", where) or new_id(),
            session_id=_str(value, "sessionId", where),
            timestamp=_str(value, "timestamp", where),
            method=_str(req, "method", where + ": request") or "GET",
            url=_str(req, "url", where + ": request"),
            path=_str(req, "path", where + ": request") or "/",
            host=_str(req, "host", where + ": request"),
            scheme=_str(req, "scheme", where + ": request"),
            request_headers=_headers(req, where + ": request"),
            request_body=_body(req, where + ": request"),
            status=status,
            status_text=_str(resp, "statusText", where + ": response") or status_text(status),
            response_headers=_headers(resp, where + ": response"),
            response_body=_body(resp, where + ": response"),
            duration_ns=int(value.get("duration") or 0) if isinstance(value.get("duration"), int) else 0,
            extra={k: v for k, v in value.items() if k not in known},
        )


class RecordingFormatError(ValueError):
    """A recordings file is not in the recording shape; the message names the file and the field."""


def new_id() -> str:
    return secrets.token_hex(8)  # 16 hex digits, as the Go tool's recording ids


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    kinds = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    return kinds.get(type(value), "a number")


def _obj(value: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    got = value.get(key)
    if not isinstance(got, dict):
        raise RecordingFormatError(f"{where}: {key}: expected an object, got {_kind(got)}")
    return got


def _str(value: dict[str, Any], key: str, where: str) -> str:
    got = value.get(key, "")
    if got is None:
        return ""
    if not isinstance(got, str):
        raise RecordingFormatError(f"{where}: {key}: expected a string, got {_kind(got)}")
    return got


def _headers(value: dict[str, Any], where: str) -> dict[str, list[str]]:
    got = value.get("headers") or {}
    if not isinstance(got, dict) or not all(
        isinstance(v, list) and all(isinstance(s, str) for s in v) for v in got.values()
    ):
        raise RecordingFormatError(f"{where}: headers: expected an object of string arrays")
    return {canonical(k): list(v) for k, v in got.items()}


def _body(value: dict[str, Any], where: str) -> bytes:
    got = value.get("body")
    if got in (None, ""):
        return b""
    if not isinstance(got, str):
        raise RecordingFormatError(f"{where}: body: expected a base64 string, got {_kind(got)}")
    try:
        return base64.b64decode(got, validate=True)
    except (binascii.Error, ValueError):
        raise RecordingFormatError(f"{where}: body: not valid base64") from None
