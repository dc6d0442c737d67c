"""MQTT broker mocks (`type: mqtt`; protocols-reference §7) on their own ports, served by amqtt on the mock
server's event loop.

- `config`: the `mqtt` block (topics, scheduled messages, onPublish reactions, users and ACLs);
- `broker`: the per-port brokers and what they do with publishes and subscriptions;
- `plugins`: the amqtt plugins that consult a port's state (auth, ACL, events).

Like gRPC mocks, an MQTT mock has no HTTP route: the runtime groups enabled MQTT mocks by port
(runtime/ownports.py).
"""

from __future__ import annotations

from typing import Any

from mockd.plan.model import RouteSpec
from mockd.protocols.mqtt.config import Broker, parse
from mockd.protocols.registry import ServeEnv


def build(mock: dict[str, Any]) -> tuple[RouteSpec | None, dict[str, Any]]:
    spec = mock.get("mqtt") or {}
    parse(spec)  # raises ProtocolBuildError for what validation let through
    return None, {"listenPort": spec.get("port"), "mqtt": spec}


class MqttMock:
    """A mock's parsed settings, as the runtime holds them (never answers HTTP: it has no route)."""

    __slots__ = ("port", "spec")

    def __init__(self, spec: Broker) -> None:
        self.spec = spec
        self.port = spec.port

    async def respond(self, req: Any, proto: Any) -> int:
        proto.response_bytes(404, [("content-type", "text/plain")], b"MQTT mocks are served on their port")
        return 404


def responder(spec: dict[str, Any], env: ServeEnv) -> MqttMock:
    return MqttMock(parse(spec["mqtt"]))
