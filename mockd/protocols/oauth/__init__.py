"""OAuth 2.0 / OIDC provider mocks (`type: oauth`) on the mock port: protocols-reference §6.

`build` reads the settings (so a bad `tokenExpiry` is a load error naming the field) and routes the seven
endpoints under the issuer's path through one anchored path pattern; `responder` dispatches a matched request
by its path suffix to provider.py. The provider (its key, codes and refresh tokens) lives as long as the
mock's settings do, across route-table rebuilds caused by other mocks.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import orjson

from mockd.gocompat import gojson
from mockd.plan.model import route_spec
from mockd.protocols.oauth.config import read_settings
from mockd.protocols.oauth.provider import Call, OAuthError, Provider, Reply
from mockd.protocols.registry import ServeEnv

if TYPE_CHECKING:
    from collections.abc import Callable

    from mockd.plan.model import RouteSpec

PROTOCOL_PRIORITY = 1_000_000
_SUFFIXES = {
    "/authorize": "authorize",
    "/token": "token",
    "/userinfo": "userinfo",
    "/revoke": "revoke",
    "/introspect": "introspect",
    "/.well-known/jwks.json": "jwks",
    "/.well-known/openid-configuration": "discovery",
}
_NO_STORE = [("content-type", "application/json"), ("cache-control", "no-store"), ("pragma", "no-cache")]

# (mock id, settings as JSON) -> provider: one key per provider instance, kept across table rebuilds.
_PROVIDERS: dict[tuple[str, bytes], Provider] = {}
_LOCK = threading.Lock()


def build(mock: dict[str, Any]) -> tuple[RouteSpec | None, dict[str, Any]]:
    spec = mock.get("oauth") or {}
    settings = read_settings(spec)
    alternatives = "|".join(re.escape(s) for s in _SUFFIXES)
    pattern = "^" + re.escape(settings.mount) + "(?:" + alternatives + ")$"
    route = route_spec(
        id=mock["id"], name=mock.get("name") or None, pathPattern=pattern, priority=PROTOCOL_PRIORITY
    )
    return route, dict(spec)


def _provider(mock_id: str, spec: dict[str, Any]) -> Provider:
    key = (mock_id, orjson.dumps(spec, option=orjson.OPT_SORT_KEYS))
    with _LOCK:
        provider = _PROVIDERS.get(key)
        if provider is None:
            for old in [k for k in _PROVIDERS if k[0] == mock_id]:  # settings changed: a new key, as in Go
                del _PROVIDERS[old]
            provider = _PROVIDERS[key] = Provider(read_settings(spec))
    return provider


class OAuthResponder:
    def __init__(self, spec: dict[str, Any], env: ServeEnv) -> None:
        self.provider = _provider(env.mock_id, spec)
        mount = self.provider.s.mount
        self.routes: dict[str, Callable[[Call], Reply]] = {
            mount + suffix: getattr(self.provider, name) for suffix, name in _SUFFIXES.items()
        }

    async def respond(self, req: Any, proto: Any) -> int:
        endpoint = self.routes.get(req.path)
        if endpoint is None:  # the pattern and the table agree, so only a path-decoding oddity lands here
            return _write(proto, Reply(404, {"error": "not_found", "error_description": "unknown endpoint"}))
        # Go's r.FormValue: the form body first (for a form POST), then the query string; first value wins.
        params = _first_values(req.query)
        if req.method == "POST":
            content_type = (req.headers.get("content-type") or "").split(";")[0].strip().lower()
            if content_type == "application/x-www-form-urlencoded":
                params = {**params, **_first_values(req.body.decode("utf-8", "replace"))}
        call = Call(req.method, params, req.headers.get("authorization") or "")
        try:
            reply = endpoint(call)
        except OAuthError as e:
            reply = e.reply
        return _write(proto, reply)


def _first_values(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        out.setdefault(key, value)
    return out


def _write(proto: Any, reply: Reply) -> int:
    if reply.status == 302:
        proto.response_bytes(302, reply.headers, b"")
    elif reply.body is None:
        proto.response_bytes(reply.status, [], b"")
    else:
        proto.response_bytes(reply.status, [*_NO_STORE, *reply.headers], gojson.encode(reply.body))
    return reply.status


def responder(spec: dict[str, Any], env: ServeEnv) -> OAuthResponder:
    return OAuthResponder(spec, env)
