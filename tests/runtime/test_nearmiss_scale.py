"""Near misses with 10,000 mocks (issue 12): the 404 body is still the exact top 3, and the search runs off
the event loop, so matched requests are served while a batch of 404s waits for it.

No timings are asserted here; the measured figures are in bench/README.md ("Near-miss 404s").
"""

from __future__ import annotations

import json
import selectors
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from mockd.runtime.nearmiss_search import MAX_PENDING
from tests.harness import MockdProcess, free_port, request

FILLERS = 9997


def _mock(mock_id: str, method: str, path: str, **matcher: object) -> dict:
    return {"id": mock_id, "http": {"matcher": {"method": method, "path": path, **matcher},
            "response": {"statusCode": 200, "body": mock_id}}}  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockdProcess]:
    # the three that should win come last, so a search that stopped early would miss them
    mocks = [_mock(f"m{i:05d}", "GET", f"/api/r{i:05d}/items") for i in range(FILLERS)]
    mocks += [
        _mock("shop-post", "POST", "/shop/items/{id}"),
        _mock("shop-tenant", "GET", "/shop/items/{id}", headers={"X-Tenant": "acme"}),
        _mock("shop-reviews", "GET", "/shop/items/{id}/reviews"),
    ]
    path: Path = tmp_path_factory.mktemp("scale") / "mocks.json"
    path.write_text(json.dumps({"version": "1.0", "mocks": mocks}))
    proc = MockdProcess(["--config", str(path)], free_port(), free_port()).start(wait=False)
    proc.wait_ready(timeout=60)
    yield proc
    proc.stop()


def method_field(expected: str, actual: str) -> dict:
    matched = expected == actual
    return {"field": "method", "matched": matched, "score": 10 if matched else 0, "maxScore": 10,
            "expected": expected, "actual": actual}  # fmt: skip


def path_field(expected: str, actual: str, score: int, max_score: int) -> dict:
    return {"field": "path", "matched": score > 0, "score": score, "maxScore": max_score, "expected": expected,
            "actual": actual}  # fmt: skip


def test_the_top_three_of_ten_thousand(server: MockdProcess) -> None:
    r = request(server.url + "/shop/items/7")
    assert (r.status, r.headers["x-mockd-near-misses"]) == (404, "3")
    assert r.json() == {
        "error": "no_match",
        "message": "No mock matched the request",
        "method": "GET",
        "nearMisses": [
            {"mockId": "shop-tenant", "score": 22, "maxPossibleScore": 32, "matchPercentage": 68, "fields": [
                method_field("GET", "GET"), path_field("/shop/items/{id}", "/shop/items/7", 12, 12),
                {"field": "headers", "matched": False, "score": 0, "maxScore": 10,
                 "details": [{"key": "X-Tenant", "expected": "acme", "actual": "(missing)", "matched": False}]}],
             "reason": 'method and path matched, but header X-Tenant expected "acme", got "(missing)"'},
            {"mockId": "shop-post", "score": 12, "maxPossibleScore": 22, "matchPercentage": 54, "fields": [
                method_field("POST", "GET"), path_field("/shop/items/{id}", "/shop/items/7", 12, 12)],
             "reason": 'path matched, but method expected "POST", got "GET"'},
            # score 10 ties with 9,997 fillers (40%); the higher percentage wins the tie
            {"mockId": "shop-reviews", "score": 10, "maxPossibleScore": 22, "matchPercentage": 45, "fields": [
                method_field("GET", "GET"),
                path_field("/shop/items/{id}/reviews", "/shop/items/7", 0, 12)],
             "reason": 'method matched, but path expected "/shop/items/{id}/reviews", got "/shop/items/7"'},
        ],
        "path": "/shop/items/7",
    }  # fmt: skip


def test_ties_keep_definition_order(server: MockdProcess) -> None:
    body = request(server.url + "/nothing").json()
    assert [(n["mockId"], n["score"], n["matchPercentage"]) for n in body["nearMisses"]] == [
        ("shop-reviews", 10, 45), ("m00000", 10, 40), ("m00001", 10, 40),
    ]  # fmt: skip


def _raw(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()


def test_matched_requests_are_served_while_404s_wait(server: MockdProcess) -> None:
    # issue 12: each 404's near-miss search ran on the event loop (~18 ms at 10,000 mocks), so a matched
    # request queued behind a batch of 404s was answered only after all of them. Sent after the whole
    # batch, it must now come back before most of it.
    misses = 2 * MAX_PENDING
    conns = [socket.create_connection(("127.0.0.1", server.port), timeout=30) for _ in range(misses + 1)]
    for i, conn in enumerate(conns[:misses]):
        conn.sendall(_raw(f"/nothing/{i}"))
    conns[misses].sendall(_raw("/api/r00001/items"))
    replies: dict[int, bytes] = {i: b"" for i in range(len(conns))}
    done: list[int] = []
    with selectors.DefaultSelector() as sel:
        for i, conn in enumerate(conns):
            sel.register(conn, selectors.EVENT_READ, i)
        while len(done) < len(conns):
            events = sel.select(timeout=30)
            assert events, f"no reply within 30 s; {len(done)} of {len(conns)} done"
            for key, _ in events:
                chunk = key.fileobj.recv(65536)  # type: ignore[union-attr]
                if chunk:
                    replies[key.data] += chunk
                else:
                    done.append(key.data)
                    sel.unregister(key.fileobj)
                    key.fileobj.close()  # type: ignore[union-attr]
    head, _, body = replies[misses].partition(b"\r\n\r\n")
    assert (head.split(b"\r\n")[0], body) == (b"HTTP/1.1 200 OK", b"m00001")
    # Every 404 has its full near misses, or (past the backlog cap, answered at once) none.
    searched = []
    for i in range(misses):
        head, _, body = replies[i].partition(b"\r\n\r\n")
        near = json.loads(body).get("nearMisses", [])
        assert [n["mockId"] for n in near] in ([], ["shop-reviews", "m00000", "m00001"])
        assert f"x-mockd-near-misses: {len(near)}".encode() in head.lower()
        if near:
            searched.append(i)
    # Most of the searched 404s were still waiting when the matched reply came back (before: none were).
    finished_first = [i for i in done[: done.index(misses)] if i in searched]
    assert len(searched) >= MAX_PENDING // 2
    assert len(finished_first) < len(searched) // 2, (len(finished_first), len(searched))
