"""The request log over HTTP (mockd-reference §3.11, §5.4): entries, filters, bounds, truncation, the stream."""

from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from tests.admin.helpers import TS, answer, create, error, http_mock, stamps
from tests.harness import MockdProcess

pytestmark = pytest.mark.usefixtures("clean")


def seq(entry_id: str) -> int:
    """The sequence number in a `req-<base 36>` id. Ids keep counting across clears (as in Go), so tests on
    the shared server compare ids relative to the first one they made."""
    assert entry_id.startswith("req-")
    return int(entry_id[4:], 36)


def log(server: MockdProcess, query: str = "") -> dict:
    status, body = answer(requests.get(server.admin + "/requests" + query))
    assert status == 200
    return body


def test_entry_shape_for_a_matched_and_an_unmatched_request(server: MockdProcess) -> None:
    create(server.admin, http_mock("/users/{id}", method="POST", id="user", name="User"))
    requests.post(server.url + "/users/7?x=1&y=2", data=b"hello", headers={"X-Multi": "a"})
    requests.get(server.url + "/users/7", headers={"X-Trace": "t"})
    body = log(server)
    assert (list(body), body["count"], body["total"]) == (["requests", "count", "total"], 2, 2)
    miss, hit = body["requests"]  # newest first
    assert seq(miss["id"]) == seq(hit["id"]) + 1
    assert stamps(hit) == {
        "id": hit["id"],
        "timestamp": TS,
        "protocol": "http",
        "method": "POST",
        "path": "/users/7",
        "queryString": "x=1&y=2",
        "headers": {"Accept": ["*/*"], "Accept-Encoding": hit["headers"]["Accept-Encoding"],
                    "Connection": ["keep-alive"], "Content-Length": ["5"],
                    "User-Agent": hit["headers"]["User-Agent"], "X-Multi": ["a"]},
        "body": "hello",
        "bodySize": 5,
        "remoteAddr": hit["remoteAddr"],
        "matchedMockId": "user",
        "statusCode": 200,
        "durationMs": hit["durationMs"],  # whole milliseconds; a loaded machine may need one
    }  # fmt: skip
    assert hit["remoteAddr"].startswith("127.0.0.1:")
    assert [type(e["durationMs"]) for e in (hit, miss)] == [int, int]
    assert min(hit["durationMs"], miss["durationMs"]) >= 0
    assert list(hit["headers"]) == sorted(hit["headers"])  # canonical names, sorted as a Go map; no Host
    # unmatched: no matchedMockId, the near-miss summary (reduced form, reference §3.6)
    assert stamps({k: v for k, v in miss.items() if k not in ("headers", "remoteAddr")}) == {
        "id": miss["id"],
        "timestamp": TS,
        "protocol": "http",
        "method": "GET",
        "path": "/users/7",
        "statusCode": 404,
        "durationMs": miss["durationMs"],
        "nearMisses": [{"mockId": "user", "mockName": "User", "matchPercentage": 54,
                        "reason": 'path matched, but method expected "POST", got "GET"'}],
    }  # fmt: skip
    # GET /requests/{id} is the same entry
    assert answer(requests.get(server.admin + "/requests/" + hit["id"])) == (200, hit)


def test_multi_value_headers_keep_every_value(server: MockdProcess) -> None:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"GET /h HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nx-a: 2\r\nConnection: close\r\n\r\n")
        while sock.recv(65536):
            pass
    assert log(server)["requests"][0]["headers"] == {"Connection": ["close"], "X-A": ["1", "2"]}


@pytest.mark.parametrize("entry_id", ["req-999", "nope", "req-01", "req-"])
def test_unknown_entry_is_404(server: MockdProcess, entry_id: str) -> None:
    requests.get(server.url + "/x")
    r = requests.get(server.admin + "/requests/" + entry_id)
    assert answer(r) == error(404, "not_found", "Resource not found")


def test_filters_and_paging(server: MockdProcess) -> None:
    create(server.admin, http_mock("/api/a", id="a"))
    create(server.admin, http_mock("/api/b", method="POST", id="b", status=201))
    with requests.Session() as s:
        s.get(server.url + "/api/a")  # req-1
        s.post(server.url + "/api/b")  # req-2
        s.get(server.url + "/other")  # req-3 (404)
        s.get(server.url + "/api/a")  # req-4
        s.get(server.url + "/health")  # req-5: the fallback is logged (reference §3.2)
    cases = {
        "": ["req-5", "req-4", "req-3", "req-2", "req-1"],
        "?method=POST": ["req-2"],
        "?method=post": [],  # exact, case-sensitive
        "?path=/api": ["req-4", "req-2", "req-1"],  # prefix
        "?matched=a": ["req-4", "req-1"],
        "?matched=__mockd:health": ["req-5"],
        "?status=404": ["req-3"],
        "?status=abc": ["req-5", "req-4", "req-3", "req-2", "req-1"],
        "?unmatchedOnly=true": ["req-3"],
        "?hasError=true": [],
        "?hasError=false": ["req-5", "req-4", "req-3", "req-2", "req-1"],
        "?protocol=http&path=/api/a": ["req-4", "req-1"],
        "?protocol=grpc": [],
        "?grpcService=x": [],
        "?limit=2": ["req-5", "req-4"],
        "?limit=2&offset=2": ["req-3", "req-2"],
        "?offset=4": ["req-1"],
        "?offset=9": [],
        "?limit=-1&offset=-1": ["req-5", "req-4", "req-3", "req-2", "req-1"],  # ignored, as Go
    }
    first = seq(log(server, "?offset=4")["requests"][0]["id"])
    got = {q: [f"req-{seq(e['id']) - first + 1}" for e in log(server, q)["requests"]] for q in cases}
    assert got == cases
    assert (log(server, "?path=/api&limit=1")["count"], log(server, "?path=/api&limit=1")["total"]) == (1, 3)


def base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def test_default_page_is_100(server: MockdProcess) -> None:
    with requests.Session() as s:
        for _ in range(120):
            s.get(server.url + "/x")
    body = log(server)
    newest, oldest = body["requests"][0]["id"], body["requests"][-1]["id"]
    assert (body["count"], body["total"], seq(newest) - seq(oldest)) == (100, 120, 99)
    assert newest == "req-" + base36(seq(newest))  # lower-case base 36, no padding


def test_clear_requests_also_resets_counts(server: MockdProcess) -> None:
    # the Go tool derives counts from this log, so clearing it starts them again from zero
    create(server.admin, http_mock("/c", id="c"))
    requests.get(server.url + "/c")
    requests.get(server.url + "/nope")
    last = seq(log(server)["requests"][0]["id"])
    assert answer(requests.delete(server.admin + "/requests")) == (
        200, {"cleared": 2, "message": "Request logs cleared"},
    )  # fmt: skip
    assert log(server) == {"requests": [], "count": 0, "total": 0}
    assert requests.get(server.admin + "/mocks/c/verify").json() == {"mockId": "c", "callCount": 0}
    requests.get(server.url + "/c")
    assert seq(log(server)["requests"][0]["id"]) == last + 1  # ids keep counting


def test_log_bounds_and_body_truncation(mockd_server) -> None:  # type: ignore[no-untyped-def]
    server = mockd_server("--max-log-entries", "3", "--log-body-cap", "4")
    create(server.admin, http_mock("/b", method="POST", id="b"))
    with requests.Session() as s:
        s.post(server.url + "/b", data=b"abc")
        s.post(server.url + "/b", data=b"abcdefgh")
        for _ in range(3):
            s.post(server.url + "/b", data=b"x")
    body = log(server)
    assert (body["total"], [e["id"] for e in body["requests"]]) == (3, ["req-5", "req-4", "req-3"])
    requests.post(server.url + "/b", data=b"abcdefgh")
    entry = log(server, "?limit=1")["requests"][0]
    # kept up to the cap, real size in bodySize, and marked (a key the Go tool never sends: absent otherwise)
    assert (entry["body"], entry["bodySize"], entry["bodyTruncated"]) == ("abcd", 8, True)
    whole = log(server, "?offset=1&limit=1")["requests"][0]
    assert (whole["body"], whole["bodySize"], "bodyTruncated" in whole) == ("x", 1, False)
    assert requests.get(server.admin + "/mocks/b/verify").json()["callCount"] == 6  # exact regardless


def test_log_bounded_by_bytes(mockd_server) -> None:  # type: ignore[no-untyped-def]
    # each entry is charged its kept body plus a fixed 512 bytes: 4 KiB holds at most 8 empty entries
    server = mockd_server("--max-log-bytes", "4096")
    with requests.Session() as s:
        for _ in range(20):
            s.get(server.url + "/x")
        assert log(server)["total"] == 8
        s.post(server.url + "/x", data=b"y" * 2000)  # 2000 + 4 x 512 = 4048 bytes: 4 entries fit
    body = log(server)
    assert (body["total"], body["requests"][0]["bodySize"]) == (4, 2000)


# --- the stream -------------------------------------------------------------------------------------------


class Frames:
    """SSE frames read off one streaming response (one chunk iterator for the whole response)."""

    def __init__(self, resp: requests.Response) -> None:
        self._chunks = resp.iter_content(chunk_size=None)
        self._buf = b""

    def read(self, n: int) -> list[str]:
        frames: list[str] = []
        while len(frames) < n:
            if b"\n\n" in self._buf:
                frame, self._buf = self._buf.split(b"\n\n", 1)
                frames.append(frame.decode())
                continue
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buf += chunk
        return frames


def test_stream_first_frame_then_pushed_entries(server: MockdProcess) -> None:
    create(server.admin, http_mock("/live", id="live"))
    requests.get(server.url + "/live")  # before connecting: not replayed
    with requests.get(server.admin + "/requests/stream", stream=True, timeout=10) as resp:
        assert (resp.status_code, resp.headers["content-type"], resp.headers["cache-control"]) == (
            200, "text/event-stream", "no-cache",
        )  # fmt: skip
        assert resp.headers["x-frame-options"] == "DENY"
        stream = Frames(resp)
        assert stream.read(1) == ['event: connected\ndata: {"message": "Connected to request stream"}']
        requests.get(server.url + "/live?n=1")
        requests.get(server.url + "/nope")
        frames = stream.read(2)
    events = [f.split("\n", 1) for f in frames]
    assert [e[0] for e in events] == ["event: request", "event: request"]
    entries = [json.loads(e[1].removeprefix("data: ")) for e in events]
    assert [(e["path"], e.get("queryString"), e.get("matchedMockId"), e["statusCode"]) for e in entries] == [
        ("/live", "n=1", "live", 200),
        ("/nope", None, None, 404),
    ]
    assert seq(entries[1]["id"]) == seq(entries[0]["id"]) + 1
    assert entries[0] == requests.get(server.admin + "/requests/" + entries[0]["id"]).json()


def test_stream_clients_that_go_away_leave_nothing_behind(mockd_server) -> None:  # type: ignore[no-untyped-def]
    server = mockd_server()
    for _ in range(3):
        with requests.get(server.admin + "/requests/stream", stream=True, timeout=10) as resp:
            assert Frames(resp).read(1)[0].startswith("event: connected")
    requests.get(server.url + "/x")  # would fail to write to a gone client if its stream were still open
    started = time.monotonic()
    assert server.stop() == 0
    assert time.monotonic() - started < 1.5  # nothing open holds the shutdown up
    _, err = server.output()
    assert "Traceback" not in err, err
    assert "ERROR" not in err, err


def test_shutdown_with_an_open_stream_exits_0_promptly(mockd_server) -> None:  # type: ignore[no-untyped-def]
    server = mockd_server()
    resp = requests.get(server.admin + "/requests/stream", stream=True, timeout=10)
    assert Frames(resp).read(1)[0].startswith("event: connected")
    started = time.monotonic()
    assert server.stop() == 0
    assert time.monotonic() - started < 3  # at worst Granian's kill timeout (2 s)
    resp.close()


def test_shutdown_ends_an_open_stream_cleanly(mockd_server) -> None:  # type: ignore[no-untyped-def]
    server = mockd_server()
    resp = requests.get(server.admin + "/requests/stream", stream=True, timeout=10)
    stream = Frames(resp)
    assert stream.read(1)[0].startswith("event: connected")
    started = time.monotonic()
    assert server.stop() == 0
    try:
        assert stream.read(1) == []  # the final chunk arrived: no "Response ended prematurely"
    finally:
        resp.close()
    assert time.monotonic() - started < 1
