"""`mockd add websocket|graphql|soap|oauth` and `mockd websocket|graphql|soap|oauth add` against a real
server: the mock they create over the admin API is served, with the Go CLI's output and exit codes."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Callable

import pytest
from websockets.asyncio.client import connect

from tests.harness import MockdProcess, request, run_cli


@pytest.fixture
def server(mockd_server: Callable[..., MockdProcess]) -> MockdProcess:
    return mockd_server()


def cli(server: MockdProcess, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env={"MOCKD_ADMIN_URL": server.admin})


def created_id(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 0, r.stderr
    first = r.stdout.splitlines()[0]
    assert first.startswith("Created mock: ")
    return first.removeprefix("Created mock: ")


def test_add_websocket_creates_an_echo_endpoint(server: MockdProcess) -> None:
    r = cli(server, "add", "websocket", "--path", "/ws/e", "--echo", "--name", "Echo")
    mock_id = created_id(r)
    assert r.stdout.splitlines()[1:] == ["  Type: websocket", "  Path: /ws/e", "  Echo: enabled"]
    assert r.stderr == ""

    async def go() -> str | bytes:
        async with connect(server.url.replace("http://", "ws://") + "/ws/e") as conn:
            await conn.send("ping")
            return await conn.recv()

    assert asyncio.run(asyncio.wait_for(go(), 20)) == "ping"
    mock = request(server.admin + f"/mocks/{mock_id}").json()
    assert (mock["name"], mock["type"], mock["websocket"]) == (
        "Echo",
        "websocket",
        {"path": "/ws/e", "echoMode": True},
    )


def test_websocket_add_with_a_default_message_and_json_output(server: MockdProcess) -> None:
    r = cli(server, "websocket", "add", "--path", "/ws/m", "--message", '{"ok": true}', "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert list(out) == ["id", "type", "action", "path", "echo"]
    assert {k: v for k, v in out.items() if k != "id"} == {
        "type": "websocket",
        "action": "created",
        "path": "/ws/m",
        "echo": False,
    }

    async def go() -> str | bytes:
        async with connect(server.url.replace("http://", "ws://") + "/ws/m") as conn:
            await conn.send("anything")
            return await conn.recv()

    assert asyncio.run(asyncio.wait_for(go(), 20)) == '{"ok":true}'


def test_add_graphql_query_and_mutation(server: MockdProcess) -> None:
    r = cli(server, "add", "graphql", "--operation", "getUser", "--response", '{"id": 1, "name": "Ada"}')
    created_id(r)
    assert r.stdout.splitlines()[1:] == ["  Type: graphql", "  Path: /graphql", "  Operation: Query.getUser"]
    reply = request(server.url + "/graphql", "POST", {"query": "{ getUser }"}).json()
    assert reply == {"data": {"getUser": {"id": 1, "name": "Ada"}}}

    r = cli(server, "graphql", "add", "--path", "/gql", "--operation", "addUser", "--mutation", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {k: v for k, v in out.items() if k != "id"} == {
        "type": "graphql",
        "action": "created",
        "path": "/gql",
        "operations": ["Mutation.addUser"],
    }
    assert request(server.url + "/gql", "POST", {"query": "mutation { addUser }"}).json() == {
        "data": {"addUser": None}
    }


ENVELOPE = (
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    '<{op} xmlns="urn:x"/></soap:Body></soap:Envelope>'
)


def soap_call(server: MockdProcess, path: str, op: str) -> str:
    return request(
        server.url + path, "POST", ENVELOPE.format(op=op).encode(), headers={"Content-Type": "text/xml"}
    ).body.decode()


def test_add_soap_then_soap_add_merges_into_the_same_mock(server: MockdProcess) -> None:
    r = cli(server, "add", "soap", "--path", "/ws/calc", "--operation", "Add", "--soap-action", "urn:Add",
            "--response", "<AddResponse><Result>3</Result></AddResponse>")  # fmt: skip
    mock_id = created_id(r)
    assert r.stdout.splitlines()[1:] == [
        "  Type: soap",
        "  Path: /ws/calc",
        "  Operation: Add",
        "  SOAPAction: urn:Add",
    ]
    assert "<AddResponse><Result>3</Result></AddResponse>" in soap_call(server, "/ws/calc", "Add")

    r = cli(server, "soap", "add", "--path", "/ws/calc", "--action", "Sub", "--response", "<SubResponse/>")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        f"Merged into mock: {mock_id}",
        "  Type: soap",
        "  Added:",
        "    - Sub",
        "  Total operations:",
        "    - Add",
        "    - Sub",
    ]
    assert "<SubResponse" in soap_call(server, "/ws/calc", "Sub")
    assert len(request(server.admin + "/mocks").json()["mocks"]) == 1

    r = cli(server, "soap", "add", "--path", "/ws/calc", "--action", "Sub")  # no response: the server refuses
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == (
        "failed to update mock: validation error on soap.operations[Sub]: operation must have either "
        "response, fault, or statefulBinding\n"
    )
    r = cli(server, "soap", "add", "--path", "/ws/calc", "--action", "Sub", "--response", "<Two/>", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {
        "id": mock_id,
        "type": "soap",
        "action": "merged",
        "path": "/ws/calc",
        "totalOperations": ["Add", "Sub"],
    }


def test_add_oauth_serves_discovery_and_tokens(server: MockdProcess) -> None:
    issuer = server.url + "/auth"
    r = cli(server, "add", "oauth", "--issuer", issuer, "--client-id", "app", "--client-secret", "s3cret")
    created_id(r)
    assert r.stdout.splitlines()[1:] == [
        "  Type: oauth",
        f"  Issuer: {issuer}",
        "  Client ID: app",
        "  User: testuser",
    ]
    discovery = request(issuer + "/.well-known/openid-configuration").json()
    assert discovery["issuer"] == issuer
    token = request(
        discovery["token_endpoint"],
        "POST",
        b"grant_type=client_credentials&client_id=app&client_secret=s3cret",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert token.status == 200
    assert token.json()["token_type"] == "Bearer"

    r = cli(server, "oauth", "add", "--issuer", server.url + "/other", "--json")
    out = json.loads(r.stdout)
    assert {k: v for k, v in out.items() if k != "id"} == {
        "type": "oauth",
        "action": "created",
        "issuer": server.url + "/other",
        "clientId": "test-client",
        "username": "testuser",
    }
    assert request(server.admin + f"/mocks/{out['id']}").json()["name"] == "OAuth Mock"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "websocket"], "--path is required for WebSocket mocks\n\nUsage: mockd add --type websocket "
         "--path /ws/endpoint [flags]\n\nRun 'mockd add --help' for more options\n"),
        (["graphql", "add"], "--operation is required for GraphQL mocks\n\nUsage: mockd add --type graphql "
         "--operation getUser [flags]\n\nRun 'mockd add --help' for more options\n"),
        (["add", "soap", "--path", "/s"], "--operation is required for SOAP mocks\n\nUsage: mockd add --type "
         "soap --operation GetWeather [flags]\n\nRun 'mockd add --help' for more options\n"),
        (["add", "graphql", "--operation", "x", "--op-type", "subscription"],
         "invalid --op-type: subscription (must be 'query' or 'mutation')\n"),
        (["add", "graphql", "--operation", "x", "--response", "{nope"],
         "invalid JSON response: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)\n"),
        (["add", "soap", "--operation", "x", "--table", "users"], "--table and --bind must be used together\n"),
        (["add", "websocket", "--path", "/w", "--table", "t", "--bind", "list"],
         "--table/--bind is supported for http and soap mocks, not websocket\n"),
        (["add", "grpc"], None),
    ],
)  # fmt: skip
def test_bad_flags_are_refused_with_the_go_message(
    server: MockdProcess, args: list[str], message: str | None
) -> None:
    r = cli(server, *args)
    assert r.returncode == 1
    assert r.stdout == ""
    if message is not None:
        assert r.stderr == message
    else:
        assert r.stderr.startswith("mockd add grpc is not implemented yet")
    assert request(server.admin + "/mocks").json()["mocks"] == []


def test_a_server_error_is_reported_with_exit_1(server: MockdProcess) -> None:
    r = cli(server, "add", "graphql", "--operation", "bad name")
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.startswith("validation error on graphql.schema: invalid GraphQL schema in mock 'graphql_")
    assert r.stderr.endswith("SDL line 4:7: Syntax Error: Expected ':', found Name 'name'.\n")


def test_add_http_sse_streams_the_events(server: MockdProcess) -> None:
    import httpx
    from httpx_sse import connect_sse

    r = cli(server, "add", "--path", "/events", "--sse", "--sse-event", 'tick:{"n":1}', "--sse-event", "hello",
            "--sse-delay", "0", "--json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {k: v for k, v in out.items() if k != "id"} == {
        "type": "http",
        "action": "created",
        "method": "GET",
        "path": "/events",
    }
    assert request(server.admin + f"/mocks/{out['id']}").json()["http"]["sse"] == {
        "events": [{"type": "tick", "data": {"n": 1}}, {"type": "message", "data": "hello"}],
        "timing": {"fixedDelay": 0},
        "lifecycle": {"termination": {"type": "complete"}},
    }
    with httpx.Client(timeout=20) as client, connect_sse(client, "GET", server.url + "/events") as source:
        got = [(e.event, e.data) for e in source.iter_sse() if e.data]  # the first is `retry:3000` alone
    assert got == [("tick", '{"n":1}'), ("message", "hello")]


def test_add_http_sse_repeat_builds_a_generator(server: MockdProcess) -> None:
    r = cli(server, "add", "--path", "/ticks", "--sse-event", "x", "--sse-repeat", "3", "--json")
    assert r.returncode == 0, r.stderr
    sse = request(server.admin + f"/mocks/{json.loads(r.stdout)['id']}").json()["http"]["sse"]
    assert sse["generator"] == {"type": "template", "template": {"events": [{"type": "message", "data": "x"}],
                                                                  "repeat": 3}}  # fmt: skip
    r = cli(server, "add", "--path", "/t", "--sse", "--table", "t", "--bind", "list")
    assert (r.returncode, r.stderr) == (1, "--table/--bind and --sse are mutually exclusive\n")


def test_per_protocol_list_get_and_delete(server: MockdProcess) -> None:
    ws_id = created_id(cli(server, "websocket", "add", "--path", "/ws/x", "--echo"))
    gql_id = created_id(cli(server, "graphql", "add", "--operation", "ping", "--response", '"pong"'))
    r = cli(server, "websocket", "list", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [
        {"id": ws_id, "type": "websocket", "path": "/ws/x", "method": "WS", "enabled": True}
    ]
    r = cli(server, "graphql", "list")
    assert r.stdout.splitlines()[1].split() == [
        gql_id[:17] + "...",
        "graphql",
        "/graphql",
        "GQL",
        "-",
        "true",
    ]
    r = cli(server, "graphql", "get", gql_id, "--json")
    assert json.loads(r.stdout)["graphql"]["resolvers"] == {"Query.ping": {"response": "pong"}}
    r = cli(server, "websocket", "delete", ws_id)
    assert r.returncode == 0, r.stderr
    assert [m["id"] for m in request(server.admin + "/mocks").json()["mocks"]] == [gql_id]
