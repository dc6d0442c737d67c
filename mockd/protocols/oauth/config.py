"""An OAuth mock's settings, read once when the mock is built (protocols-reference §6.1)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from mockd.chaos.durations import parse_duration
from mockd.protocols.registry import ProtocolBuildError

_DAYS = re.compile(r"^([0-9]+)d$")
DEFAULT_SCOPES = ("openid", "profile", "email")


@dataclass(frozen=True, slots=True)
class Client:
    client_id: str
    secret: str
    redirect_uris: tuple[str, ...]
    grant_types: frozenset[str]  # authoritative: empty means no grant at all (only the implicit flow)


@dataclass(frozen=True, slots=True)
class User:
    username: str
    password: str
    claims: dict[str, Any]

    @property
    def subject(self) -> str:
        sub = self.claims.get("sub")
        return sub if isinstance(sub, str) and sub else self.username


@dataclass(frozen=True, slots=True)
class Settings:
    issuer: str
    mount: str  # the issuer's path: the endpoints are `<mount>/token` and so on
    token_ttl: float  # seconds
    refresh_ttl: float
    scopes: tuple[str, ...]
    default_claims: dict[str, Any]
    clients: dict[str, Client]
    users: tuple[User, ...] = field(default=())

    def user(self, username: str) -> User | None:
        return next((u for u in self.users if u.username == username), None)

    def user_by_subject(self, sub: str) -> User | None:
        return next((u for u in self.users if u.subject == sub), None)


def duration(text: Any, where: str, default: str) -> float:
    """Go duration syntax or `<int>d`; ProtocolBuildError naming `where` otherwise."""
    raw = text if isinstance(text, str) and text else default
    days = _DAYS.match(raw)
    seconds = float(days.group(1)) * 86400 if days else parse_duration(raw)
    if seconds is None or seconds <= 0:
        raise ProtocolBuildError(where, f'invalid duration "{raw}" (expected e.g. "1h", "30m" or "7d")')
    return seconds


def mount_of(issuer: str) -> str:
    """The path part of the issuer URL (`http://localhost:4280/oauth` -> `/oauth`; none -> root)."""
    return urlsplit(issuer).path if "://" in issuer else ""


def read_settings(spec: dict[str, Any]) -> Settings:
    issuer = spec.get("issuer") or ""
    clients: dict[str, Client] = {}
    for i, raw in enumerate(spec.get("clients") or []):
        if not isinstance(raw, dict):
            raise ProtocolBuildError(f"oauth.clients[{i}]", "expected a client object")
        client_id = str(raw.get("clientId") or "")
        clients.setdefault(client_id, Client(
            client_id,
            str(raw.get("clientSecret") or ""),
            tuple(str(u) for u in raw.get("redirectUris") or []),
            frozenset(str(g) for g in raw.get("grantTypes") or []),
        ))  # fmt: skip
    users = []
    for i, raw in enumerate(spec.get("users") or []):
        if not isinstance(raw, dict):
            raise ProtocolBuildError(f"oauth.users[{i}]", "expected a user object")
        claims = raw.get("claims") or {}
        if not isinstance(claims, dict):
            raise ProtocolBuildError(f"oauth.users[{i}].claims", "expected a map of claim name to value")
        users.append(User(str(raw.get("username") or ""), str(raw.get("password") or ""), dict(claims)))
    claims = spec.get("defaultClaims") or {}
    if not isinstance(claims, dict):
        raise ProtocolBuildError("oauth.defaultClaims", "expected a map of claim name to value")
    scopes = spec.get("defaultScopes")
    return Settings(
        issuer=issuer,
        mount=mount_of(issuer),
        token_ttl=duration(spec.get("tokenExpiry"), "oauth.tokenExpiry", "1h"),
        refresh_ttl=duration(spec.get("refreshExpiry"), "oauth.refreshExpiry", "7d"),
        scopes=tuple(str(s) for s in scopes) if scopes else DEFAULT_SCOPES,
        default_claims=dict(claims),
        clients=clients,
        users=tuple(users),
    )
