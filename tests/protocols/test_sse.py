"""SSE and chunked mocks on a real server, read with real streaming clients (httpx-sse, httpx)."""

from __future__ import annotations

import json
import textwrap
import time

import httpx
import pytest
from httpx_sse import connect_sse

from mockd.protocols.sse import Event, encode
from tests.harness import request

CONFIG = """
version: "1.0"
mocks:
  - id: ticks
    type: http
    http:
      matcher: {method: GET, path: /events}
      sse:
        events:
          - {type: tick, id: "1", data: {n: 1, at: "{{upper 'x'}}"}}
          - {type: tick, id: "2", data: {n: 2}, comment: "two"}
          - {type: tick, id: "3", data: "line1\\nline2", retry: 500}
        timing: {fixedDelay: 20}
        lifecycle: {termination: {finalEvent: {type: done, data: "bye"}}}
        resume: {enabled: true, bufferSize: 10}
  - id: chat
    http:
      matcher: {method: POST, path: /v1/chat/completions}
      sse: {template: openai-chat, templateParams: {tokens: ["Hi", "!"], delayPerToken: 5}}
  - id: seq
    http:
      matcher: {path: /seq}
      sse:
        generator: {type: sequence, count: 3, sequence: {start: 10, increment: 5, format: "n=%d"}}
        lifecycle: {maxEvents: 5}
  - id: cut
    http:
      matcher: {path: /cut}
      sse:
        events: [{data: a}, {data: b}, {data: c}]
        lifecycle: {simulateDisconnect: 2, termination: {finalEvent: {data: never}}}
  - id: forever
    http:
      matcher: {path: /forever}
      sse:
        generator: {type: sequence, count: 1}
        timing: {fixedDelay: 60000}
  - id: feed
    http:
      matcher: {method: GET, path: /feed.ndjson}
      chunked: {format: ndjson, chunkDelay: 10, ndjsonItems: [{b: 1, a: 1}, {a: 2}]}
  - id: blob
    http:
      matcher: {path: /blob}
      chunked: {data: "abcdefghij", chunkSize: 4, chunkDelay: 5}
  - id: file
    http:
      matcher: {path: /file}
      chunked: {dataFile: missing.txt}
"""


@pytest.fixture
def server(tmp_path, mockd_server):
    path = tmp_path / "mocks.yaml"
    path.write_text(textwrap.dedent(CONFIG))
    return mockd_server("--config", str(path))


def events(
    url: str, method: str = "GET", headers: dict[str, str] | None = None
) -> list[tuple[str, str, str, int | None]]:
    with (
        httpx.Client(timeout=10) as client,
        connect_sse(client, method, url, headers=dict(headers or {})) as source,
    ):
        assert source.response.headers["content-type"] == "text/event-stream"
        return [(e.event, e.id, e.data, e.retry) for e in source.iter_sse()]


def test_events_arrive_in_order_with_ids_types_and_final_event(server):
    assert events(server.url + "/events") == [
        ("message", "", "", 3000),  # the opening `retry:3000` frame
        ("tick", "1", '{"at":"X","n":1}', None),
        ("tick", "2", '{"n":2}', None),
        ("tick", "3", "line1\nline2", 500),
        ("done", "4", "bye", None),  # resume on: events without an id count the events sent
    ]


def test_wire_format_is_exact(server):
    with httpx.stream("GET", server.url + "/events", timeout=10) as r:
        body = r.read().decode()
        headers = r.headers
    assert (headers["cache-control"], headers["x-accel-buffering"]) == ("no-cache", "no")
    assert body == (
        "retry:3000\n\n"
        'event:tick\nid:1\ndata:{"at":"X","n":1}\n\n'
        ':two\nevent:tick\nid:2\ndata:{"n":2}\n\n'
        "event:tick\nid:3\nretry:500\ndata:line1\ndata:line2\n\n"
        "event:done\nid:4\ndata:bye\n\n"
    )


def test_last_event_id_resumes_after_that_event(server):
    got = events(server.url + "/events", headers={"Last-Event-ID": "1"})
    assert [(t, i, d) for t, i, d, _ in got[1:]] == [
        ("tick", "2", '{"n":2}'),
        ("tick", "3", "line1\nline2"),
        ("done", "3", "bye"),  # auto ids restart on a resumed connection (reference §1.6)
    ]


def test_unknown_last_event_id_starts_from_the_beginning(server):
    got = events(server.url + "/events", headers={"Last-Event-ID": "nope"})
    assert [i for _, i, _, _ in got[1:]] == ["1", "2", "3", "4"]


def test_openai_chat_template(server):
    got = events(server.url + "/v1/chat/completions", method="POST")
    chunks = [json.loads(d) for _, _, d, _ in got[1:-1]]
    assert [c["choices"] for c in chunks] == [
        [{"delta": {"content": "Hi"}, "finish_reason": None, "index": 0}],
        [{"delta": {"content": "!"}, "finish_reason": "stop", "index": 0}],
    ]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    assert got[-1][2] == "[DONE]"


def test_generator_repeats_until_max_events(server):
    got = events(server.url + "/seq")
    assert [(i, d) for _, i, d, _ in got[1:]] == [
        ("10", "n=10"), ("15", "n=15"), ("20", "n=20"), ("10", "n=10"), ("15", "n=15"),
    ]  # fmt: skip


def test_simulate_disconnect_ends_without_final_event(server):
    assert [d for _, _, d, _ in events(server.url + "/cut")[1:]] == ["a", "b"]


def test_client_disconnect_ends_the_stream_and_it_is_logged(server):
    with httpx.stream("GET", server.url + "/forever", timeout=10) as r:
        assert next(r.iter_bytes()) == b"retry:3000\n\n"
    # The request log gets the entry once the stream has ended: so the server noticed the client left.
    deadline = time.monotonic() + 10
    logged: list[dict] = []
    while time.monotonic() < deadline and not logged:
        logged = request(server.admin + "/requests?path=/forever").json()["requests"]
        time.sleep(0.05)
    assert [(e["matchedMockId"], e["statusCode"]) for e in logged] == [("forever", 200)]


def test_shutdown_ends_open_streams_promptly(server):
    with httpx.stream("GET", server.url + "/forever", timeout=10) as r:
        chunks = r.iter_bytes()
        assert next(chunks) == b"retry:3000\n\n"
        assert server.stop() == 0
        assert list(chunks) == []  # the stream ended cleanly (EOF), not by a reset


def test_updating_the_mock_ends_its_open_streams(server):
    with httpx.stream("GET", server.url + "/forever", timeout=10) as r:
        chunks = r.iter_bytes()
        assert next(chunks) == b"retry:3000\n\n"
        assert request(server.admin + "/mocks/forever", "DELETE").status == 204
        assert list(chunks) == []  # EOF: the stream of the deleted mock ended


def test_connections_past_the_cap_get_503(tmp_path, mockd_server):
    path = tmp_path / "mocks.yaml"
    path.write_text(textwrap.dedent(CONFIG))
    srv = mockd_server("--config", str(path), env={"MOCKD_SSE_MAX_CONNECTIONS": "1"})
    with httpx.stream("GET", srv.url + "/forever", timeout=10) as r:
        chunks = r.iter_bytes()  # kept: a dropped iterator closes the response, and the stream with it
        assert next(chunks) == b"retry:3000\n\n"
        reply = request(srv.url + "/forever")
    assert (reply.status, reply.body) == (503, b"sse: maximum connections reached\n")


def test_sse_mock_is_counted_by_verification(server):
    events(server.url + "/cut")
    reply = request(server.admin + "/mocks/cut/verify", "POST", {"exactly": 1}).json()
    assert reply["passed"] is True


def test_chunked_ndjson_items_arrive_one_per_chunk(server):
    with httpx.stream("GET", server.url + "/feed.ndjson", timeout=10) as r:
        assert r.headers["content-type"] == "application/x-ndjson"
        assert r.headers["transfer-encoding"] == "chunked"
        lines = list(r.iter_lines())
    assert lines == ['{"a":1,"b":1}', '{"a":2}']


def test_chunked_data_is_sliced(server):
    with httpx.stream("GET", server.url + "/blob", timeout=10) as r:
        assert r.headers["content-type"] == "application/octet-stream"
        body = r.read()
    assert body == b"abcdefghij"


def test_chunked_missing_data_file_is_a_500_with_the_reason(server):
    reply = request(server.url + "/file")
    assert reply.status == 500
    assert reply.body.decode().startswith("Failed to get data: open missing.txt: no such file or directory")


def test_sse_mock_created_over_the_admin_api(server):
    mock = {
        "id": "live",
        "type": "http",
        "http": {"matcher": {"path": "/live"}, "sse": {"events": [{"data": "x"}]}},
    }
    assert request(server.admin + "/mocks", "POST", mock).status == 201
    assert [d for _, _, d, _ in events(server.url + "/live")] == ["", "x"]


def test_encode_refuses_newlines_in_ids():
    assert encode(Event(data="x", id="a\nb"), "x") is None
    assert encode(Event(data="x", comment="a\nb"), "x") == b":a\n:b\ndata:x\n\n"


def test_admin_lists_and_closes_sse_connections(server):
    with httpx.stream("GET", server.url + "/forever", headers={"User-Agent": "probe/1"}, timeout=10) as r:
        chunks = r.iter_bytes()
        assert next(chunks) == b"retry:3000\n\n"
        listed = request(server.admin + "/sse/connections").json()
        [info] = listed["connections"]
        mine = request(server.admin + "/mocks/forever/sse/connections").json()
        closed = request(server.admin + f"/sse/connections/{info['id']}", "DELETE").json()
        assert list(chunks) == []  # the closed stream ended
    assert info["id"].startswith("sse-")
    assert {k: v for k, v in info.items() if k not in ("id", "connectedAt")} == {
        "mockId": "forever",
        "path": "/forever",
        "clientIp": "127.0.0.1",
        "userAgent": "probe/1",
        "eventsSent": 0,
        "bytesSent": 12,
        "status": "active",
    }
    assert listed["stats"] == {
        "totalConnections": 1,
        "activeConnections": 1,
        "totalEventsSent": 0,
        "totalBytesSent": 12,
        "connectionErrors": 0,
        "connectionsByMock": {"forever": 1},
    }
    assert (mine["count"], mine["mockId"]) == (1, "forever")
    assert closed == {"connection": info["id"], "message": "Connection closed"}
    assert request(server.admin + "/mocks/forever/sse/buffer").json() == {
        "error": "not_implemented",
        "message": "SSE buffer access requires direct engine access - coming soon",
    }


def test_keepalive_comments_are_sent_while_an_event_waits(tmp_path, mockd_server):
    path = tmp_path / "mocks.yaml"
    path.write_text(
        "mocks:\n  - id: slow\n    http:\n      matcher: {path: /slow}\n"
        "      sse: {events: [{data: x, delay: 5500}], lifecycle: {keepaliveInterval: 5}}\n"
    )
    srv = mockd_server("--config", str(path))
    with httpx.stream("GET", srv.url + "/slow", timeout=20) as r:
        body = r.read()
    assert body == b"retry:3000\n\n: keepalive\n\ndata:x\n\n"
