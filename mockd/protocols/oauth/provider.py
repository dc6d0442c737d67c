"""The OAuth 2.0 / OIDC endpoints of one mock (protocols-reference §6.3), as plain functions of a request.

Each endpoint takes the parsed request (`Call`) and returns a `Reply`; the responder (`__init__.py`) does the
HTTP. The order of checks and the error codes and texts are the Go tool's, so a client library's error
handling sees what it would see there; errors follow RFC 6749 §5.2 (`{"error", "error_description"}`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt

from mockd.protocols.oauth.config import Client, Settings, User
from mockd.protocols.oauth.keys import SigningKey, random_text

CODE_TTL = 600.0  # authorization codes: 10 minutes, single use

_GRANTS = ["authorization_code", "client_credentials", "refresh_token", "password"]
_CLAIMS_SUPPORTED = [
    "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "email", "email_verified", "name",
    "given_name", "family_name", "picture",
]  # fmt: skip


@dataclass(slots=True)
class Call:
    method: str
    params: dict[str, str]  # query (GET) or form (POST) values, first of each
    authorization: str  # the Authorization header, "" when absent


@dataclass(slots=True)
class Reply:
    status: int
    body: Any = None  # JSON-encoded; None for an empty body
    headers: list[tuple[str, str]] = field(default_factory=list)


class OAuthError(Exception):
    def __init__(
        self, status: int, code: str, description: str, headers: list[tuple[str, str]] | None = None
    ):
        super().__init__(description)
        self.reply = Reply(status, {"error": code, "error_description": description}, headers or [])


@dataclass(slots=True)
class _Code:
    client_id: str
    redirect_uri: str
    scope: str
    challenge: str
    method: str
    nonce: str
    subject: str
    expires: float


@dataclass(slots=True)
class _Refresh:
    client_id: str
    scope: str
    subject: str
    user: User | None
    expires: float


class Provider:
    """Keys and issued grants of one OAuth mock."""

    def __init__(self, settings: Settings) -> None:
        self.s = settings
        self.key = SigningKey()
        self.codes: dict[str, _Code] = {}
        self.refresh: dict[str, _Refresh] = {}
        self.revoked: set[str] = set()

    # -- discovery ------------------------------------------------------------------------------------

    def discovery(self, call: Call) -> Reply:
        issuer = self.s.issuer
        return Reply(200, {
            "issuer": issuer,
            "authorization_endpoint": issuer + "/authorize",
            "token_endpoint": issuer + "/token",
            "userinfo_endpoint": issuer + "/userinfo",
            "jwks_uri": issuer + "/.well-known/jwks.json",
            "revocation_endpoint": issuer + "/revoke",
            "introspection_endpoint": issuer + "/introspect",
            "response_types_supported": ["code", "token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": list(self.s.scopes),
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "claims_supported": _CLAIMS_SUPPORTED,
            "grant_types_supported": _GRANTS,
            "code_challenge_methods_supported": ["S256", "plain"],
        })  # fmt: skip

    def jwks(self, call: Call) -> Reply:
        return Reply(200, self.key.jwks())

    # -- shared checks --------------------------------------------------------------------------------

    def _scope(self, requested: str) -> str:
        for scope in requested.split():
            if scope not in self.s.scopes:
                raise OAuthError(400, "invalid_scope", f'scope "{scope}" is not supported')
        return " ".join(requested.split()) or " ".join(self.s.scopes)

    def _credentials(self, call: Call) -> tuple[str, str, bool]:
        """(client_id, client_secret, whether a secret was sent) from HTTP Basic, else the form."""
        auth = call.authorization
        if auth[:6].lower() == "basic ":
            try:
                decoded = base64.b64decode(auth[6:].strip(), validate=True).decode()
            except (ValueError, UnicodeDecodeError):
                decoded = ""
            if ":" in decoded:
                client_id, secret = decoded.split(":", 1)
                return client_id, secret, True
        return (
            call.params.get("client_id", ""),
            call.params.get("client_secret", ""),
            ("client_secret" in call.params),
        )

    def _client(self, call: Call) -> Client:
        """The authenticated client: id and secret must match exactly (a public client sends none)."""
        client_id, secret, _ = self._credentials(call)
        client = self.s.clients.get(client_id)
        if client is None or not hmac.compare_digest(client.secret, secret):
            raise OAuthError(401, "invalid_client", "invalid client credentials")
        return client

    @staticmethod
    def _grant(client: Client, grant: str) -> None:
        if grant not in client.grant_types:
            raise OAuthError(400, "unauthorized_client", f"client does not support {grant} grant")

    def _access_token(self, client_id: str, subject: str, scope: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.s.issuer, "iat": now, "exp": now + int(self.s.token_ttl), "jti": random_text(32),
        }  # fmt: skip
        claims.update(self.s.default_claims)
        claims.update({"sub": subject, "client_id": client_id, "scope": scope})
        return self.key.sign(claims)

    def _id_token(self, client_id: str, user: User | None, subject: str, nonce: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.s.issuer, "iat": now, "exp": now + int(self.s.token_ttl), "auth_time": now,
            "sub": subject, "aud": client_id,
        }  # fmt: skip
        if nonce:
            claims["nonce"] = nonce
        if user is not None:
            claims.update(user.claims)
        return self.key.sign(claims)

    def _tokens(
        self, client: Client, subject: str, scope: str, user: User | None, nonce: str = "",
        refresh: str | None = None, with_refresh: bool = False, with_id: bool = False,
    ) -> Reply:  # fmt: skip
        body: dict[str, Any] = {
            "access_token": self._access_token(client.client_id, subject, scope),
            "token_type": "Bearer",
            "expires_in": int(self.s.token_ttl),
        }
        if refresh is None and with_refresh and "refresh_token" in client.grant_types:
            refresh = random_text(64)
            self.refresh[refresh] = _Refresh(
                client.client_id, scope, subject, user, time.time() + self.s.refresh_ttl
            )
        if refresh is not None:
            body["refresh_token"] = refresh
        if with_id and "openid" in scope.split():
            body["id_token"] = self._id_token(client.client_id, user, subject, nonce)
        body["scope"] = scope
        return Reply(200, body)

    def _subject_user(self) -> tuple[str, User | None]:
        """Who `/authorize` logs in (there is no login page): the first configured user, else `mock-user`."""
        if self.s.users:
            user = self.s.users[0]
            return user.subject, user
        return "mock-user", None

    # -- endpoints ------------------------------------------------------------------------------------

    def authorize(self, call: Call) -> Reply:
        p = call.params
        scope = self._scope(p.get("scope", ""))
        for name in ("client_id", "redirect_uri", "response_type"):
            if not p.get(name):
                raise OAuthError(400, "invalid_request", f"{name} is required")
        client = self.s.clients.get(p["client_id"])
        if client is None:
            raise OAuthError(401, "invalid_client", "unknown client")
        redirect = p["redirect_uri"]
        if redirect not in client.redirect_uris:
            raise OAuthError(400, "invalid_request", "invalid redirect_uri")
        state = p.get("state", "")
        response_type = p["response_type"]

        def to(query: dict[str, str], fragment: bool = False) -> Reply:
            if state:
                query["state"] = state
            sep = "#" if fragment else ("&" if "?" in redirect else "?")
            return Reply(302, None, [("location", redirect + sep + urlencode(query))])

        if response_type == "code":
            if "authorization_code" not in client.grant_types:
                why = "client does not support authorization_code grant"
                return to({"error": "unauthorized_client", "error_description": why})
            challenge = p.get("code_challenge", "")
            method = p.get("code_challenge_method", "") or ("plain" if challenge else "")
            if method and method not in ("plain", "S256"):
                return to({"error": "invalid_request",
                           "error_description": "unsupported code_challenge_method"})  # fmt: skip
            subject, _ = self._subject_user()
            code = random_text(32)
            self.codes[code] = _Code(
                client.client_id,
                redirect,
                scope,
                challenge,
                method,
                p.get("nonce", ""),
                subject,
                time.time() + CODE_TTL,
            )
            return to({"code": code})
        if response_type == "token":
            subject, _ = self._subject_user()
            token = self._access_token(client.client_id, subject, scope)
            query = {"access_token": token, "token_type": "Bearer", "expires_in": str(int(self.s.token_ttl))}
            if state:
                query["state"] = state
            query["scope"] = scope
            return Reply(302, None, [("location", redirect + "#" + urlencode(query))])
        return to({"error": "unsupported_response_type",
                   "error_description": f"response_type {response_type!r} is not supported"})  # fmt: skip

    def token(self, call: Call) -> Reply:
        if call.method != "POST":
            raise OAuthError(405, "invalid_request", "method not allowed")
        grant = call.params.get("grant_type", "")
        handler = {
            "client_credentials": self._client_credentials,
            "password": self._password,
            "authorization_code": self._authorization_code,
            "refresh_token": self._refresh_token,
        }.get(grant)
        if handler is None:
            raise OAuthError(400, "unsupported_grant_type", "unsupported grant_type")
        return handler(call)

    def _client_credentials(self, call: Call) -> Reply:
        scope = self._scope(call.params.get("scope", ""))
        client = self._client(call)
        self._grant(client, "client_credentials")
        return self._tokens(client, client.client_id, scope, None)

    def _password(self, call: Call) -> Reply:
        p = call.params
        scope = self._scope(p.get("scope", ""))
        if not p.get("username") or not p.get("password"):
            raise OAuthError(400, "invalid_request", "username and password are required")
        client = self._client(call)
        self._grant(client, "password")
        user = self.s.user(p["username"])
        if user is None or not hmac.compare_digest(user.password, p["password"]):
            raise OAuthError(401, "invalid_grant", "invalid user credentials")
        return self._tokens(client, user.subject, scope, user, with_refresh=True, with_id=True)

    def _authorization_code(self, call: Call) -> Reply:
        p = call.params
        if not p.get("code"):
            raise OAuthError(400, "invalid_request", "code is required")
        if not p.get("redirect_uri"):
            raise OAuthError(400, "invalid_request", "redirect_uri is required")
        client_id, secret, sent = self._credentials(call)
        client = self.s.clients.get(client_id)
        if client is None:
            raise OAuthError(401, "invalid_client", "unknown client")
        if client.secret:
            if not sent or not secret:
                raise OAuthError(401, "invalid_client", "client_secret is required for confidential clients")
            if not hmac.compare_digest(client.secret, secret):
                raise OAuthError(401, "invalid_client", "invalid client credentials")
        self._grant(client, "authorization_code")
        code = self.codes.pop(p["code"], None)
        if code is None:
            raise OAuthError(400, "invalid_grant", "invalid authorization code")
        if code.expires < time.time():
            raise OAuthError(400, "invalid_grant", "authorization code has expired")
        if code.client_id != client.client_id:
            raise OAuthError(400, "invalid_grant", "client_id mismatch")
        if code.redirect_uri != p["redirect_uri"]:
            raise OAuthError(400, "invalid_grant", "redirect_uri mismatch")
        if code.challenge:
            verifier = p.get("code_verifier", "")
            if not verifier:
                raise OAuthError(400, "invalid_grant", "code_verifier is required for PKCE")
            if code.method == "S256":
                digest = hashlib.sha256(verifier.encode()).digest()
                verifier = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if not hmac.compare_digest(verifier, code.challenge):
                raise OAuthError(400, "invalid_grant", "code_verifier does not match code_challenge")
        user = self.s.user_by_subject(code.subject)
        return self._tokens(
            client, code.subject, code.scope, user, code.nonce, with_refresh=True, with_id=True
        )

    def _refresh_token(self, call: Call) -> Reply:
        p = call.params
        requested = p.get("scope", "")
        if requested:
            self._scope(requested)
        token = p.get("refresh_token", "")
        if not token:
            raise OAuthError(400, "invalid_request", "refresh_token is required")
        client = self._client(call)
        self._grant(client, "refresh_token")
        grant = self.refresh.get(token) if token not in self.revoked else None
        if grant is None:
            raise OAuthError(400, "invalid_grant", "invalid refresh token")
        if grant.expires < time.time():
            raise OAuthError(400, "invalid_grant", "refresh token has expired")
        if grant.client_id != client.client_id:
            raise OAuthError(400, "invalid_grant", "client_id mismatch")
        scope = " ".join(requested.split()) or grant.scope
        return self._tokens(client, grant.subject, scope, grant.user, refresh=token, with_id=True)

    def _claims(self, token: str) -> dict[str, Any]:
        if token in self.revoked:
            raise jwt.InvalidTokenError("token has been revoked")
        return self.key.verify(token)

    def userinfo(self, call: Call) -> Reply:
        if call.method not in ("GET", "POST"):
            raise OAuthError(405, "invalid_request", "method not allowed")
        auth = call.authorization
        if not auth:
            raise OAuthError(401, "invalid_request", "missing authorization header",
                             [("www-authenticate", "Bearer")])  # fmt: skip
        if auth[:7].lower() != "bearer ":
            raise OAuthError(401, "invalid_request", "invalid authorization header",
                             [("www-authenticate", "Bearer")])  # fmt: skip
        try:
            claims = self._claims(auth[7:].strip())
        except jwt.PyJWTError as e:
            raise OAuthError(401, "invalid_grant", str(e),
                             [("www-authenticate", 'Bearer error="invalid_token"')]) from None  # fmt: skip
        sub = str(claims.get("sub", ""))
        user = self.s.user_by_subject(sub)
        info = {**(user.claims if user is not None else {}), "sub": sub}
        return Reply(200, {k: info[k] for k in sorted(info)})

    def introspect(self, call: Call) -> Reply:
        if call.method != "POST":
            raise OAuthError(405, "invalid_request", "method not allowed")
        client_id, _, _ = self._credentials(call)
        if not client_id:
            raise OAuthError(401, "invalid_client", "client authentication required")
        self._client(call)
        try:
            claims = self._claims(call.params.get("token", ""))
        except jwt.PyJWTError:
            return Reply(200, {"active": False})
        out: dict[str, Any] = {"active": True}
        for key in ("scope", "client_id", "username"):
            if claims.get(key):
                out[key] = claims[key]
        out["token_type"] = "Bearer"
        for key in ("exp", "iat", "nbf", "sub", "aud", "iss", "jti"):
            if claims.get(key):
                out[key] = claims[key]
        return Reply(200, out)

    def revoke(self, call: Call) -> Reply:
        if call.method != "POST":
            raise OAuthError(405, "invalid_request", "method not allowed")
        if call.params.get("client_id") or call.authorization[:6].lower() == "basic ":
            self._client(call)
        token = call.params.get("token", "")
        if token:
            self.revoked.add(token)
            self.refresh.pop(token, None)
        return Reply(200)
