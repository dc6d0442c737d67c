"""The request log over the admin API (reference §3.11, §5.4): list with filters, get one, clear, live stream.

Entries are formatted here, when someone reads them: the hot path only stored references (journal.py).
Header names are shown as Go's `net/http` shows them (canonical `Content-Type` form, `Host` and
`Transfer-Encoding` not among them), multiple values kept in order.

`GET /requests/stream` pushes every entry recorded after the client connected, in order, as it is recorded:
the Go tool polls its newest 10 entries every 500 ms and can skip or repeat some. A client that falls behind
by more than its queue's bounds (journal.STREAM_QUEUE_LIMIT entries, STREAM_QUEUE_BYTES bytes) loses the
oldest unsent entries and is told how many in a `dropped` event. The stream ends when the client goes away
or the server shuts down.

`?maxPerSecond=N` (ours, issue 22: the dashboard's traffic view) caps the stream at N `request` frames in each
one-second window. Entries past the cap are counted, never formatted, and the count is sent in a `sampled`
event at most once a second, so a reader that only wants a sample of a flood does not make the server
encode it all on the loop that also serves the mock port.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from mockd.gocompat import gojson
from mockd.gocompat.timefmt import rfc3339_nano_local
from mockd.protocols.mqtt.config import matches as topic_matches
from mockd.runtime.admin.http import AdminError, AdminRequest, Response, go_atoi, go_parse_bool, reply
from mockd.runtime.admin.models import Cleared, NearMissSummary, RequestList, RequestLogEntry

if TYPE_CHECKING:
    from mockd.runtime.admin.router import Handler, Router
    from mockd.runtime.journal import Journal, LogEntry
    from mockd.runtime.world import Runtime

DEFAULT_LIMIT = 100  # the Go engine's default page
# Filters for connection metadata no entry here carries: any of them matches nothing.
_OTHER_PROTOCOL_FILTERS = ("sseConnectionId",)
# Written with Fprintf by the Go tool, not by its JSON encoder: note the space after the colon.
CONNECTED_FRAME = b'event: connected\ndata: {"message": "Connected to request stream"}\n\n'
_HIDDEN_HEADERS = frozenset(("host", "transfer-encoding"))  # not in Go's `r.Header`


def canonical_header_key(name: str) -> str:
    """Go's `textproto.CanonicalMIMEHeaderKey`: `content-type` -> `Content-Type`; names with characters
    outside the token set are returned unchanged."""
    if not name or any(not (c.isascii() and (c.isalnum() or c in "!#$%&'*+-.^_`|~")) for c in name):
        return name
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-"))


def grouped_headers(entry: LogEntry) -> dict[str, list[str]]:
    """Headers as Go's multi-value map, keys sorted as Go writes a map."""
    out: dict[str, list[str]] = {}
    for name, value in entry.headers:
        if name.lower() in _HIDDEN_HEADERS:
            continue
        out.setdefault(canonical_header_key(name), []).append(value)
    return dict(sorted(out.items()))


def first_values(entry: LogEntry) -> dict[str, str]:
    """The invocation view: first value of each header."""
    return {k: v[0] for k, v in grouped_headers(entry).items() if v}


def _chaos_status(entry: LogEntry) -> int:
    """What the client saw: a chaos fault's status when one replaced the mock's (0 for a reset)."""
    status = getattr(entry.scope, "chaos_status", None)
    return entry.status if status is None else status


def protocol_detail(entry: LogEntry) -> dict[str, Any]:
    """What a protocol responder noted for this entry (runtime/protocols.py), {} for plain HTTP."""
    detail = getattr(entry.scope, "protocol_detail", None)
    return detail if detail is not None else {}


def protocol_of(entry: LogEntry, detail: dict[str, Any] | None = None) -> str:
    """`graphql`/`soap` from the detail a protocol mock noted, `grpc` from a gRPC call's record, else http."""
    noted = (detail if detail is not None else protocol_detail(entry)).get("protocol")
    return str(noted or getattr(entry.scope, "protocol", "http"))


def to_model(entry: LogEntry) -> RequestLogEntry:
    detail = protocol_detail(entry)
    return RequestLogEntry(
        protocol=protocol_of(entry),
        id=entry.id,
        timestamp=rfc3339_nano_local(entry.timestamp),
        method=entry.method,
        path=entry.path,
        queryString=entry.query,
        headers=grouped_headers(entry),
        body=entry.body.decode("utf-8", "replace"),
        bodySize=entry.body_size,
        bodyTruncated=entry.truncated,
        remoteAddr=entry.remote_addr or "",
        matchedMockId=entry.mock_id,
        statusCode=_chaos_status(entry),
        durationMs=entry.duration_ms,
        nearMisses=[NearMissSummary(**n) for n in entry.near_misses or ()],
        chaosFault=getattr(entry.scope, "chaos_fault", ""),
        graphql=detail.get("graphql", {}),
        soap=detail.get("soap", {}),
        # gRPC calls (mockd/protocols/grpc) log a scope-like record with these extra fields.
        responseBody=getattr(entry.scope, "response_body", ""),
        error=getattr(entry.scope, "error", ""),
        grpc=getattr(entry.scope, "grpc", None),
        mqtt=getattr(entry.scope, "mqtt", None),
        websocket=detail.get("websocket", {}),
    )


def _filtered(journal: Journal, req: AdminRequest) -> list[LogEntry]:
    """Newest first, every filter of the Go engine applied (all must hold)."""
    if any(req.arg(name) for name in _OTHER_PROTOCOL_FILTERS) or req.arg("workspaceId"):
        return []  # every entry is an HTTP request of the default workspace
    protocol = req.arg("protocol")
    op_type = req.arg("graphqlOpType")
    soap_op = req.arg("soapOperation")
    grpc_service = req.arg("grpcService")
    mqtt_topic = req.arg("mqttTopic")  # a filter: + and # wildcards
    mqtt_client = req.arg("mqttClientId")
    ws_conn = req.arg("wsConnectionId")
    method = req.arg("method")
    path = req.arg("path")
    matched = req.arg("matched")
    status = go_atoi(req.arg("status")) or 0
    has_error = go_parse_bool(req.arg("hasError"))
    unmatched_only = go_parse_bool(req.arg("unmatchedOnly")) is True
    out = []
    for e in journal.newest_first():
        if grpc_service and (getattr(e.scope, "grpc", None) or {}).get("service") != grpc_service:
            continue
        if mqtt_topic or mqtt_client:
            mqtt = getattr(e.scope, "mqtt", None) or {}
            if not mqtt or (mqtt_client and mqtt.get("clientId") != mqtt_client):
                continue
            if mqtt_topic and not topic_matches(mqtt.get("topic", ""), mqtt_topic):
                continue
        if has_error is not None and bool(getattr(e.scope, "error", "")) != has_error:
            continue
        if method and e.method != method:
            continue
        if path and not e.path.startswith(path):
            continue
        if matched and e.mock_id != matched:
            continue
        if status and e.status != status:
            continue
        if unmatched_only and e.mock_id:
            continue
        if protocol or op_type or soap_op or ws_conn:
            detail = protocol_detail(e)
            if protocol and protocol_of(e, detail) != protocol:
                continue
            if op_type and detail.get("graphql", {}).get("operationType") != op_type:
                continue
            if soap_op and detail.get("soap", {}).get("operation") != soap_op:
                continue
            if ws_conn and detail.get("websocket", {}).get("connectionId") != ws_conn:
                continue
        out.append(e)
    return out


async def list_requests(req: AdminRequest) -> Response:
    journal = req.rt.journal
    entries = _filtered(journal, req)
    limit = go_atoi(req.arg("limit")) or 0
    if limit <= 0:
        limit = DEFAULT_LIMIT  # Go ignores a limit that is not a positive integer
    offset = max(go_atoi(req.arg("offset")) or 0, 0)
    page = entries[offset : offset + limit]
    return reply(RequestList(requests=[to_model(e) for e in page], count=len(page), total=len(entries)))


async def get_request(req: AdminRequest) -> Response:
    journal = req.rt.journal
    entry = journal.find(req.params["id"])
    if entry is None:
        raise AdminError(404, "not_found", "Resource not found")
    return reply(to_model(entry))


async def clear_requests(req: AdminRequest) -> Response:
    journal = req.rt.journal
    # Verification counts are cleared too: in the Go tool they are read from this log.
    return reply(Cleared(cleared=journal.clear(), message="Request logs cleared"))


async def stream(req: AdminRequest) -> Response:
    journal = req.rt.journal
    # `?maxPerSecond=N` (ours, for the dashboard): at most N request frames a second, the rest skipped
    # before they are formatted and counted in a `sampled` frame. Absent, zero or not a number: every entry.
    per_second = max(go_atoi(req.arg("maxPerSecond")) or 0, 0)
    headers = [
        ("content-type", "text/event-stream"),
        ("cache-control", "no-cache"),
        ("connection", "keep-alive"),
    ]
    return Response(200, headers=headers, stream=_events(journal, per_second))


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/requests", list_requests),
    ("GET", "/requests/{id}", get_request),
    ("DELETE", "/requests", clear_requests),
    ("GET", "/requests/stream", stream),
]


def register(router: Router, rt: Runtime) -> None:
    """Mount `ROUTES` (handlers reach the runtime through `req.rt`, so each can be read and tested alone)."""
    for method, pattern, handler in ROUTES:
        router.add(method, pattern, handler)


def dropped_frame(count: int) -> bytes:
    """Said in the stream when entries were dropped for a slow reader (issue 12); not in the Go tool, whose
    stream polls and skips silently. Clients listening only for `request` events never see it."""
    message = f"{count} request log entries were not sent: this client read too slowly"
    return b"event: dropped\ndata: " + gojson.marshal({"dropped": count, "message": message}) + b"\n\n"


def sampled_frame(skipped: int) -> bytes:
    """Said in a `?maxPerSecond=` stream when entries were left out since the last such frame (at most one a
    second, sent before the next request frame). Not in the Go tool, which has no sampling."""
    message = f"{skipped} request log entries were left out by sampling (maxPerSecond)"
    return b"event: sampled\ndata: " + gojson.marshal({"skipped": skipped, "message": message}) + b"\n\n"


async def _events(journal: Journal, per_second: int = 0) -> AsyncIterator[bytes]:
    """The SSE frames: `connected` first (byte for byte as the Go tool writes it), then one `request` frame
    per logged request, with a `dropped` frame where entries were dropped for a slow reader. The admin app
    runs this until the client disconnects or the server stops, and takes the next frame only when the
    client has caught up (sendwindow.py), so a reader that stalls costs at most its queue's bounds."""
    sub = journal.subscribe(per_second=per_second)
    reported = 0.0
    try:
        yield CONNECTED_FRAME
        while True:
            dropped, entry = await sub.next()
            if dropped:
                yield dropped_frame(dropped)
            if sub.skipped:  # at most one `sampled` frame a second: the count gathers meanwhile
                wait = reported + 1.0 - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                reported = time.monotonic()
                skipped, sub.skipped = sub.skipped, 0
                yield sampled_frame(skipped)
            if entry is not None:
                yield b"event: request\ndata: " + to_model(entry).go_json(newline=False) + b"\n\n"
    finally:
        journal.unsubscribe(sub)
