"""WebSocket mocks on a real server, driven with the `websockets` client library."""

from __future__ import annotations

import asyncio
import textwrap
import time

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.harness import request

CONFIG = """
version: "1.0"
mocks:
  - id: chat
    type: websocket
    websocket:
      path: /ws/chat
      subprotocols: [chat.v1]
      matchers:
        - match: {type: json, path: "$.action", value: ping}
          response: {type: json, value: {action: pong, echo: "{{request.body.id}}"}}
        - match: {type: prefix, value: "quiet:"}
          noResponse: true
        - match: {type: regex, value: "^bin"}
          response: {type: binary, value: "AAEC"}
        - match: {type: exact, value: slow}
          response: {type: text, value: "done", delay: 50ms}
      defaultResponse: {type: text, value: "unknown: {{request.rawBody}}"}
  - id: echo
    websocket: {path: /ws/echo}
  - id: script
    websocket:
      path: /ws/script
      scenario:
        steps:
          - {type: send, message: {type: text, value: welcome}}
          - {type: expect, match: {type: contains, value: login}}
          - {type: send, message: {type: text, value: "hello {{request.rawBody}}"}}
      matchers:
        - match: {type: exact, value: other}
          response: {type: text, value: matched}
  - id: strict
    websocket: {path: /ws/strict, subprotocols: [v2, v1], requireSubprotocol: true}
  - id: one
    websocket: {path: /ws/one, maxConnections: 1}
  - id: idle
    websocket: {path: /ws/idle, idleTimeout: 1s}
"""


@pytest.fixture
def server(tmp_path, mockd_server):
    path = tmp_path / "mocks.yaml"
    path.write_text(textwrap.dedent(CONFIG))
    return mockd_server("--config", str(path))


def ws(server, path: str) -> str:
    return server.url.replace("http://", "ws://") + path


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 20))


def test_matchers_default_and_no_response(server):
    async def go() -> list:
        async with connect(ws(server, "/ws/chat")) as conn:
            out = []
            await conn.send('{"action":"ping","id":7}')
            out.append(await conn.recv())
            await conn.send("quiet:x")  # nothing back: the next reply is for the next frame
            await conn.send("hello")
            out.append(await conn.recv())
            await conn.send("binary please")
            out.append(await conn.recv())
            await conn.send("slow")
            out.append(await conn.recv())
            return out

    assert run(go()) == ['{"action":"pong","echo":"7"}', "unknown: hello", b"\x00\x01\x02", "done"]


def test_echo_mode_keeps_the_frame_type(server):
    async def go() -> list:
        async with connect(ws(server, "/ws/echo")) as conn:
            await conn.send("text")
            first = await conn.recv()
            await conn.send(b"\xff\x00")
            return [first, await conn.recv()]

    assert run(go()) == ["text", b"\xff\x00"]


def test_scenario_sends_expects_and_templates_with_the_expected_frame(server):
    async def go() -> list:
        async with connect(ws(server, "/ws/script")) as conn:
            out = [await conn.recv()]
            await conn.send("other")  # not what the expect step waits for: goes to the matchers
            out.append(await conn.recv())
            await conn.send("login ada")
            out.append(await conn.recv())
            return out

    assert run(go()) == ["welcome", "matched", "hello login ada"]


def test_required_subprotocol_refuses_the_handshake_with_400(server):
    async def go() -> int:
        try:
            async with connect(ws(server, "/ws/strict"), subprotocols=["other"]):  # type: ignore[list-item]
                return 101
        except InvalidStatus as exc:
            return exc.response.status_code

    assert run(go()) == 400


def test_offered_subprotocol_is_accepted(server):
    async def go() -> str:
        async with connect(ws(server, "/ws/strict"), subprotocols=["v1"]) as conn:  # type: ignore[list-item]
            await conn.send("x")
            return await conn.recv()

    assert run(go()) == "x"


def test_unknown_path_is_404(server):
    async def go() -> int:
        try:
            async with connect(ws(server, "/ws/nope")):
                return 101
        except InvalidStatus as exc:
            return exc.response.status_code

    assert run(go()) == 404


def test_max_connections_refuses_the_second_with_503(server):
    async def go() -> int:
        async with connect(ws(server, "/ws/one")) as first:
            await first.send("x")
            await first.recv()
            try:
                async with connect(ws(server, "/ws/one")):
                    return 101
            except InvalidStatus as exc:
                return exc.response.status_code

    assert run(go()) == 503


def test_idle_connection_is_closed(server):
    async def go() -> bool:
        async with connect(ws(server, "/ws/idle")) as conn:
            try:
                await conn.recv()
            except ConnectionClosed:
                return True
            return False

    assert run(go()) is True


def test_plain_get_to_a_websocket_path_goes_to_http_matching(server):
    assert request(server.url + "/ws/echo").status == 404


def test_connections_are_counted_and_logged(server):
    async def go() -> None:
        async with connect(ws(server, "/ws/echo")) as conn:
            await conn.send("x")
            await conn.recv()

    run(go())
    run(go())
    assert request(server.admin + "/mocks/echo/verify", "POST", {"exactly": 2}).json()["passed"] is True
    deadline = time.monotonic() + 10
    logged: list = []
    while time.monotonic() < deadline and len(logged) < 2:
        logged = request(server.admin + "/requests?path=/ws/echo").json()["requests"]
        time.sleep(0.05)
    assert [(e["matchedMockId"], e["statusCode"]) for e in logged] == [("echo", 101), ("echo", 101)]


def test_deleting_the_mock_closes_its_connections(server):
    async def go() -> bool:
        async with connect(ws(server, "/ws/echo")) as conn:
            await conn.send("x")
            await conn.recv()
            assert (await asyncio.to_thread(request, server.admin + "/mocks/echo", "DELETE")).status == 204
            try:
                await conn.recv()
            except ConnectionClosed:
                return True
            return False

    assert run(go()) is True


def test_shutdown_closes_open_connections(server):
    async def go() -> bool:
        async with connect(ws(server, "/ws/echo")) as conn:
            await conn.send("x")
            await conn.recv()
            assert await asyncio.to_thread(server.stop) == 0
            try:
                await conn.recv()
            except ConnectionClosed:
                return True
            return False

    assert run(go()) is True


def test_mock_created_over_the_admin_api_serves_upgrades(server):
    mock = {"id": "live", "type": "websocket", "websocket": {"path": "/ws/live"}}
    assert request(server.admin + "/mocks", "POST", mock).status == 201

    async def go() -> str:
        async with connect(ws(server, "/ws/live")) as conn:
            await conn.send("hi")
            return await conn.recv()

    assert run(go()) == "hi"


def test_bad_matcher_type_is_a_clear_load_error(tmp_path):
    from tests.harness import run_cli

    path = tmp_path / "bad.yaml"
    path.write_text("mocks:\n  - id: w\n    websocket: {path: /w, matchers: [{match: {type: fuzzy}}]}\n")
    r = run_cli("validate", str(path))
    assert "invalid matcher type 'fuzzy'" in r.stdout + r.stderr
    assert "Traceback" not in r.stderr


def test_bad_websocket_mock_over_the_admin_api_is_a_400(server):
    mock = {"id": "w", "type": "websocket", "websocket": {"path": "/w", "idleTimeout": "soon"}}
    reply = request(server.admin + "/mocks", "POST", mock)
    assert (reply.status, reply.json()) == (
        400,
        {
            "error": "validation_error",
            "message": 'validation error on websocket.idleTimeout: time: invalid duration "soon"',
        },
    )


def test_frame_over_max_message_size_closes_the_connection(server):
    mock = {"id": "small", "type": "websocket", "websocket": {"path": "/ws/small", "maxMessageSize": 4}}
    assert request(server.admin + "/mocks", "POST", mock).status == 201

    async def go() -> list:
        async with connect(ws(server, "/ws/small")) as conn:
            await conn.send("abcd")
            out = [await conn.recv()]
            await conn.send("abcde")
            try:
                out.append(await conn.recv())
            except ConnectionClosed:
                out.append("closed")
            return out

    assert run(go()) == ["abcd", "closed"]


def test_admin_lists_sends_to_and_closes_connections(server):
    async def go() -> tuple:
        async with connect(ws(server, "/ws/echo")) as conn:
            await conn.send("x")
            await conn.recv()
            listed = (await asyncio.to_thread(request, server.admin + "/websocket/connections")).json()
            [info] = listed["connections"]
            cid = info["id"]
            sent = await asyncio.to_thread(
                request,
                server.admin + f"/websocket/connections/{cid}/send",
                "POST",
                {"type": "text", "data": "hi"},
            )
            pushed = await conn.recv()
            mine = (
                await asyncio.to_thread(request, server.admin + "/mocks/echo/websocket/connections")
            ).json()
            closed = await asyncio.to_thread(
                request, server.admin + f"/websocket/connections/{cid}", "DELETE"
            )
            try:
                await conn.recv()
                ended = False
            except ConnectionClosed:
                ended = True
            return listed, info, sent.json(), pushed, mine, closed.json(), ended

    listed, info, sent, pushed, mine, closed, ended = run(go())
    assert info["id"].startswith("conn-")
    assert {k: v for k, v in info.items() if k not in ("id", "connectedAt")} == {
        "mockId": "echo",
        "path": "/ws/echo",
        "messagesSent": 1,
        "messagesRecv": 1,
        "status": "connected",
    }
    assert listed["stats"] == {
        "totalConnections": 1,
        "activeConnections": 1,
        "totalMessagesSent": 1,
        "totalMessagesRecv": 1,
        "connectionsByMock": {"echo": 1},
    }
    assert sent == {"connection": info["id"], "message": "Message sent", "type": "text"}
    assert pushed == "hi"
    assert (mine["count"], mine["mockId"]) == (1, "echo")
    assert closed == {"connection": info["id"], "message": "Connection closed"}
    assert ended is True
    assert request(server.admin + "/websocket/connections/nope").status == 404
    assert request(server.admin + "/mocks/nope/websocket/connections").json() == {
        "error": "not_found",
        "message": "Mock not found",
    }


def test_optional_expect_times_out_and_message_type_restricts_matchers(server):
    mock = {
        "id": "opt",
        "type": "websocket",
        "websocket": {
            "path": "/ws/opt",
            "scenario": {
                "steps": [
                    {
                        "type": "expect",
                        "match": {"type": "exact", "value": "never"},
                        "timeout": "200ms",
                        "optional": True,
                    },
                    {"type": "send", "message": {"type": "text", "value": "after"}},
                ]
            },
            "matchers": [
                {
                    "match": {"type": "contains", "value": "b", "messageType": "binary"},
                    "response": {"type": "text", "value": "bin"},
                }
            ],
            "defaultResponse": {"type": "json", "value": "quoted"},
        },
    }
    assert request(server.admin + "/mocks", "POST", mock).status == 201

    async def go() -> list:
        async with connect(ws(server, "/ws/opt")) as conn:
            out = [await conn.recv()]  # the optional expect timed out, so the send step ran
            await conn.send(b"abc")
            out.append(await conn.recv())
            await conn.send("abc")  # a text frame: the binary-only matcher does not hold
            out.append(await conn.recv())
            return out

    assert run(go()) == ["after", "bin", '"quoted"']


def _entries(server, query: str, count: int) -> list:
    """The log entries `query` selects once there are `count` (a connection is logged when it closes)."""
    deadline = time.monotonic() + 10
    logged: list = []
    while time.monotonic() < deadline:
        logged = request(server.admin + "/requests?" + query).json()["requests"]
        if len(logged) >= count:
            break
        time.sleep(0.05)
    return logged


def test_messages_in_and_out_are_in_the_log_and_invocations(server):
    async def go() -> None:
        async with connect(ws(server, "/ws/chat"), subprotocols=["chat.v1"]) as conn:
            await conn.send('{"action":"ping","id":7}')
            assert await conn.recv() == '{"action":"pong","echo":"7"}'
            await conn.send("quiet:x")
            await conn.send("bin")
            assert await conn.recv() == b"\x00\x01\x02"

    run(go())
    logged = _entries(server, "path=/ws/chat", 1)
    assert len(logged) == 1
    entry = logged[0]
    assert (entry["protocol"], entry["matchedMockId"], entry["statusCode"]) == ("websocket", "chat", 101)
    detail = entry["websocket"]
    assert detail["connectionId"].startswith("conn-")
    assert {k: v for k, v in detail.items() if k != "connectionId"} == {
        "subprotocol": "chat.v1",
        "messagesReceived": 3,
        "messagesSent": 2,
        "messages": [
            {"direction": "inbound", "messageType": "text", "size": 24, "data": '{"action":"ping","id":7}'},
            {
                "direction": "outbound",
                "messageType": "text",
                "size": 28,
                "data": '{"action":"pong","echo":"7"}',
            },
            {"direction": "inbound", "messageType": "text", "size": 7, "data": "quiet:x"},
            {"direction": "inbound", "messageType": "text", "size": 3, "data": "bin"},
            {"direction": "outbound", "messageType": "binary", "size": 3, "data": "AAEC"},
        ],
    }
    invocations = request(server.admin + "/mocks/chat/invocations").json()
    assert invocations["total"] == 1
    assert invocations["invocations"][0]["websocket"] == detail
    by_conn = request(server.admin + "/requests?wsConnectionId=" + detail["connectionId"]).json()
    assert [e["id"] for e in by_conn["requests"]] == [entry["id"]]
    assert request(server.admin + "/requests?wsConnectionId=conn-none").json()["requests"] == []
    assert [e["id"] for e in request(server.admin + "/requests?protocol=websocket").json()["requests"]] == [
        entry["id"]
    ]


def test_logged_messages_are_bounded_and_cut(server):
    from mockd.protocols.websocket.session import LOGGED_BYTES, LOGGED_MESSAGES

    long_text = "é" * LOGGED_BYTES  # 2 bytes each: cut on a character boundary
    frames = LOGGED_MESSAGES  # each echoed: twice as many messages as are kept

    async def go() -> None:
        async with connect(ws(server, "/ws/echo"), max_size=None) as conn:
            await conn.send(long_text)
            await conn.recv()
            await conn.send(bytes(range(256)) * 2)
            await conn.recv()
            for i in range(frames - 2):
                await conn.send(f"m{i}")
                await conn.recv()

    run(go())
    detail = _entries(server, "path=/ws/echo", 1)[0]["websocket"]
    assert (detail["messagesReceived"], detail["messagesSent"]) == (frames, frames)
    assert len(detail["messages"]) == LOGGED_MESSAGES
    assert detail["messagesOmitted"] == frames * 2 - LOGGED_MESSAGES
    first = detail["messages"][0]
    assert first == {
        "direction": "inbound",
        "messageType": "text",
        "size": LOGGED_BYTES * 2,
        "data": "é" * (LOGGED_BYTES // 2),
        "truncated": True,
    }
    binary = detail["messages"][2]
    assert (binary["messageType"], binary["size"], binary["truncated"]) == ("binary", 512, True)
    import base64

    assert base64.b64decode(binary["data"]) == bytes(range(256))[:LOGGED_BYTES]
    assert detail["messages"][-1] == {
        "direction": "outbound",
        "messageType": "text",
        "size": 3,
        "data": "m22",
    }
