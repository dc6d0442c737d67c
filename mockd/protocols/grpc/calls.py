"""One gRPC call against one mock: decode, pick the config, wait, then answer or fail (protocols-reference
§4.3-4.4), and describe the call for the request log when it ends.

Messages travel as bytes through grpcio (no serializers registered) and are decoded here with the classes of
the mock's own descriptor pool, so every method of every `.proto` is served by the same four functions.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import grpc
import orjson
from google.protobuf import any_pb2, json_format
from google.rpc import error_details_pb2, status_pb2

from mockd.protocols.grpc.config import MethodConfig, select
from mockd.protocols.grpc.proto import Method
from mockd.templates import Context, compile_template

# `error.details` keys -> the google.rpc message each becomes (in `grpc-status-details-bin`).
DETAIL_TYPES: dict[str, Any] = {
    "bad_request": error_details_pb2.BadRequest,
    "error_info": error_details_pb2.ErrorInfo,
    "retry_info": error_details_pb2.RetryInfo,
    "debug_info": error_details_pb2.DebugInfo,
    "quota_failure": error_details_pb2.QuotaFailure,
    "precondition_failure": error_details_pb2.PreconditionFailure,
    "resource_info": error_details_pb2.ResourceInfo,
    "help": error_details_pb2.Help,
    "localized_message": error_details_pb2.LocalizedMessage,
}


class CallHeaders:
    """Metadata in the shape the request log reads headers (`items()`, `get()`)."""

    __slots__ = ("_pairs",)

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)

    def get(self, name: str, default: str | None = None) -> str | None:
        name = name.lower()
        return next((v for k, v in self._pairs if k == name), default)


@dataclass(slots=True)
class CallRecord:
    """A finished call, scope-like for the request log: `method` is the RPC method name and `path` is
    `/<service>/<method>`, as the Go tool logs them."""

    method: str
    path: str
    headers: CallHeaders
    client: str
    started: float
    body: bytes = b""
    code: int = 0
    code_name: str = "OK"
    message: str = ""
    response_body: str = ""
    query_string: str = ""
    protocol: str = "grpc"
    grpc: dict[str, Any] = field(default_factory=dict)

    @property
    def error(self) -> str:
        return self.message if self.code else ""


class CallFailed(Exception):
    """Ends a call with a non-OK status (and, maybe, google.rpc details)."""

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}


def metadata_of(context: grpc.aio.ServicerContext) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    grouped: dict[str, list[str]] = {}
    pairs: list[tuple[str, str]] = []
    for k, v in context.invocation_metadata() or ():
        text = v if isinstance(v, str) else v.hex()
        grouped.setdefault(k.lower(), []).append(text)
        pairs.append((k.lower(), text))
    return grouped, pairs


def _to_map(msg: Any) -> dict[str, Any]:
    # protojson's view: lowerCamelCase names, zero values absent, 64-bit integers as strings, enum names.
    return json_format.MessageToDict(msg)


def _render(value: Any, ctx: Context) -> Any:
    if isinstance(value, str):
        return compile_template(value).render(ctx) if "{{" in value else value
    if isinstance(value, dict):
        return {k: _render(v, ctx) for k, v in value.items()}
    if isinstance(value, list):
        return [_render(v, ctx) for v in value]
    return value


def _context(request: Any) -> Context:
    raw = orjson.dumps(request if request is not None else {})
    return Context(method="POST", header={"content-type": "application/json"}.get, raw_body=raw)


def _encode(method: Method, template: dict[str, Any] | None, request: Any) -> bytes:
    msg = method.response()
    if template:
        try:
            json_format.ParseDict(_render(template, _context(request)), msg)
        except (json_format.ParseError, TypeError, ValueError) as exc:
            raise CallFailed(
                "INTERNAL", f"failed to build response: failed to unmarshal response into proto: {exc}"
            ) from None
    return bytes(msg.SerializeToString())


def status_details(code: str, message: str, details: dict[str, Any]) -> bytes:
    """The serialised google.rpc.Status carrying `details` (unknown detail keys are skipped)."""
    st = status_pb2.Status(code=grpc.StatusCode[code].value[0], message=message)
    for key, value in details.items():
        cls = DETAIL_TYPES.get(key)
        if cls is None or not isinstance(value, dict):
            continue
        detail = cls()
        json_format.ParseDict(value, detail, ignore_unknown_fields=True)
        packed = any_pb2.Any()
        packed.Pack(detail)
        st.details.append(packed)
    return bytes(st.SerializeToString())


class Call:
    """The state of one call: what the log entry will say."""

    def __init__(self, service: str, method: Method, cfg: MethodConfig, context: Any) -> None:
        self.method = method
        self.cfg = cfg
        self.context = context
        self.metadata, pairs = metadata_of(context)
        peer = context.peer() or ""
        self.record = CallRecord(
            method=method.name,
            path=f"/{service}/{method.name}",
            headers=CallHeaders(pairs),
            client=peer.removeprefix("ipv4:").removeprefix("ipv6:"),
            started=time.time(),
        )
        self.record.grpc = {"service": service, "methodName": method.name, "streamType": method.kind}
        self.responses: list[str] = []

    def decode(self, data: bytes, what: str) -> dict[str, Any]:
        try:
            msg = self.method.request.FromString(data)
        except Exception as exc:  # the wire bytes are the client's: any parse failure is theirs
            raise CallFailed("INVALID_ARGUMENT", f"failed to {what} request: {exc}") from None
        return _to_map(msg)

    def choose(self, request: dict[str, Any] | None) -> MethodConfig:
        chosen = select(self.cfg, self.metadata, request)
        if chosen is None:
            raise CallFailed("UNIMPLEMENTED", f"no mock configured for {self.record.path[1:]}")
        return chosen

    async def wait(self, cfg: MethodConfig) -> None:
        if cfg.delay:
            await asyncio.sleep(cfg.delay)
        if cfg.error is not None:
            raise CallFailed(cfg.error.code, cfg.error.message, cfg.error.details)

    def encode(self, template: dict[str, Any] | None, request: Any) -> bytes:
        out = _encode(self.method, template, request)
        if len(self.responses) < 100:
            self.responses.append(orjson.dumps(template or {}).decode())
        return out

    async def fail(self, exc: CallFailed) -> None:
        self.record.code = grpc.StatusCode[exc.code].value[0]
        self.record.code_name = exc.code
        self.record.message = exc.message
        trailing: tuple[tuple[str, bytes], ...] = ()
        if exc.details:
            trailing = (("grpc-status-details-bin", status_details(exc.code, exc.message, exc.details)),)
        await self.context.abort(grpc.StatusCode[exc.code], exc.message, trailing_metadata=trailing)

    def finish(self, cancelled: bool = False) -> CallRecord:
        r = self.record
        if cancelled and not r.code:
            r.code, r.code_name, r.message = 1, "CANCELLED", "stream cancelled by client"
        r.response_body = self.responses[0] if len(self.responses) == 1 else (
            "[" + ",".join(self.responses) + "]" if self.responses else "")  # fmt: skip
        r.grpc["statusCode"] = r.code_name
        if r.message:
            r.grpc["statusMessage"] = r.message
        return r


async def unary(call: Call, data: bytes) -> bytes:
    request = call.decode(data, "decode")
    call.record.body = orjson.dumps(request)
    cfg = call.choose(request)
    await call.wait(cfg)
    return call.encode(cfg.response, request)


async def server_stream(call: Call, data: bytes) -> AsyncIterator[bytes]:
    request = call.decode(data, "decode")
    call.record.body = orjson.dumps(request)
    cfg = call.choose(request)
    await call.wait(cfg)
    messages = cfg.responses or ([cfg.response] if cfg.response is not None else [])
    for i, template in enumerate(messages):
        if i and cfg.stream_delay:
            await asyncio.sleep(cfg.stream_delay)
        yield call.encode(template, request)


async def client_stream(call: Call, requests: AsyncIterator[bytes]) -> bytes:
    received = [call.decode(data, "receive") async for data in requests]
    call.record.body = orjson.dumps(received)
    last = received[-1] if received else {}
    cfg = call.choose(last)
    await call.wait(cfg)
    return call.encode(cfg.response, last)


async def bidi(call: Call, requests: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    cfg = call.choose(None)
    await call.wait(cfg)
    if not cfg.responses:
        raise CallFailed("RESOURCE_EXHAUSTED", "no responses configured for bidirectional stream")
    received = []
    async for data in requests:
        request = call.decode(data, "receive")
        received.append(request)
        template = cfg.responses[min(len(received) - 1, len(cfg.responses) - 1)]
        yield call.encode(template, request)
        if cfg.stream_delay:
            await asyncio.sleep(cfg.stream_delay)
    call.record.body = orjson.dumps(received)
