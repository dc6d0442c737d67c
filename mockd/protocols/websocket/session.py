"""One WebSocket mock's connections (protocols-reference §2.2-2.5).

Per received frame, in order: a running scenario's `expect` step consumes it; else the first matcher that
holds sends its response (`noResponse` sends nothing and skips the default); else the default response; then
echo when the endpoint echoes. A scenario runs in its own task from connect. Frames are handled one at a time
in arrival order, and every wait is an asyncio sleep, so an idle connection holds no worker.

Granian's RSGI WebSocket protocol (2.x) cannot choose a subprotocol in the handshake reply nor send a close
code or a ping: the differences that follow are listed in docs/differences.md.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import itertools
import secrets
import time
from collections.abc import Callable
from typing import Any

from mockd.gocompat import gojson
from mockd.protocols import stream as lifecycle
from mockd.protocols.registry import ServeEnv
from mockd.protocols.websocket.config import Endpoint, Match, Reply
from mockd.protocols.websocket.matching import matches
from mockd.templates import Context, Template, compile_template

Frame = str | bytes
CLOSE = 0  # granian.rsgi.WebsocketMessageType.close

# What a connection's log entry keeps of its traffic (docs/websocket.md "Messages in the request log"): the
# first LOGGED_MESSAGES frames either way, each cut to LOGGED_BYTES. Bounded so that a chatty connection
# costs the request log at most ~13 KiB, whatever it sends.
LOGGED_MESSAGES = 50
LOGGED_BYTES = 256

# Every open connection by id, and totals since start: what the admin API's /websocket routes report.
CONNECTIONS: dict[str, Connection] = {}


class Stats:
    total_connections = 0
    messages_sent = 0
    messages_received = 0


_ids = itertools.count(1)


def _connection_id() -> str:
    """`conn-<16 hex time>-<8 hex counter>-<8 hex random>`, the Go tool's shape."""
    return f"conn-{time.time_ns():016x}-{next(_ids) & 0xFFFFFFFF:08x}-{secrets.randbits(32):08x}"


class WebSocketResponder:
    """A WebSocket mock: serves each upgrade at its path; `retire` closes its connections (mock changed)."""

    def __init__(self, endpoint: Endpoint, env: ServeEnv) -> None:
        self.endpoint = endpoint
        self.env = env
        self.live: set[Connection] = set()
        self._templates: dict[str, Template] = {}

    async def respond(self, req: Any, proto: Any) -> int:  # never routed over plain HTTP (no route)
        proto.response_bytes(404, [], b"")
        return 404

    def handshake_error(self, headers: Any) -> tuple[int, str | None]:
        """(status, None) to refuse the upgrade, or (0, the chosen subprotocol or None)."""
        ep = self.endpoint
        if ep.max_connections > 0 and len(self.live) >= ep.max_connections:
            return 503, None
        offered = [p.strip() for p in (headers.get("sec-websocket-protocol") or "").split(",") if p.strip()]
        chosen = next((p for p in ep.subprotocols if p in offered), None)
        if ep.require_subprotocol and chosen is None:
            return 400, None
        return 0, chosen

    async def upgrade(self, view: Any, proto: Any, opened: Callable[[], None] | None = None) -> int:
        """Serve one upgrade (`view.scope` is the RSGI scope). When the connection ends, its messages are
        noted on `view` for the connection's request-log entry."""
        status, subprotocol = self.handshake_error(view.scope.headers)
        if status:
            proto.close(status)  # an HTTP reply with that status and no body (Granian sends no text)
            return status
        try:
            transport = await proto.accept()
        except Exception:  # the client left mid-handshake
            return 400
        if opened is not None:
            opened()
        conn = Connection(self, proto, transport, subprotocol)
        self.live.add(conn)
        lifecycle.opened(conn)
        CONNECTIONS[conn.id] = conn
        Stats.total_connections += 1
        try:
            await conn.run()
        finally:
            self.live.discard(conn)
            lifecycle.closed(conn)
            CONNECTIONS.pop(conn.id, None)
            if self.env.note is not None:
                self.env.note(view, {"protocol": "websocket", "websocket": conn.detail()})
        return 101

    def retire(self) -> None:
        """The mock was replaced or removed: close its connections (the Go tool sends 1012)."""
        for conn in list(self.live):
            conn.stop()

    def template(self, text: str) -> Template:
        found = self._templates.get(text)
        if found is None:
            found = self._templates[text] = compile_template(text)
        return found

    def payload(self, reply: Reply, received: Frame | None) -> Frame | None:
        """What `reply` sends, templated with the frame it answers; None when it sends nothing."""
        if reply.type == "binary":
            raw = reply.value if isinstance(reply.value, str) else ""
            try:
                return base64.b64decode(raw, validate=True)
            except (binascii.Error, ValueError):
                return raw.encode()
        if reply.type == "text":
            if not isinstance(reply.value, str):
                return None
            text = reply.value
        elif reply.type == "json":
            text = gojson.marshal(reply.value, sort_keys=True).decode()
        else:
            return None
        if "{{" not in text:
            return text
        body = received if received is not None else b""
        # A frame that parses as JSON feeds `request.body.*`, whatever its type (no Content-Type here).
        ctx = Context(method="", path=self.endpoint.path, header=_json_type, raw_body=body)
        return self.template(text).render(ctx)


def _json_type(name: str) -> str | None:
    return "application/json" if name == "content-type" else None


def logged_message(direction: str, frame: Frame) -> dict[str, Any]:
    """One frame as the log shows it: text as text, binary as base64, either cut to LOGGED_BYTES bytes
    (`truncated` then says so; `size` is always the whole frame's size in bytes)."""
    if isinstance(frame, bytes):
        kind, raw = "binary", frame
        data = base64.b64encode(raw[:LOGGED_BYTES]).decode()
    else:
        kind, raw = "text", frame.encode()
        data = raw[:LOGGED_BYTES].decode("utf-8", "ignore")  # never half a character
    out: dict[str, Any] = {"direction": direction, "messageType": kind, "size": len(raw), "data": data}
    if len(raw) > LOGGED_BYTES:
        out["truncated"] = True
    return out


class Connection:
    """One open WebSocket: the receive loop, the scenario task and the idle watch."""

    def __init__(self, mock: WebSocketResponder, proto: Any, transport: Any, subprotocol: str | None) -> None:
        self.mock = mock
        self.proto = proto
        self.transport = transport
        self.subprotocol = subprotocol
        loop = asyncio.get_running_loop()
        self.last_active = loop.time()
        self.closing = False
        # The scenario's pending `expect` step: its matcher and the future its frame resolves.
        self.expecting: tuple[Match | None, asyncio.Future[Frame]] | None = None
        self.send_lock = asyncio.Lock()
        self.id = _connection_id()
        self.connected_at = time.time()
        self.sent = 0
        self.received = 0
        self.messages: list[dict[str, Any]] = []  # the first LOGGED_MESSAGES frames, for the log

    def stop(self) -> None:
        """Close the socket from our side (shutdown, mock changed, idle timeout); the receive loop ends."""
        if not self.closing:
            self.closing = True
            with contextlib.suppress(Exception):
                self.proto.close(1000)

    async def send(self, frame: Frame) -> bool:
        """Send one frame; False when the connection is gone. It is counted and kept for the log before
        the send, under the lock: a client that has the frame must find it counted (admin API, log)."""
        if self.closing:
            return False
        async with self.send_lock:
            self.sent += 1
            Stats.messages_sent += 1
            kept = self.keep("outbound", frame)
            try:
                if isinstance(frame, bytes):
                    await self.transport.send_bytes(frame)
                else:
                    await self.transport.send_str(frame)
            except Exception:  # the connection is gone: it was not sent after all
                self.sent -= 1
                Stats.messages_sent -= 1
                if kept:
                    self.messages.pop()
                return False
        self.last_active = asyncio.get_running_loop().time()
        return True

    def keep(self, direction: str, frame: Frame) -> bool:
        """Remember `frame` for the log entry while fewer than LOGGED_MESSAGES are kept (True if it was)."""
        if len(self.messages) >= LOGGED_MESSAGES:
            return False
        self.messages.append(logged_message(direction, frame))
        return True

    def detail(self) -> dict[str, Any]:
        """The `websocket` object of this connection's log entry and invocation."""
        out: dict[str, Any] = {"connectionId": self.id}
        if self.subprotocol:
            out["subprotocol"] = self.subprotocol
        out["messagesReceived"] = self.received
        out["messagesSent"] = self.sent
        out["messages"] = list(self.messages)
        left_out = self.received + self.sent - len(self.messages)
        if left_out > 0:
            out["messagesOmitted"] = left_out
        return out

    async def reply(self, reply: Reply, received: Frame | None) -> None:
        if reply.delay > 0:
            await asyncio.sleep(reply.delay)
        frame = self.mock.payload(reply, received)
        if frame is not None:
            await self.send(frame)

    async def run(self) -> None:
        ep = self.mock.endpoint
        tasks = []
        if ep.steps:
            tasks.append(asyncio.ensure_future(self._scenario()))
        if ep.idle_timeout > 0:
            tasks.append(asyncio.ensure_future(self._idle()))
        try:
            while True:
                try:
                    message = await self.transport.receive()
                except Exception:  # closed by either side
                    break
                if message.kind == CLOSE:
                    break
                frame: Frame = message.data
                self.last_active = asyncio.get_running_loop().time()
                self.received += 1
                Stats.messages_received += 1
                self.keep("inbound", frame)
                if len(frame) > ep.max_message:
                    self.stop()  # the Go tool closes with 1009 (message too big)
                    break
                await self.handle(frame)
        finally:
            for task in tasks:
                task.cancel()
            self.stop()

    async def handle(self, frame: Frame) -> None:
        ep = self.mock.endpoint
        pending = self.expecting
        if (
            pending is not None
            and not pending[1].done()
            and (pending[0] is None or matches(pending[0], frame))
        ):
            pending[1].set_result(frame)
            return
        for rule in ep.rules:
            if matches(rule.match, frame):
                if rule.reply is not None and not rule.no_response:
                    await self.reply(rule.reply, frame)
                    return
                break  # noResponse (or no response): skip the default, maybe echo
        else:
            if ep.default is not None:
                await self.reply(ep.default, frame)
                return
        if ep.echo:
            await self.send(frame)

    async def _scenario(self) -> None:
        ep = self.mock.endpoint
        loop = asyncio.get_running_loop()
        last: Frame | None = None
        while True:
            for step in ep.steps:
                if step.type == "send":
                    assert step.message is not None
                    await self.reply(step.message, last)
                elif step.type == "wait":
                    await asyncio.sleep(step.duration)
                else:
                    future: asyncio.Future[Frame] = loop.create_future()
                    self.expecting = (step.match, future)
                    try:
                        last = await asyncio.wait_for(future, step.timeout)
                    except TimeoutError:
                        if not step.optional:
                            return  # the scenario stops; matchers, default and echo go on
                    finally:
                        self.expecting = None
            if not ep.loop:
                return

    async def _idle(self) -> None:
        limit = self.mock.endpoint.idle_timeout
        loop = asyncio.get_running_loop()
        while not self.closing:
            await asyncio.sleep(min(1.0, limit))
            if loop.time() - self.last_active > limit:
                self.stop()  # the Go tool closes with 1001 "idle timeout"
                return
