"""The `mqtt` block parsed once per build (protocols-reference §7.1-7.4): topics with their scheduled
messages and reactions, and the users with their ACLs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockd.chaos.durations import parse_duration
from mockd.protocols.registry import ProtocolBuildError

DEFAULT_INTERVAL = 5.0  # seconds between repeats when `interval` is not set (the Go tool's default)


@dataclass(frozen=True, slots=True)
class Scheduled:
    payload: str
    delay: float
    repeat: bool
    interval: float


@dataclass(frozen=True, slots=True)
class Topic:
    topic: str  # a filter (may hold + and #); scheduled messages go to it as written
    qos: int
    retain: bool
    messages: tuple[Scheduled, ...]
    response: str | None  # onPublish.response.payload, sent back to the topic that received the publish
    forward: str  # onPublish.forward: republish the same payload there


@dataclass(frozen=True, slots=True)
class Rule:
    topic: str
    access: str  # lower-cased as written


@dataclass(frozen=True, slots=True)
class User:
    username: str
    password: str
    acl: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class Broker:
    port: int
    auth: bool
    users: tuple[User, ...]
    topics: tuple[Topic, ...]


def _duration(value: Any, where: str, default: float = 0.0) -> float:
    if value in (None, ""):
        return default
    seconds = parse_duration(value) if isinstance(value, str) else None
    if seconds is None:
        raise ProtocolBuildError(where, f'invalid duration {value!r}: expected e.g. "500ms" or "2s"')
    return max(0.0, seconds)


def _dict(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ProtocolBuildError(where, "expected an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ProtocolBuildError(where, "expected a list")
    return value


def _payload(value: Any) -> str:
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, separators=(",", ":"))  # an object payload is sent as compact JSON


def parse(spec: dict[str, Any]) -> Broker:
    topics = []
    for i, raw in enumerate(_list(spec.get("topics"), "mqtt.topics")):
        where = f"mqtt.topics[{i}]"
        t = _dict(raw, where)
        qos = t.get("qos") or 0
        if qos not in (0, 1, 2):
            raise ProtocolBuildError(f"{where}.qos", "qos must be 0, 1, or 2")
        messages = []
        for j, m in enumerate(_list(t.get("messages"), f"{where}.messages")):
            mw = f"{where}.messages[{j}]"
            m = _dict(m, mw)
            messages.append(Scheduled(
                _payload(m.get("payload", "")),
                _duration(m.get("delay"), f"{mw}.delay"),
                m.get("repeat") is True,
                _duration(m.get("interval"), f"{mw}.interval", DEFAULT_INTERVAL) or DEFAULT_INTERVAL,
            ))  # fmt: skip
        on_publish = _dict(t.get("onPublish"), f"{where}.onPublish")
        response = on_publish.get("response")
        topics.append(Topic(
            str(t.get("topic") or ""), int(qos), t.get("retain") is True, tuple(messages),
            _payload(_dict(response, f"{where}.onPublish.response").get("payload", "")) if response else None,
            str(on_publish.get("forward") or ""),
        ))  # fmt: skip
    auth = _dict(spec.get("auth"), "mqtt.auth")
    users = []
    for i, raw in enumerate(_list(auth.get("users"), "mqtt.auth.users")):
        u = _dict(raw, f"mqtt.auth.users[{i}]")
        rules = tuple(
            Rule(str(r.get("topic") or ""), str(r.get("access") or "").lower())
            for r in (
                _dict(x, f"mqtt.auth.users[{i}].acl")
                for x in _list(u.get("acl"), f"mqtt.auth.users[{i}].acl")
            )
        )
        users.append(User(str(u.get("username") or ""), str(u.get("password") or ""), rules))
    return Broker(int(spec.get("port") or 0), auth.get("enabled") is True, tuple(users), tuple(topics))


def matches(topic: str, a_filter: str) -> bool:
    """MQTT topic filter matching (`+` one level, `#` the rest)."""
    if "#" not in a_filter and "+" not in a_filter:
        return a_filter == topic
    if topic.startswith("$") and a_filter.startswith(("+", "#")):
        return False
    subs, pubs = a_filter.split("/"), topic.split("/")
    for i, level in enumerate(subs):
        if level == "#":
            return i == len(subs) - 1
        if i >= len(pubs) or level not in ("+", pubs[i]):
            return False
    return len(subs) == len(pubs)


_ALLOWS = {
    "subscribe": ("read", "subscribe", "readwrite", "all"),
    "publish": ("write", "publish", "readwrite", "all"),
}


def allowed(user: User, topic: str, action: str) -> bool:
    """No rules: everything. Otherwise every rule whose filter matches must allow the action (any deny
    wins), and a topic no rule matches is denied."""
    if not user.acl:
        return True
    relevant = [r for r in user.acl if matches(topic, r.topic)]
    return bool(relevant) and all(r.access in _ALLOWS[action] for r in relevant)
