"""MQTT publish round trips per second through an MQTT broker mock (issue 18's MQTT figure).

    PYTHONPATH=. .venv/bin/python bench/mqtt_roundtrip.py [--messages 5000] [--qos 0]

Starts one mockd on free loopback ports with an MQTT mock, connects two paho-mqtt clients (a subscriber
and a publisher), publishes `--messages` messages as fast as paho sends them and reports messages per second
from the first publish until the subscriber has received the last one, for QoS 0 and QoS 1. The clients
are Python and share the machine's cores with the server, so the figure is a floor for the broker.

The server is stopped by its PID.
"""

from __future__ import annotations

import argparse
import json
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import paho.mqtt.client as mqtt


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(folder: Path, admin: int, port: int) -> subprocess.Popen[bytes]:
    path = folder / "mockd.json"
    path.write_text(json.dumps({"mocks": [{"id": "broker", "type": "mqtt", "mqtt": {"port": port,
                    "topics": [{"topic": "bench/#"}]}}]}))  # fmt: skip
    cmd = [sys.executable, "-m", "mockd", "start", "--config", str(path), "--host", "127.0.0.1",
           "-p", str(free_port()), "-a", str(admin)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{admin}/ports", timeout=1) as resp:
                if any(p["port"] == port for p in json.loads(resp.read())["ports"]):
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("mockd did not start")


def client(port: int) -> mqtt.Client:
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv311)
    c.max_inflight_messages_set(1000)
    c.max_queued_messages_set(0)
    connected = threading.Event()
    c.on_connect = lambda *_a: connected.set()
    c.connect("127.0.0.1", port)
    c.loop_start()
    if not connected.wait(10):
        raise SystemExit("could not connect")
    return c


def round_trip(port: int, messages: int, qos: int) -> float:
    sub, pub = client(port), client(port)
    done = threading.Event()
    got = 0

    def on_message(*_a: object) -> None:
        nonlocal got
        got += 1
        if got == messages:
            done.set()

    subscribed = threading.Event()
    sub.on_message = on_message
    sub.on_subscribe = lambda *_a: subscribed.set()
    sub.subscribe(f"bench/q{qos}", qos=qos)
    if not subscribed.wait(10):
        raise SystemExit("could not subscribe")
    started = time.monotonic()
    for i in range(messages):
        pub.publish(f"bench/q{qos}", str(i).encode(), qos=qos)
    finished = done.wait(120)
    elapsed = time.monotonic() - started
    for c in (sub, pub):
        c.disconnect()
        c.loop_stop()
    if not finished:
        raise SystemExit(f"only {got} of {messages} messages arrived")
    return messages / elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=5000)
    args = ap.parse_args()
    admin, port = free_port(), free_port()
    with tempfile.TemporaryDirectory(prefix="mockd-bench-") as tmp:
        proc = start(Path(tmp), admin, port)
        try:
            for qos in (0, 1):
                rate = round_trip(port, args.messages, qos)
                print(f"QoS {qos}: {args.messages} publishes delivered at {rate:,.0f} msg/s")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=15)


if __name__ == "__main__":
    main()
