"""MQTT broker mocks on a real server, driven with paho-mqtt (MQTT 3.1.1)."""

from __future__ import annotations

import json
import queue
import socket
import textwrap
from collections.abc import Iterator
from typing import Any

import paho.mqtt.client as mqtt
import pytest

from tests.harness import free_port, request

CONFIG = """
version: "1.0"
mocks:
  - id: sensors
    type: mqtt
    mqtt:
      port: {port}
      auth:
        enabled: true
        users:
          - username: dev
            password: pw
            acl: [{{topic: "sensors/#", access: readwrite}}, {{topic: "cmd/#", access: write}}]
          - {{username: admin, password: root}}
      topics:
        - topic: sensors/room1/temp
          retain: true
          qos: 1
          messages: [{{payload: '{{"t": 21}}'}}]
        - topic: cmd/ingest
          onPublish: {{forward: sensors/ingested}}
        - topic: sensors/ping
          onPublish: {{response: {{payload: pong}}}}
"""


class Client:
    """A paho client whose received messages land in a queue (its network loop runs in paho's thread)."""

    def __init__(self, port: int, user: str = "dev", password: str = "pw") -> None:
        self.messages: queue.Queue[tuple[str, bytes, bool, int]] = queue.Queue()
        self.connected: queue.Queue[Any] = queue.Queue()
        self.subacks: queue.Queue[list[Any]] = queue.Queue()
        self.c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
        self.c.username_pw_set(user, password)
        self.c.on_message = lambda _c, _u, m: self.messages.put((m.topic, m.payload, bool(m.retain), m.qos))
        self.c.on_connect = lambda _c, _u, _f, rc, _p: self.connected.put(rc)
        self.c.on_subscribe = lambda _c, _u, _mid, codes, _p: self.subacks.put(list(codes))
        self.c.connect("127.0.0.1", port)
        self.c.loop_start()

    def wait_connected(self) -> Any:
        return self.connected.get(timeout=10)

    def subscribe(self, topic: str, qos: int = 0) -> list[Any]:
        self.c.subscribe(topic, qos=qos)
        return self.subacks.get(timeout=10)

    def next(self) -> tuple[str, bytes, bool, int]:
        return self.messages.get(timeout=10)

    def close(self) -> None:
        self.c.disconnect()
        self.c.loop_stop()


@pytest.fixture
def mqtt_port() -> int:
    return free_port()


@pytest.fixture
def server(tmp_path, mockd_server, mqtt_port):
    path = tmp_path / "mocks.yaml"
    path.write_text(textwrap.dedent(CONFIG.format(port=mqtt_port)))
    return mockd_server("--config", str(path))


@pytest.fixture
def client(server, mqtt_port) -> Iterator[Client]:
    c = Client(mqtt_port)
    assert c.wait_connected() == 0
    yield c
    c.close()


def test_retained_scheduled_message_reaches_a_later_subscriber(client) -> None:
    assert client.subscribe("sensors/room1/temp", qos=1)[0] == 1
    assert client.next() == ("sensors/room1/temp", b'{"t": 21}', True, 1)


def test_forward_republishes_the_payload(client) -> None:
    client.subscribe("sensors/ingested")
    client.c.publish("cmd/ingest", b"hello", qos=1)
    assert client.next() == ("sensors/ingested", b"hello", False, 0)


def test_response_goes_back_to_the_topic_once(client) -> None:
    client.subscribe("sensors/ping")
    client.c.publish("sensors/ping", b"ping")
    got = sorted([client.next()[1], client.next()[1]])
    assert got == [b"ping", b"pong"]
    with pytest.raises(queue.Empty):  # no loop: the broker's own reply does not trigger another
        client.messages.get(timeout=0.3)


def test_qos2_round_trip(client) -> None:
    assert client.subscribe("sensors/q2", qos=2) == [2]
    info = client.c.publish("sensors/q2", b"exactly once", qos=2)
    info.wait_for_publish(timeout=10)
    assert client.next() == ("sensors/q2", b"exactly once", False, 2)


def test_wrong_password_is_refused(server, mqtt_port) -> None:
    c = Client(mqtt_port, password="nope")
    try:
        rc = c.wait_connected()
        assert rc.is_failure
        assert str(rc) == "Not authorized"
    finally:
        c.close()


def test_acl_denies_subscribing_outside_the_rules(client) -> None:
    codes = client.subscribe("other/topic")
    assert codes[0].is_failure
    codes = client.subscribe("cmd/#")  # write-only for this user
    assert codes[0].is_failure


def test_user_without_rules_may_use_any_topic(server, mqtt_port) -> None:
    c = Client(mqtt_port, "admin", "root")
    try:
        assert c.wait_connected() == 0
        assert c.subscribe("anything/at/all") == [0]
        c.c.publish("anything/at/all", b"x")
        assert c.next() == ("anything/at/all", b"x", False, 0)
    finally:
        c.close()


def test_publishes_are_logged_counted_and_the_port_listed(server, client, mqtt_port) -> None:
    client.subscribe("sensors/ping")
    client.c.publish("sensors/ping", b"ping", qos=1)
    seen = {client.next()[1], client.next()[1]}
    assert seen == {b"ping", b"pong"}
    log = request(server.admin + "/requests?protocol=mqtt&mqttTopic=sensors/%2B").json()
    publishes = [e for e in log["requests"] if e["method"] == "PUBLISH" and e["mqtt"]["clientId"] != "inline"]
    assert len(publishes) == 1
    entry = publishes[0]
    assert (entry["protocol"], entry["path"], entry["body"]) == ("mqtt", "sensors/ping", "ping")
    assert entry["matchedMockId"] == "sensors"
    assert {k: entry["mqtt"][k] for k in ("topic", "qos", "retain", "direction")} == {
        "topic": "sensors/ping", "qos": 1, "retain": False, "direction": "publish"}  # fmt: skip
    subs = request(server.admin + "/requests?protocol=mqtt&mqttTopic=sensors/ping").json()["requests"]
    assert any(e["method"] == "SUBSCRIBE" for e in subs)
    verify = request(server.admin + "/mocks/sensors/verify", "POST", {"atLeast": 1}).json()
    assert verify["passed"] is True
    ports = request(server.admin + "/ports").json()["ports"]
    assert {"port": mqtt_port, "protocol": "MQTT", "component": "MQTT Broker", "status": "running"} in ports


def test_malformed_packets_do_not_stop_the_broker(server, mqtt_port) -> None:
    for junk in (b"\xff\xff\xff\xff\xff", b"\x10\x05garbage", b"\x30"):
        with socket.create_connection(("127.0.0.1", mqtt_port), timeout=5) as s:
            s.sendall(junk)
    c = Client(mqtt_port)
    try:
        assert c.wait_connected() == 0
    finally:
        c.close()


def test_taken_mqtt_port_fails_start_up(tmp_path, mockd_server) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        path = tmp_path / "taken.json"
        path.write_text(json.dumps({"mocks": [{"id": "m", "type": "mqtt", "mqtt": {"port": port}}]}))
        proc = mockd_server("--config", str(path), wait=False)
        out, err = proc.output()
    assert proc.proc is not None
    assert proc.proc.returncode == 1
    assert f"MQTT port {port} is already in use — try a different mqtt.port" in err
    assert "Mock server running" not in out


def test_admin_created_broker_starts_and_stops(server) -> None:
    port = free_port()
    body = {"id": "made", "type": "mqtt", "mqtt": {"port": port, "topics": [{"topic": "a/b", "retain": True,
            "messages": [{"payload": "hi {{topic}}"}]}]}}  # fmt: skip
    assert request(server.admin + "/mocks", "POST", body).status == 201
    c = Client(port, "", "")
    try:
        assert c.wait_connected() == 0
        c.subscribe("a/#")
        assert c.next() == ("a/b", b"hi a/b", True, 0)
    finally:
        c.close()
    assert request(server.admin + "/mocks/made", "DELETE").status == 204
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_sigterm_with_a_connected_client_stops_the_broker_exit_0(server, client, mqtt_port) -> None:
    assert client.subscribe("sensors/#") == [0]
    assert server.stop() == 0
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", mqtt_port)) != 0


def test_denied_publish_is_dropped(server, mqtt_port, client) -> None:
    watcher = Client(mqtt_port, "admin", "root")
    try:
        assert watcher.wait_connected() == 0
        assert watcher.subscribe("#") == [0]
        client.c.publish("other/secret", b"no", qos=0)  # dev may not publish here
        client.c.publish("sensors/ok", b"yes", qos=0)  # ...but may here; it arrives after the denied one
        topics = []
        while not topics or topics[-1] != "sensors/ok":
            topics.append(watcher.next()[0])
        assert "other/secret" not in topics
    finally:
        watcher.close()
