"""The request log over the admin API (reference §3.11, §5.4): list with filters, get one, clear, live stream.

Entries are formatted here, when someone reads them: the hot path only stored references (journal.py).
Header names are shown as Go's `net/http` shows them (canonical `Content-Type` form, `Host` and
`Transfer-Encoding` not among them), multiple values kept in order.

`GET /requests/stream` pushes every entry recorded after the client connected, in order, as it is recorded:
the Go tool polls its newest 10 entries every 500 ms and can skip or repeat some. The stream ends when the
client goes away or the server shuts down.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from mockd.gocompat.timefmt import rfc3339_nano_local
from mockd.runtime.admin.http import AdminError, AdminRequest, Response, go_atoi, go_parse_bool, reply
from mockd.runtime.admin.models import Cleared, NearMissSummary, RequestList, RequestLogEntry

if TYPE_CHECKING:
    from mockd.runtime.admin.router import Router
    from mockd.runtime.journal import Journal, LogEntry
    from mockd.runtime.world import Runtime

DEFAULT_LIMIT = 100  # the Go engine's default page
# Filters for other protocols' metadata: every entry here is HTTP, so any of them matches nothing.
_OTHER_PROTOCOL_FILTERS = (
    "grpcService", "mqttTopic", "mqttClientId", "soapOperation", "graphqlOpType", "wsConnectionId",
    "sseConnectionId",
)  # fmt: skip
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


def to_model(entry: LogEntry) -> RequestLogEntry:
    return RequestLogEntry(
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
    )


def _filtered(journal: Journal, req: AdminRequest) -> list[LogEntry]:
    """Newest first, every filter of the Go engine applied (all must hold)."""
    if any(req.arg(name) for name in _OTHER_PROTOCOL_FILTERS) or req.arg("workspaceId"):
        return []  # every entry is an HTTP request of the default workspace
    protocol = req.arg("protocol")
    if protocol and protocol != "http":
        return []
    method = req.arg("method")
    path = req.arg("path")
    matched = req.arg("matched")
    status = go_atoi(req.arg("status")) or 0
    has_error = go_parse_bool(req.arg("hasError"))
    if has_error:
        return []  # no HTTP entry carries an error
    unmatched_only = go_parse_bool(req.arg("unmatchedOnly")) is True
    out = []
    for e in journal.newest_first():
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
        out.append(e)
    return out


def register(router: Router, rt: Runtime) -> None:
    journal = rt.journal

    @router.route("GET", "/requests")
    async def list_requests(req: AdminRequest) -> Response:
        entries = _filtered(journal, req)
        limit = go_atoi(req.arg("limit")) or 0
        if limit <= 0:
            limit = DEFAULT_LIMIT  # Go ignores a limit that is not a positive integer
        offset = max(go_atoi(req.arg("offset")) or 0, 0)
        page = entries[offset : offset + limit]
        return reply(RequestList(requests=[to_model(e) for e in page], count=len(page), total=len(entries)))

    @router.route("GET", "/requests/{id}")
    async def get_request(req: AdminRequest) -> Response:
        entry = journal.find(req.params["id"])
        if entry is None:
            raise AdminError(404, "not_found", "Resource not found")
        return reply(to_model(entry))

    @router.route("DELETE", "/requests")
    async def clear_requests(req: AdminRequest) -> Response:
        # Verification counts are cleared too: in the Go tool they are read from this log.
        return reply(Cleared(cleared=journal.clear(), message="Request logs cleared"))

    @router.route("GET", "/requests/stream")
    async def stream(req: AdminRequest) -> Response:
        headers = [
            ("content-type", "text/event-stream"),
            ("cache-control", "no-cache"),
            ("connection", "keep-alive"),
        ]
        return Response(200, headers=headers, stream=_events(journal))


async def _events(journal: Journal) -> AsyncIterator[bytes]:
    """The SSE frames: `connected` first (byte for byte as the Go tool writes it), then one `request` frame
    per logged request. The admin app runs this until the client disconnects or the server stops."""
    sub = journal.subscribe()
    try:
        yield CONNECTED_FRAME
        while True:
            for entry in await sub.wait():
                yield b"event: request\ndata: " + to_model(entry).go_json(newline=False) + b"\n\n"
    finally:
        journal.unsubscribe(sub)
