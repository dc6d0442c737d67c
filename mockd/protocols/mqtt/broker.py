"""MQTT brokers on their own ports (amqtt, MQTT 3.1.1), on the mock server's event loop.

One broker per port, serving every enabled `type: mqtt` mock that names the port (their topics together;
the first mock with `auth.enabled` decides who may connect). A change to a port's mocks restarts its
broker, as the Go tool re-registers it: clients are disconnected and scheduled messages start again.

- scheduled `messages` start when the broker does: wait `delay`, publish (retained when the topic says so),
  then every `interval` while `repeat`;
- a client PUBLISH on a topic a mock configures: `onPublish.forward` republishes the same payload,
  `onPublish.response` publishes its payload back to the topic it came in on. Only client publishes
  react (the Go tool also reacts to its own and can loop for ever);
- every client PUBLISH and SUBSCRIBE is logged (`protocol: "mqtt"`), and a publish on a mock's topic
  counts for that mock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mockd.protocols.mqtt import plugins
from mockd.protocols.mqtt.config import Broker as BrokerSpec
from mockd.protocols.mqtt.config import Topic, User, allowed, matches
from mockd.protocols.registry import PortUnavailableError
from mockd.templates import Context, compile_template

log = logging.getLogger("mockd")


class _Headers:
    def items(self) -> list[tuple[str, str]]:
        return []

    def get(self, name: str, default: str | None = None) -> str | None:
        return default


@dataclass(slots=True)
class MqttRecord:
    """One logged MQTT packet, scope-like for the request log: `method` PUBLISH/SUBSCRIBE, `path` the
    topic, `body` the payload."""

    method: str
    path: str
    client: str
    started: float
    body: bytes
    mqtt: dict[str, Any]
    headers: _Headers = field(default_factory=_Headers)
    query_string: str = ""
    protocol: str = "mqtt"
    code: int = 0
    response_body: str = ""
    error: str = ""


Recorder = Callable[[MqttRecord, Any], None]


@dataclass(frozen=True, slots=True)
class Served:
    mock_id: str
    spec: BrokerSpec
    token: Any  # handed back with each record of this mock (the runtime's target, which counts)


def _render(payload: str, topic: str) -> bytes:
    text = payload.replace("{{topic}}", topic)
    if "{{" in text:
        rendered = compile_template(text).render(Context())
        text = rendered or payload  # an empty render falls back to the raw payload (as in the Go tool)
    return text.encode()


class BrokerState:
    """What the plugins consult: the port's mocks, its users, and where records go."""

    def __init__(self, port: int, entries: Sequence[Served], recorder: Recorder) -> None:
        self.port = port
        self.entries = tuple(entries)
        self.recorder = recorder
        self.broker: Any = None
        auth = next((e.spec for e in entries if e.spec.auth), None)
        self.users: dict[str, User] | None = {u.username: u for u in auth.users} if auth is not None else None

    def authenticate(self, username: str | None, password: str | None) -> bool:
        if self.users is None:
            return True
        user = self.users.get(username or "")
        return user is not None and user.password == (password or "")

    def permits(self, username: str | None, topic: str, action: str) -> bool:
        if self.users is None:
            return True
        user = self.users.get(username or "")
        return user is not None and allowed(user, topic, action)

    def _owner(self, topic: str) -> tuple[Served | None, list[Topic]]:
        owner = None
        hits: list[Topic] = []
        for e in self.entries:
            for t in e.spec.topics:
                if matches(topic, t.topic):
                    owner = owner or e
                    hits.append(t)
        return owner, hits

    def subscribed(self, client_id: str, topic: str, qos: int) -> None:
        info = {"clientId": client_id, "topic": topic, "qos": qos, "direction": "subscribe"}
        self.recorder(MqttRecord("SUBSCRIBE", topic, "", time.time(), b"", info), None)

    async def received(self, client_id: str, message: Any) -> None:
        topic = message.topic
        data = bytes(message.data or b"")
        owner, hits = self._owner(topic)
        qos, retain = message.qos or 0, bool(message.retain)
        info = {"clientId": client_id, "topic": topic, "qos": qos, "retain": retain, "direction": "publish"}
        if message.packet_id:
            info["messageId"] = message.packet_id
        self.recorder(
            MqttRecord("PUBLISH", topic, client_id, time.time(), data, info), owner.token if owner else None
        )
        if self.broker is None:
            return
        for t in hits:
            if t.forward:
                await self.publish(t.forward, data, t.qos, t.retain)
            if t.response is not None:
                await self.publish(topic, t.response.encode(), t.qos, t.retain)

    async def publish(self, topic: str, data: bytes, qos: int, retain: bool) -> None:
        if retain:
            await self.broker.retain_message(None, topic, data, qos)
        await self.broker.internal_message_broadcast(topic, data, qos)


class _Port:
    def __init__(self, port: int, host: str, state: BrokerState) -> None:
        self.port = port
        self.host = host
        self.state = state
        self.tasks: list[asyncio.Task[None]] = []
        self.sock: socket.socket | None = None

    async def start(self) -> None:
        from amqtt.broker import Broker  # imported only once some MQTT mock is served

        for name in ("amqtt", "transitions"):  # both log every packet and state change at INFO
            logging.getLogger(name).setLevel(logging.WARNING)
        # Our own listening socket and accept loop (an amqtt "external" listener): bound without
        # SO_REUSEPORT, so a taken port refuses instead of sharing, and closed for certain on stop (rloop's
        # server objects keep listening after close()).
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
            sock.listen(128)
        except OSError:
            sock.close()
            raise PortUnavailableError(self.port, "MQTT") from None
        sock.setblocking(False)
        self.sock = sock
        plugins.STATES[self.port] = self.state
        conf = {"port": self.port}
        config = {
            "listeners": {"default": {"type": "external", "bind": f"{self.host}:{self.port}"}},
            "plugins": {
                "mockd.protocols.mqtt.plugins.MockdAuth": conf,
                "mockd.protocols.mqtt.plugins.MockdTopics": conf,
                "mockd.protocols.mqtt.plugins.MockdEvents": conf,
            },
        }
        try:
            broker = Broker(config)
            await broker.start()
        except BaseException:
            sock.close()
            plugins.STATES.pop(self.port, None)
            raise
        self.state.broker = broker
        self.tasks.append(asyncio.ensure_future(self._accept(broker, sock)))
        for e in self.state.entries:
            for t in e.spec.topics:
                for m in t.messages:
                    self.tasks.append(asyncio.ensure_future(self._schedule(t, m)))

    async def _accept(self, broker: Any, sock: socket.socket) -> None:
        from amqtt.adapters import StreamReaderAdapter, StreamWriterAdapter

        loop = asyncio.get_running_loop()
        clients: set[asyncio.Task[None]] = set()
        try:
            while True:
                conn, _ = await loop.sock_accept(sock)
                reader, writer = await asyncio.open_connection(sock=conn)
                task = asyncio.ensure_future(
                    broker.external_connected(
                        StreamReaderAdapter(reader), StreamWriterAdapter(writer), "default"
                    )
                )
                clients.add(task)
                task.add_done_callback(clients.discard)
        finally:
            for task in list(clients):
                task.cancel()

    async def _schedule(self, t: Topic, m: Any) -> None:
        await asyncio.sleep(m.delay)
        while True:
            data = _render(m.payload, t.topic)
            await self.state.publish(t.topic, data, t.qos, t.retain)
            info = {
                "clientId": "inline",
                "topic": t.topic,
                "qos": t.qos,
                "retain": t.retain,
                "direction": "publish",
            }
            self.state.recorder(MqttRecord("PUBLISH", t.topic, "", time.time(), data, info), None)
            if not m.repeat:
                return
            await asyncio.sleep(m.interval)

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        if self.sock is not None:
            self.sock.close()
        if self.state.broker is not None:
            with contextlib.suppress(Exception):
                await self.state.broker.shutdown()
        if plugins.STATES.get(self.port) is self.state:
            del plugins.STATES[self.port]


class MqttHub:
    """The MQTT ports of one server process."""

    def __init__(self, host: str, recorder: Recorder) -> None:
        self.host = host
        self.recorder = recorder
        self.ports: dict[int, _Port] = {}
        self._lock = asyncio.Lock()

    def listening(self) -> list[int]:
        return sorted(self.ports)

    async def sync(self, wanted: Mapping[int, Sequence[Served]]) -> None:
        """Serve exactly `wanted`; a port whose mocks changed gets a new broker. A new port that is taken
        raises PortUnavailableError after closing what this call opened."""
        async with self._lock:
            fresh: dict[int, _Port] = {}
            try:
                for port, entries in wanted.items():
                    if port not in self.ports:
                        p = _Port(port, self.host, BrokerState(port, entries, self.recorder))
                        await p.start()
                        fresh[port] = p
            except PortUnavailableError:
                for p in fresh.values():
                    await p.stop()
                raise
            self.ports.update(fresh)
            for port, entries in wanted.items():
                current = self.ports[port]
                if port in fresh or [e.spec for e in current.state.entries] == [e.spec for e in entries]:
                    current.state.entries = tuple(entries)  # same settings: keep clients connected
                    continue
                await current.stop()
                p = _Port(port, self.host, BrokerState(port, entries, self.recorder))
                await p.start()
                self.ports[port] = p
            for port in [p for p in self.ports if p not in wanted]:
                await self.ports.pop(port).stop()

    async def close(self) -> None:
        async with self._lock:
            for p in self.ports.values():
                await p.stop()
            self.ports.clear()
