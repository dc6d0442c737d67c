"""The `websocket` block of a mock, parsed once per route-table build (protocols-reference §2.1, §2.3, §2.4).

Durations are Go duration strings (`"250ms"`, `"5s"`). What the Go tool rejects at registration (an
unparsable duration, an unknown match or step type, a bad regex, a `send` step without `message`, a `wait`
step without `duration`) raises `ProtocolBuildError` naming the field, so the mock is reported at load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mockd.chaos.durations import parse_duration
from mockd.protocols.registry import ProtocolBuildError

MATCH_TYPES = ("exact", "contains", "prefix", "suffix", "regex", "json")
STEP_TYPES = ("send", "wait", "expect")
DEFAULT_MAX_MESSAGE = 65536
DEFAULT_EXPECT_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Match:
    type: str
    value: str
    path: tuple[str, ...] = ()  # json: the keys of `$.a.b`
    message_type: str | None = None  # "text" | "binary" | None (both)
    regex: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    type: str  # text | json | binary; anything else sends nothing
    value: Any
    delay: float = 0.0  # seconds


@dataclass(frozen=True, slots=True)
class Rule:
    match: Match
    reply: Reply | None
    no_response: bool


@dataclass(frozen=True, slots=True)
class Step:
    type: str
    message: Reply | None = None
    match: Match | None = None
    duration: float = 0.0
    timeout: float = DEFAULT_EXPECT_TIMEOUT
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Endpoint:
    path: str
    subprotocols: tuple[str, ...] = ()
    require_subprotocol: bool = False
    rules: tuple[Rule, ...] = ()
    default: Reply | None = None
    steps: tuple[Step, ...] = ()
    loop: bool = False
    echo: bool = False
    idle_timeout: float = 0.0
    max_message: int = DEFAULT_MAX_MESSAGE
    max_connections: int = 0
    heartbeat: dict[str, Any] = field(default_factory=dict)


def _duration(value: Any, where: str, default: float = 0.0) -> float:
    if value is None or value == "":
        return default
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) / 1e9  # a bare number is nanoseconds, as a Go time.Duration
    seconds = parse_duration(str(value))
    if seconds is None:
        raise ProtocolBuildError(where, f'time: invalid duration "{value}"')
    return seconds


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_match(raw: Any, where: str) -> Match:
    raw = raw if isinstance(raw, dict) else {}
    kind = str(raw.get("type") or "")
    if kind not in MATCH_TYPES:
        raise ProtocolBuildError(
            where, f"invalid matcher type {kind!r} (expected one of {', '.join(MATCH_TYPES)})"
        )
    value = _text(raw.get("value"))
    regex = None
    if kind == "regex":
        try:
            regex = re.compile(value)
        except re.error as exc:
            raise ProtocolBuildError(f"{where}.value", f"error parsing regexp: {exc}") from None
    path = str(raw.get("path") or "")
    keys = tuple(k for k in path.removeprefix("$").split(".") if k)
    mt = raw.get("messageType")
    return Match(kind, value, keys, mt if mt in ("text", "binary") else None, regex)


def parse_reply(raw: Any, where: str) -> Reply | None:
    if not isinstance(raw, dict):
        return None
    return Reply(str(raw.get("type") or ""), raw.get("value"), _duration(raw.get("delay"), f"{where}.delay"))


def parse_endpoint(spec: dict[str, Any]) -> Endpoint:
    """The endpoint a `websocket` block describes; ProtocolBuildError names the first bad field."""
    rules = []
    for i, raw in enumerate(spec.get("matchers") or []):
        raw = raw if isinstance(raw, dict) else {}
        where = f"websocket.matchers[{i}]"
        rules.append(
            Rule(
                parse_match(raw.get("match"), f"{where}.match"),
                parse_reply(raw.get("response"), f"{where}.response"),
                raw.get("noResponse") is True,
            )
        )
    scenario = _dict(spec.get("scenario"))
    steps = [
        _step(raw, f"websocket.scenario.steps[{i}]") for i, raw in enumerate(scenario.get("steps") or [])
    ]
    echo = spec.get("echoMode") is True or (not rules and not steps)
    size = spec.get("maxMessageSize")
    size = int(size) if isinstance(size, int | float) and not isinstance(size, bool) and size > 0 else 0
    conns = spec.get("maxConnections")
    heartbeat = _dict(spec.get("heartbeat"))
    return Endpoint(
        path=str(spec.get("path") or ""),
        subprotocols=tuple(str(p) for p in spec.get("subprotocols") or []),
        require_subprotocol=spec.get("requireSubprotocol") is True,
        rules=tuple(rules),
        default=parse_reply(spec.get("defaultResponse"), "websocket.defaultResponse"),
        steps=tuple(steps),
        loop=scenario.get("loop") is True,
        echo=echo,
        idle_timeout=_duration(spec.get("idleTimeout"), "websocket.idleTimeout"),
        max_message=size or DEFAULT_MAX_MESSAGE,
        max_connections=int(conns) if isinstance(conns, int) and not isinstance(conns, bool) else 0,
        heartbeat=heartbeat,
    )


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _step(raw: Any, where: str) -> Step:
    raw = raw if isinstance(raw, dict) else {}
    kind = str(raw.get("type") or "")
    if kind not in STEP_TYPES:
        raise ProtocolBuildError(f"{where}.type", f"invalid scenario step type {kind!r}")
    if kind == "send":
        message = parse_reply(raw.get("message"), f"{where}.message")
        if message is None:
            raise ProtocolBuildError(f"{where}.message", "a send step needs a message")
        return Step(kind, message=message)
    if kind == "wait":
        if not raw.get("duration"):
            raise ProtocolBuildError(f"{where}.duration", "a wait step needs a duration")
        return Step(kind, duration=_duration(raw.get("duration"), f"{where}.duration"))
    match = parse_match(raw["match"], f"{where}.match") if isinstance(raw.get("match"), dict) else None
    timeout = _duration(raw.get("timeout"), f"{where}.timeout", DEFAULT_EXPECT_TIMEOUT)
    return Step(kind, match=match, timeout=timeout, optional=raw.get("optional") is True)
