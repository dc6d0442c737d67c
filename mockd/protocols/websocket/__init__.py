"""WebSocket mocks (`type: websocket`; protocols-reference §2) on the mock port, over Granian's RSGI
WebSocket protocol.

- `config`: the `websocket` block parsed into an `Endpoint` (bad durations, match types, regexes and scenario
  steps are build errors naming the field);
- `matching`: whether a received frame satisfies a matcher;
- `session`: one connection (handshake checks, matchers, default response, echo, scenario, idle timeout).

Upgrades reach a WebSocket mock by its exact `websocket.path` (the route table's `upgrades`, not the HTTP
matcher), as the Go tool dispatches them.
"""

from __future__ import annotations

from typing import Any

from mockd.plan.model import RouteSpec
from mockd.protocols.registry import ServeEnv
from mockd.protocols.websocket.config import parse_endpoint
from mockd.protocols.websocket.session import WebSocketResponder


def build(mock: dict[str, Any]) -> tuple[RouteSpec | None, dict[str, Any]]:
    """No HTTP route: upgrades at exactly `websocket.path` reach the mock (its spec's `upgradePath`)."""
    spec = mock.get("websocket") or {}
    endpoint = parse_endpoint(spec)  # raises ProtocolBuildError for what validation let through
    return None, {"upgradePath": endpoint.path, "websocket": spec}


def responder(spec: dict[str, Any], env: ServeEnv) -> WebSocketResponder:
    return WebSocketResponder(parse_endpoint(spec["websocket"]), env)
