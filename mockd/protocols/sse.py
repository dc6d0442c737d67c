"""Server-Sent Events on HTTP mocks (`http.sse`; protocols-reference §1.1-1.7).

`build` keeps the mock's HTTP route and its `sse` block; `responder` parses the block once per route-table
build (event sources prepared; templates are compiled once and cached) and `SseResponder.respond` runs one
connection: headers, `retry:3000`, then events with their delays until the source is exhausted, a lifecycle
limit is hit, the client leaves or the server stops. Every wait is an asyncio sleep (protocols/stream.py), so
an open stream holds no worker and no thread.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import os
import random
import secrets
import string
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from mockd.gocompat import gojson
from mockd.plan.model import RouteSpec
from mockd.protocols.httproute import http_route
from mockd.protocols.registry import ServeEnv
from mockd.protocols.stream import Stream
from mockd.templates import Context, Template, compile_template


def _max_connections() -> int:
    """Engine-wide cap on open SSE connections: 100 as the Go tool (reference §1.2), unless
    MOCKD_SSE_MAX_CONNECTIONS names another positive number (a stream here holds no thread: thousands fit)."""
    value = os.environ.get("MOCKD_SSE_MAX_CONNECTIONS", "")
    return int(value) if value.isdigit() and int(value) > 0 else 100


MAX_CONNECTIONS = _max_connections()
MAX_DATA = 1 << 20  # an event whose data is larger ends the stream silently
HEADERS = [
    ("content-type", "text/event-stream"),
    ("cache-control", "no-cache"),
    ("connection", "keep-alive"),
    ("x-accel-buffering", "no"),
]
_FULL = b"sse: maximum connections reached\n"
_ALNUM = string.ascii_letters + string.digits
_open = 0  # SSE connections open right now, all mocks


@dataclass(slots=True)
class StreamInfo:
    """One open SSE connection as `GET /sse/connections` shows it."""

    id: str
    mock_id: str
    path: str
    client_ip: str
    user_agent: str
    connected_at: float
    stream: Stream
    events_sent: int = 0


class Stats:
    """Totals since start (`/sse/stats`)."""

    total_connections = 0
    events_sent = 0
    bytes_sent = 0


CONNECTIONS: dict[str, StreamInfo] = {}  # open connections by id (`sse-<n>`, as the Go tool)
_ids = itertools.count(1)


def build(mock: dict[str, Any]) -> tuple[RouteSpec | None, dict[str, Any]]:
    """The mock's HTTP route (SSE never renders request data, so no captures) and its `sse` block."""
    return http_route(mock), {"sse": mock["http"]["sse"]}


def responder(spec: dict[str, Any], env: ServeEnv) -> SseResponder:
    return SseResponder(spec["sse"], env.mock_id)


@dataclass(slots=True)
class Event:
    """One event as configured (data still holds templates; `render` fills them per send)."""

    data: Any
    type: str = ""
    id: str = ""
    retry: int = 0
    comment: str = ""
    delay: int | None = None  # ms; None: the timing rules decide


@functools.lru_cache(maxsize=1024)
def _template(text: str) -> Template:
    return compile_template(text)


def render_data(value: Any) -> Any:
    """Every string inside `data` through the template engine with no request context (reference §1.2)."""
    if isinstance(value, str):
        return _template(value).render(Context(method="", path="")) if "{{" in value else value
    if isinstance(value, dict):
        return {k: render_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [render_data(v) for v in value]
    return value


def encode(event: Event, data: Any) -> bytes | None:
    """The wire form (no space after the colons, reference §1.2); None when the stream must end instead."""
    if any(c in event.type or c in event.id for c in "\r\n"):
        return None
    text = data if isinstance(data, str) else gojson.marshal(data, sort_keys=True).decode()
    if len(text) > MAX_DATA:
        return None
    lines = [f":{line}\n" for line in event.comment.split("\n")] if event.comment else []
    if event.type:
        lines.append(f"event:{event.type}\n")
    if event.id:
        lines.append(f"id:{event.id}\n")
    if event.retry > 0:
        lines.append(f"retry:{event.retry}\n")
    lines.extend(f"data:{line}\n" for line in text.split("\n"))
    lines.append("\n")
    return "".join(lines).encode()


def _event(raw: Any) -> Event:
    raw = raw if isinstance(raw, dict) else {"data": raw}
    delay = raw.get("delay")
    return Event(
        data=raw.get("data"),
        type=str(raw.get("type") or ""),
        id=str(raw.get("id") or ""),
        retry=_int(raw.get("retry")),
        comment=str(raw.get("comment") or ""),
        delay=None if delay is None else _int(delay),
    )


def _int(value: Any, default: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return int(value)


# ------------------------------------------------------------------------------------------------ sources
# Each source yields lists of events; a list is "the current list" for perEventDelays and resume. Static
# events and named templates yield one list; generators yield a fresh list forever (reference §1.3).

Source = Callable[[], Iterator[list[Event]]]


def _source(sse: dict[str, Any]) -> Source:
    if sse.get("events"):
        events = [_event(e) for e in sse["events"]]
        return lambda: iter([events])
    if isinstance(sse.get("generator"), dict):
        gen = sse["generator"]

        def forever() -> Iterator[list[Event]]:
            while True:
                yield _generate(gen)

        return forever
    name = sse.get("template")
    params = sse.get("templateParams") or {}
    if name == "openai-chat":
        return lambda: iter([_openai_chat(params)])
    if name == "notification-stream":
        return lambda: iter([_notifications(params)])
    return lambda: iter([])  # unknown template: an empty stream


def _generate(gen: dict[str, Any]) -> list[Event]:
    count = _int(gen.get("count")) or 100
    kind = gen.get("type")
    if kind == "sequence":
        seq = gen.get("sequence") or {}
        start, step, fmt = _int(seq.get("start")), _int(seq.get("increment")), seq.get("format") or ""
        out = []
        for i in range(count):
            value = start + i * step
            data: Any = fmt.replace("%d", str(value)) if fmt else value
            out.append(Event(data=data, id=str(value)))
        return out
    if kind == "random":
        schema = (gen.get("random") or {}).get("schema")
        return [Event(data=_randomise(schema), id=str(i + 1)) for i in range(count)]
    if kind == "template":
        tpl = gen.get("template") or {}
        events = [_event(e) for e in tpl.get("events") or []]
        out = []
        for _ in range(_int(tpl.get("repeat")) or 1):
            out.extend(
                Event(e.data, e.type, str(i + 1), e.retry, e.comment, e.delay) for i, e in enumerate(events)
            )
        return out[:count] if _int(gen.get("count")) > 0 else out
    return []


def _randomise(value: Any) -> Any:
    """Fill `$uuid`, `$timestamp`, `$random(min,max)`, `$pick(a,b)` leaves of a random generator's schema."""
    if isinstance(value, dict):
        return {k: _randomise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_randomise(v) for v in value]
    if not isinstance(value, str):
        return value
    if value == "$uuid":
        return str(uuid.uuid4())
    if value == "$timestamp":
        return int(time.time())
    if value.startswith("$random(") and value.endswith(")"):
        low, _, high = value[8:-1].partition(",")
        try:
            return random.randint(int(low), int(high))
        except ValueError:
            return value
    if value.startswith("$pick(") and value.endswith(")"):
        return random.choice([o.strip() for o in value[6:-1].split(",")])
    return value


def _openai_chat(params: dict[str, Any]) -> list[Event]:
    tokens = params.get("tokens") or ["Hello", "!", " How", " can", " I", " help", " you", "?"]
    model = params.get("model") or "gpt-4-mock"
    finish = params.get("finishReason") or "stop"
    delay = _int(params.get("delayPerToken"), 50) if "delayPerToken" in params else 50
    ident = "chatcmpl-" + "".join(secrets.choice(_ALNUM) for _ in range(24))
    created = int(time.time())
    out = []
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        data = {
            "choices": [{"delta": {"content": token}, "finish_reason": finish if last else None, "index": 0}],
            "created": created,
            "id": ident,
            "model": model,
            "object": "chat.completion.chunk",
        }
        out.append(Event(data=data, delay=delay))
    if params.get("includeDone", True) is not False:
        out.append(Event(data="[DONE]"))
    return out


def _notifications(params: dict[str, Any]) -> list[Event]:
    interval = _int(params.get("interval"), 1000) if "interval" in params else 1000
    return [
        Event(data=m.get("payload"), type=str(m.get("type") or "notification"), delay=interval)
        for m in params.get("messages") or []
        if isinstance(m, dict)
    ]


# ------------------------------------------------------------------------------------------------ timing


class Timing:
    """The delay before each event (reference §1.4): event delay > perEventDelays[i] > burst > random >
    fixed > 0, in milliseconds."""

    __slots__ = ("burst", "count", "fixed", "per_event", "random")

    def __init__(self, timing: dict[str, Any]) -> None:
        self.fixed = _int(timing.get("fixedDelay"))
        rnd = timing.get("randomDelay")
        self.random = (_int(rnd.get("min")), _int(rnd.get("max"))) if isinstance(rnd, dict) else None
        self.per_event = [_int(d) for d in timing.get("perEventDelays") or []]
        burst = timing.get("burst")
        self.burst = (
            (_int(burst.get("count")), _int(burst.get("interval")), _int(burst.get("pause")))
            if isinstance(burst, dict) and _int(burst.get("count")) > 0
            else None
        )
        self.count = 0

    def delay_ms(self, event: Event, index: int) -> int:
        if event.delay is not None:
            return event.delay
        if index < len(self.per_event):
            return self.per_event[index]
        if self.burst is not None:
            self.count += 1
            if self.count >= self.burst[0]:
                self.count = 0
                return self.burst[2]
            return self.burst[1]
        if self.random is not None and self.random[1] >= self.random[0]:
            return random.randint(*self.random)
        return self.fixed


class Bucket:
    """Token bucket for `rateLimit` (reference §1.7): starts full, refills `rate` tokens a second."""

    __slots__ = ("capacity", "last", "rate", "tokens")

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.capacity = float(burst if burst > 0 else rate)
        self.tokens = self.capacity
        self.last = time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now

    def take(self) -> float:
        """0 when a token was taken, else the seconds until one is available (nothing taken)."""
        self._refill()
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


# ------------------------------------------------------------------------------------------------ serving


class SseResponder:
    """One SSE mock's behaviour; `respond` serves one connection."""

    def __init__(self, sse: dict[str, Any], mock_id: str = "") -> None:
        self.sse = sse
        self.mock_id = mock_id
        self.source = _source(sse)
        self.timing_spec = sse.get("timing") or {}
        life = sse.get("lifecycle") or {}
        self.keepalive = _int(life.get("keepaliveInterval"))
        self.max_events = _int(life.get("maxEvents"))
        self.connection_timeout = _int(life.get("connectionTimeout"))
        self.disconnect_after = _int(life.get("simulateDisconnect"))
        term = life.get("termination") or {}
        final = term.get("finalEvent")
        self.final = _event(final) if isinstance(final, dict) else None
        self.close_delay = _int(term.get("closeDelay"))
        rate = sse.get("rateLimit")
        eps = rate.get("eventsPerSecond") if isinstance(rate, dict) else None
        ok = isinstance(eps, int | float) and not isinstance(eps, bool) and eps > 0
        self.rate: dict[str, Any] | None = rate if ok else None
        resume = sse.get("resume") or {}
        self.resume = resume.get("enabled") is True
        self.live: set[Stream] = set()  # this mock's open connections, ended by `retire`

    def retire(self) -> None:
        """The mock was replaced or removed: its open streams end (the client sees EOF), as in the Go tool."""
        for stream in list(self.live):
            stream.stop()

    def _headers(self) -> list[tuple[str, str]]:
        headers = list(HEADERS)
        if self.rate is not None and self.rate.get("headers") is True:
            eps = float(self.rate["eventsPerSecond"])
            burst = _int(self.rate.get("burstSize")) or int(eps)
            headers += [
                ("x-ratelimit-limit", str(int(eps))),
                ("x-ratelimit-remaining", str(burst)),
                ("x-ratelimit-reset", str(int(time.time()) + 1)),
            ]
        return headers

    async def respond(self, req: Any, proto: Any) -> int:
        global _open
        if _open >= MAX_CONNECTIONS:
            proto.response_bytes(503, [("content-type", "text/plain; charset=utf-8")], _FULL)
            return 503
        stream = Stream(proto, 200, self._headers())
        info = StreamInfo(
            id=f"sse-{next(_ids)}",
            mock_id=self.mock_id,
            path=req.path,
            client_ip=str(req.scope.client).rpartition(":")[0].strip("[]"),
            user_agent=req.headers.get("user-agent") or "",
            connected_at=time.time(),
            stream=stream,
        )
        _open += 1
        self.live.add(stream)
        CONNECTIONS[info.id] = info
        Stats.total_connections += 1
        try:
            async with stream:
                await _Connection(self, stream, req.headers.get("last-event-id"), info).run()
        finally:
            _open -= 1
            self.live.discard(stream)
            CONNECTIONS.pop(info.id, None)
            Stats.bytes_sent += stream.bytes_sent
        return 200


class _Connection:
    """The state of one SSE connection."""

    def __init__(self, mock: SseResponder, stream: Stream, last_id: str | None, info: StreamInfo) -> None:
        self.mock = mock
        self.info = info
        self.stream = stream
        self.last_id = last_id if mock.resume else None
        self.timing = Timing(mock.timing_spec)
        self.bucket = (
            Bucket(float(mock.rate["eventsPerSecond"]), _int(mock.rate.get("burstSize")))
            if mock.rate is not None
            else None
        )
        self.sent = 0
        loop = asyncio.get_running_loop()
        timeout = mock.connection_timeout
        self.deadline = loop.time() + timeout if timeout > 0 else None

    async def wait(self, ms: int) -> bool | None:
        """Wait `ms`, sending keepalives meanwhile. True: waited; False: the stream ended; None: the
        connectionTimeout passed (checked only while waiting, as the Go tool)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + ms / 1000
        keep = self.mock.keepalive
        while True:
            now = loop.time()
            if self.deadline is not None and now >= self.deadline:
                return None
            if now >= end:
                return True
            step = (end if self.deadline is None else min(end, self.deadline)) - now
            beat = keep > 0 and keep < step
            if not await self.stream.wait(keep if beat else step):
                return False
            if beat and not await self.stream.write(b": keepalive\n\n"):
                return False

    async def send(self, event: Event) -> bool:
        if not event.id and self.mock.resume:
            event = Event(event.data, event.type, str(self.sent + 1), event.retry, event.comment, event.delay)
        wire = encode(event, render_data(event.data))
        if wire is None or not await self.stream.write(wire):
            return False
        self.sent += 1
        self.info.events_sent += 1
        Stats.events_sent += 1
        return True

    async def run(self) -> None:
        mock = self.mock
        if not await self.stream.write(b"retry:3000\n\n"):
            return
        initial = _int(self.mock.timing_spec.get("initialDelay"))
        waited = await self.wait(initial) if initial > 0 else True
        if waited is False:
            return
        graceful = waited is None or await self._events()
        if not graceful or self.stream.ended:
            return
        if mock.final is not None and not await self.send(mock.final):
            return
        if mock.close_delay > 0:
            await self.stream.wait(mock.close_delay / 1000)

    async def _events(self) -> bool:
        """Send the source's events; True to end gracefully (final event), False to just stop."""
        mock = self.mock
        first = True
        for batch in mock.source():
            start = 0
            if first and self.last_id is not None:
                start = next((i + 1 for i, e in enumerate(batch) if e.id == self.last_id), 0)
            first = False
            for index in range(start, len(batch)):
                event = batch[index]
                waited = await self.wait(self.timing.delay_ms(event, index))
                if waited is None:
                    return True
                if waited is False:
                    return False
                if self.bucket is not None and not await self._rate_ok():
                    continue
                if not await self.send(event):
                    return False
                if mock.disconnect_after > 0 and self.sent >= mock.disconnect_after:
                    return False
                if mock.max_events > 0 and self.sent >= mock.max_events:
                    return True
            if not batch:
                return True
        return True

    async def _rate_ok(self) -> bool:
        assert self.bucket is not None
        assert self.mock.rate is not None
        while True:
            wait = self.bucket.take()
            if wait == 0:
                return True
            if self.mock.rate.get("strategy") in ("drop", "error"):
                return False
            if not await self.stream.wait(wait):
                return False
