"""OAuth 2.0 / OIDC provider mocks, driven by real clients: httpx + PyJWT (discovery, JWKS signature
verification) and authlib's OAuth2Session (authorization code with PKCE, refresh) (protocols-reference §6)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from authlib.integrations.requests_client import OAuth2Session

from tests.harness import MockdProcess, request, run_cli

REDIRECT = "http://localhost:3000/cb"


@pytest.fixture
def idp(mockd_server: Callable[..., MockdProcess]) -> MockdProcess:
    server = mockd_server()
    mock = {
        "id": "idp",
        "type": "oauth",
        "oauth": {
            "issuer": f"{server.url}/oauth",
            "defaultScopes": ["openid", "profile", "email", "read"],
            "defaultClaims": {"aud": "my-api"},
            "clients": [
                {"clientId": "svc", "clientSecret": "s3cret", "grantTypes": ["client_credentials"]},
                {
                    "clientId": "web", "clientSecret": "", "redirectUris": [REDIRECT],
                    "grantTypes": ["authorization_code", "refresh_token", "password"],
                },
            ],
            "users": [{"username": "ada", "password": "pw", "claims": {"sub": "user-1", "email": "ada@x.io"}}],
        },
    }  # fmt: skip
    created = request(server.admin + "/mocks", method="POST", body=mock)
    assert created.status == 201, created.body
    return server


def _discover(idp: MockdProcess) -> dict[str, str]:
    reply = httpx.get(f"{idp.url}/oauth/.well-known/openid-configuration")
    assert reply.status_code == 200
    assert reply.headers["cache-control"] == "no-store"
    return reply.json()  # type: ignore[no-any-return]


def test_discovery_token_and_signature_verified_against_jwks(idp: MockdProcess) -> None:
    config = _discover(idp)
    assert config["issuer"] == f"{idp.url}/oauth"
    assert config["code_challenge_methods_supported"] == ["S256", "plain"]
    reply = httpx.post(
        config["token_endpoint"],
        data={"grant_type": "client_credentials", "scope": "read"},
        auth=("svc", "s3cret"),
    )
    assert reply.status_code == 200
    body = reply.json()
    assert sorted(body) == ["access_token", "expires_in", "scope", "token_type"]
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("Bearer", 3600, "read")
    signing_key = jwt.PyJWKClient(config["jwks_uri"]).get_signing_key_from_jwt(body["access_token"])
    claims = jwt.decode(
        body["access_token"],
        signing_key.key,
        algorithms=["RS256"],
        audience="my-api",
        issuer=config["issuer"],
    )
    assert (claims["sub"], claims["client_id"], claims["scope"]) == ("svc", "svc", "read")
    assert claims["exp"] - claims["iat"] == 3600
    assert len(claims["jti"]) == 32
    other = jwt.encode({"sub": "x"}, _other_key(), algorithm="RS256")
    with pytest.raises(jwt.InvalidSignatureError):  # a token signed by some other key does not verify
        jwt.decode(other, signing_key.key, algorithms=["RS256"])


def _other_key() -> object:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_wrong_client_secret_gets_rfc6749_error(idp: MockdProcess) -> None:
    reply = httpx.post(
        f"{idp.url}/oauth/token", data={"grant_type": "client_credentials"}, auth=("svc", "nope")
    )
    assert reply.status_code == 401
    assert reply.headers["content-type"] == "application/json"
    assert reply.content == b'{"error":"invalid_client","error_description":"invalid client credentials"}\n'
    bad_scope = httpx.post(
        f"{idp.url}/oauth/token",
        data={"grant_type": "client_credentials", "scope": "admin"},
        auth=("svc", "s3cret"),
    )
    assert (bad_scope.status_code, bad_scope.json()) == (
        400, {"error": "invalid_scope", "error_description": 'scope "admin" is not supported'}
    )  # fmt: skip
    not_allowed = httpx.post(
        f"{idp.url}/oauth/token", data={"grant_type": "password", "username": "ada", "password": "pw"},
        auth=("svc", "s3cret"),
    )  # fmt: skip
    assert (not_allowed.status_code, not_allowed.json()) == (
        400, {"error": "unauthorized_client", "error_description": "client does not support password grant"}
    )  # fmt: skip
    unsupported = httpx.post(f"{idp.url}/oauth/token", json={"grant_type": "client_credentials"})
    assert unsupported.json() == {
        "error": "unsupported_grant_type",
        "error_description": "unsupported grant_type",
    }


def test_authorization_code_with_pkce_refresh_userinfo_and_revoke(idp: MockdProcess) -> None:
    config = _discover(idp)
    session = OAuth2Session(
        "web", None, redirect_uri=REDIRECT, scope="openid email", code_challenge_method="S256",
        token_endpoint_auth_method="none",
    )  # fmt: skip
    verifier = secrets.token_urlsafe(48)
    url, state = session.create_authorization_url(
        config["authorization_endpoint"], code_verifier=verifier, nonce="n-1"
    )
    redirect = httpx.get(url)
    assert redirect.status_code == 302
    location = redirect.headers["location"]
    assert location.startswith(REDIRECT + "?")
    assert parse_qs(urlsplit(location).query)["state"] == [state]
    token = session.fetch_token(
        config["token_endpoint"], authorization_response=location, code_verifier=verifier
    )
    assert token["scope"] == "openid email"
    keys = jwt.PyJWKClient(config["jwks_uri"])
    id_claims = jwt.decode(
        token["id_token"], keys.get_signing_key_from_jwt(token["id_token"]).key, algorithms=["RS256"],
        audience="web", issuer=config["issuer"],
    )  # fmt: skip
    assert (id_claims["sub"], id_claims["nonce"], id_claims["email"]) == ("user-1", "n-1", "ada@x.io")
    info = session.get(config["userinfo_endpoint"])
    assert info.json() == {"email": "ada@x.io", "sub": "user-1"}

    # The code is single use.
    again = httpx.post(config["token_endpoint"], data={
        "grant_type": "authorization_code", "code": parse_qs(urlsplit(location).query)["code"][0],
        "redirect_uri": REDIRECT, "client_id": "web", "code_verifier": verifier,
    })  # fmt: skip
    assert again.json() == {"error": "invalid_grant", "error_description": "invalid authorization code"}

    refreshed = session.refresh_token(config["token_endpoint"], refresh_token=token["refresh_token"])
    assert refreshed["refresh_token"] == token["refresh_token"]  # not rotated, as in the Go tool
    assert refreshed["access_token"] != token["access_token"]

    revoked = httpx.post(config["revocation_endpoint"], data={"token": refreshed["access_token"]})
    assert (revoked.status_code, revoked.content) == (200, b"")
    rejected = httpx.get(
        config["userinfo_endpoint"], headers={"Authorization": f"Bearer {refreshed['access_token']}"}
    )
    assert rejected.status_code == 401
    assert rejected.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert rejected.json() == {"error": "invalid_grant", "error_description": "token has been revoked"}


def test_pkce_verifier_must_match(idp: MockdProcess) -> None:
    url = (
        f"{idp.url}/oauth/authorize?response_type=code&client_id=web&redirect_uri={REDIRECT}"
        "&code_challenge=abc&code_challenge_method=plain"
    )
    code = parse_qs(urlsplit(httpx.get(url).headers["location"]).query)["code"][0]
    reply = httpx.post(f"{idp.url}/oauth/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": "web",
        "code_verifier": "xyz",
    })  # fmt: skip
    assert (reply.status_code, reply.json()) == (
        400, {"error": "invalid_grant", "error_description": "code_verifier does not match code_challenge"}
    )  # fmt: skip
    unknown = httpx.get(
        f"{idp.url}/oauth/authorize?response_type=code&client_id=web&redirect_uri=http://evil/"
    )
    assert (unknown.status_code, unknown.json()) == (
        400, {"error": "invalid_request", "error_description": "invalid redirect_uri"}
    )  # fmt: skip


def test_password_grant_and_introspection(idp: MockdProcess) -> None:
    token = httpx.post(f"{idp.url}/oauth/token", data={
        "grant_type": "password", "username": "ada", "password": "pw", "client_id": "web", "scope": "read",
    }).json()  # fmt: skip
    assert sorted(token) == ["access_token", "expires_in", "refresh_token", "scope", "token_type"]
    wrong = httpx.post(f"{idp.url}/oauth/token", data={
        "grant_type": "password", "username": "ada", "password": "bad", "client_id": "web",
    })  # fmt: skip
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_grant")
    active = httpx.post(
        f"{idp.url}/oauth/introspect", data={"token": token["access_token"]}, auth=("svc", "s3cret")
    )
    body = active.json()
    assert list(body)[:4] == ["active", "scope", "client_id", "token_type"]
    assert (body["active"], body["sub"], body["aud"], body["scope"]) == (True, "user-1", "my-api", "read")
    inactive = httpx.post(f"{idp.url}/oauth/introspect", data={"token": "junk"}, auth=("svc", "s3cret"))
    assert inactive.content == b'{"active":false}\n'
    anonymous = httpx.post(f"{idp.url}/oauth/introspect", data={"token": "junk"})
    assert anonymous.json() == {
        "error": "invalid_client",
        "error_description": "client authentication required",
    }


def test_keys_survive_changes_to_other_mocks(idp: MockdProcess) -> None:
    before = httpx.get(f"{idp.url}/oauth/.well-known/jwks.json").json()
    other = {
        "id": "ping",
        "type": "http",
        "http": {"matcher": {"path": "/ping"}, "response": {"body": "pong"}},
    }
    assert request(idp.admin + "/mocks", method="POST", body=other).status == 201
    assert httpx.get(f"{idp.url}/oauth/.well-known/jwks.json").json() == before
    assert before["keys"][0]["kty"] == "RSA"
    assert before["keys"][0]["e"] == "AQAB"


def test_bad_token_expiry_is_a_load_error(tmp_path: Path) -> None:
    config = tmp_path / "mockd.yaml"
    config.write_text(json.dumps({"version": "1.0", "mocks": [{
        "id": "idp", "type": "oauth",
        "oauth": {"issuer": "http://x/o", "tokenExpiry": "soon", "clients": [{"clientId": "a"}]},
    }]}))  # fmt: skip
    out = run_cli("compile", str(config), "-o", str(tmp_path / "plan.json"))
    assert out.returncode == 1
    assert (
        'mocks[0].oauth.tokenExpiry: invalid duration "soon" (expected e.g. "1h", "30m" or "7d")'
        in out.stderr
    )
    assert "Traceback" not in out.stderr
