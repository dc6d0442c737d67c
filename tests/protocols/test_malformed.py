"""Malformed client traffic gets each protocol's own error shape, never the server's 500 `internal_error`
(issue 16 "Bad input"), and SOAP bodies cannot make the server read files (no entity expansion)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.harness import MockdProcess

CONFIG = {
    "version": "1.0",
    "mocks": [
        {"id": "g", "type": "graphql", "graphql": {"path": "/g", "schema": "type Query { ping(n: Int): String }",
                                                    "resolvers": {"Query.ping": {"response": "pong {{args.n}}"}}}},
        {"id": "s", "type": "soap", "soap": {"path": "/s", "operations": {"Ping": {"response": "<Pong>{{xpath://x}}</Pong>"}}}},
        {"id": "o", "type": "oauth", "oauth": {"issuer": "http://localhost/o", "clients": [
            {"clientId": "c", "clientSecret": "s", "grantTypes": ["client_credentials"]}]}},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> object:
    from tests.harness import free_port

    path: Path = tmp_path_factory.mktemp("malformed") / "mockd.json"
    path.write_text(json.dumps(CONFIG))
    proc = MockdProcess(["--config", str(path)], free_port(), free_port()).start()
    yield proc
    proc.stop()


GRAPHQL_BODIES = [b"\xff\xfe\x00", b"[]", b"[1]", b'{"query": 5}', b'{"variables": "x"}', b"null", b'"q"',
                  b'{"query": "{ ping(n: \\"x\\") }"}', b'{"query": "{ ping(n: $v) }"}', b"{" * 5000]  # fmt: skip


@pytest.mark.parametrize("body", GRAPHQL_BODIES)
def test_graphql_junk_gets_graphql_errors(server: MockdProcess, body: bytes) -> None:
    reply = httpx.post(server.url + "/g", content=body, headers={"Content-Type": "application/json"})
    assert reply.status_code in (200, 400)
    assert list(reply.json()) == ["errors"]
    assert reply.json()["errors"][0]["extensions"]["code"] in (
        "INTERNAL_SERVER_ERROR", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED",
    )  # fmt: skip


def test_graphql_get_with_non_object_variables(server: MockdProcess) -> None:
    reply = httpx.get(server.url + "/g", params={"query": "{ ping }", "variables": "[1]"})
    assert (reply.status_code, reply.json()["errors"][0]["message"]) == (400, "invalid variables JSON")


SOAP_BODIES = [b"", b"\xff\xfe", b"<Envelope>", b"<x/>", b"<Envelope/>", b"<Envelope><Body/></Envelope>",
               b"<a:Envelope><Body/></a:Envelope>"]  # fmt: skip


@pytest.mark.parametrize("body", SOAP_BODIES)
def test_soap_junk_gets_a_soap_fault(server: MockdProcess, body: bytes) -> None:
    reply = httpx.post(server.url + "/s", content=body, headers={"Content-Type": "text/xml"})
    assert (reply.status_code, reply.headers["content-type"]) == (500, "text/xml; charset=utf-8")
    assert b"<faultcode>soap:Client</faultcode>" in reply.content


def test_soap_entities_are_not_expanded(server: MockdProcess) -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<Envelope><Body><Ping><x>&x;</x></Ping></Body></Envelope>"
    )
    reply = httpx.post(server.url + "/s", content=body)
    assert b"root:" not in reply.content


@pytest.mark.parametrize(
    ("auth", "data"),
    [
        ("Basic !!!not-base64", {"grant_type": "client_credentials"}),
        ("Basic " + "YTpi", {"grant_type": "client_credentials"}),  # a:b, an unknown client
        ("", {"grant_type": "client_credentials", "client_id": "c", "client_secret": "wrong"}),
    ],
)
def test_oauth_bad_client_auth_is_invalid_client(
    server: MockdProcess, auth: str, data: dict[str, str]
) -> None:
    headers = {"Authorization": auth} if auth else {}
    reply = httpx.post(server.url + "/o/token", data=data, headers=headers)
    assert reply.status_code == 401
    assert reply.json() == {"error": "invalid_client", "error_description": "invalid client credentials"}


def test_oauth_junk_requests_get_oauth_errors(server: MockdProcess) -> None:
    binary = httpx.post(server.url + "/o/token", content=b"\xff\x00",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert binary.json()["error"] == "unsupported_grant_type"
    assert httpx.get(server.url + "/o/authorize").json() == {
        "error": "invalid_request", "error_description": "client_id is required"
    }  # fmt: skip
    no_bearer = httpx.get(server.url + "/o/userinfo", headers={"Authorization": "Bearer not.a.jwt"})
    assert no_bearer.status_code == 401
    assert no_bearer.json()["error"] == "invalid_grant"
    assert httpx.get(server.url + "/o/token").status_code == 405


def test_nothing_above_was_a_server_error(server: MockdProcess) -> None:
    log = httpx.get(server.admin + "/requests", params={"limit": 1000}).json()["requests"]
    assert [e for e in log if e["statusCode"] == 500 and e["path"] != "/s"] == []
