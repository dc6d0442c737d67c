"""The promises of one process, kept with `--workers 4` (issue 19): exact counts, admin changes live in every
worker once the call returned, one stateful store, a complete request log. Real clients in many threads."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import requests

from tests.harness import MockdProcess, request
from tests.workers.conftest import THREADS, WORKERS, fresh_get, in_threads, worker_pids


def admin(proc: MockdProcess, method: str, path: str, body: object = None) -> requests.Response:
    return requests.request(method, proc.admin + path, json=body, timeout=10)


def test_the_mock_port_is_served_by_the_workers(server: MockdProcess):
    assert len(worker_pids(server)) == WORKERS
    assert f"Mock server running on http://localhost:{server.port} ({WORKERS} workers)" in server.printed()


def test_counts_are_exact_across_workers(server: MockdProcess):
    admin(server, "DELETE", "/verify")

    def hammer(session: requests.Session, _: int) -> None:
        for _ in range(1000):
            reply = session.get(server.url + "/hello", timeout=10)
            assert reply.status_code == 200
            assert reply.text == "hi"

    in_threads(hammer)
    verdict = admin(server, "POST", "/mocks/hello/verify", {"exactly": THREADS * 1000}).json()
    assert verdict == {
        "passed": True, "actual": 8000, "expected": "exactly 8000 time(s)",
        "message": "Mock was called exactly 8000 time(s) as expected",
    }  # fmt: skip


def test_a_verify_after_a_response_always_counts_it(server: MockdProcess):
    """No waiting between the response and the verify: the admin call pulls from every worker first."""
    admin(server, "DELETE", "/verify")
    for n in range(1, 41):
        assert fresh_get(server.url + "/hello").status_code == 200
        assert admin(server, "GET", "/mocks/hello/verify").json()["callCount"] == n


def test_templated_mocks_are_answered_by_the_workers(server: MockdProcess):
    replies = in_threads(lambda s, i: s.get(f"{server.url}/echo/t{i}", timeout=10).text)
    assert replies == [f"hello t{i}" for i in range(THREADS)]


def test_a_mock_change_is_live_in_every_worker_once_the_admin_call_returned(server: MockdProcess):
    mock_id = "live-" + uuid.uuid4().hex[:8]
    path = "/live/" + mock_id

    def definition(body: str) -> dict:
        matcher = {"method": "GET", "path": path}
        return {
            "id": mock_id,
            "type": "http",
            "http": {"matcher": matcher, "response": {"statusCode": 200, "body": body}},
        }

    def everyone_sees(status: int, body: str | None) -> None:
        # Fresh connections from 8 threads: the kernel spreads them over all workers.
        def look(_: requests.Session, __: int) -> list[tuple[int, str]]:
            return [(r.status_code, r.text) for r in (fresh_get(server.url + path) for _ in range(10))]

        seen = {pair for pairs in in_threads(look) for pair in pairs}
        if body is None:
            assert {s for s, _ in seen} == {status}
        else:
            assert seen == {(status, body)}

    assert admin(server, "POST", "/mocks", definition("v0")).status_code == 201
    everyone_sees(200, "v0")
    for version in range(1, 6):
        assert admin(server, "PUT", f"/mocks/{mock_id}", definition(f"v{version}")).status_code == 200
        everyone_sees(200, f"v{version}")
    assert admin(server, "DELETE", f"/mocks/{mock_id}").status_code in (200, 204)
    everyone_sees(404, None)


def test_stateful_tables_are_one_store(server: MockdProcess):
    assert admin(server, "POST", "/state/resources/users/reset").status_code in (200, 204)
    url = server.url + "/api/users"

    def create(session: requests.Session, t: int) -> list[str]:
        ids = []
        for i in range(50):
            reply = session.post(url, json={"thread": t, "i": i}, timeout=10)
            assert reply.status_code == 201, reply.text
            ids.append(reply.json()["id"])
        return ids

    made = [i for ids in in_threads(create) for i in ids]
    assert len(made) == 400
    assert len(set(made)) == 400
    body = requests.get(url, params={"limit": "1000"}, timeout=10).json()
    created = [item["id"] for item in body["data"] if "thread" in item]
    assert sorted(created) == sorted(made)

    # Read after write from any worker: every new connection may land on another one.
    def write_then_read(_: requests.Session, t: int) -> None:
        for i in range(10):
            made = requests.post(url, json={"t": t, "i": i}, timeout=10, headers={"Connection": "close"})
            item = made.json()
            got = fresh_get(f"{url}/{item['id']}")
            assert got.status_code == 200
            assert got.json() == item

    in_threads(write_then_read)


def test_a_reset_is_seen_by_every_worker(server: MockdProcess):
    url = server.url + "/api/users"
    requests.post(url, json={"name": "temp"}, timeout=10)
    assert admin(server, "POST", "/state/resources/users/reset").status_code in (200, 204)
    totals = in_threads(lambda s, i: [fresh_get(url).json()["meta"]["total"] for _ in range(5)])
    assert {t for ts in totals for t in ts} == {3}  # the seed: Alice, Bob, Carol


def test_the_request_log_holds_every_request_in_time_order(server: MockdProcess):
    admin(server, "DELETE", "/requests")

    def calls(session: requests.Session, t: int) -> None:
        for i in range(100):
            assert session.get(f"{server.url}/hello?t={t}&i={i}", timeout=10).status_code == 200

    in_threads(calls)
    listed = admin(server, "GET", "/requests?limit=1000").json()["requests"]
    assert sorted(e["queryString"] for e in listed) == sorted(
        f"t={t}&i={i}" for t in range(THREADS) for i in range(100)
    )
    stamps = [datetime.fromisoformat(e["timestamp"]) for e in listed]
    assert stamps == sorted(stamps, reverse=True)  # newest first, across workers


def test_health_and_404s_from_workers(server: MockdProcess):
    assert request(server.url + "/__mockd/health").status == 200
    miss = request(server.url + "/nothing-here")
    assert miss.status == 404
    assert miss.json()["error"] == "no_match"


def test_the_request_stream_gets_every_request_from_every_worker(server: MockdProcess):
    """More requests than the log keeps (1,000): with a live reader, workers ship every entry."""
    wanted = {f"t={t}&i={i}" for t in range(THREADS) for i in range(300)}
    with requests.get(server.admin + "/requests/stream", stream=True, timeout=30) as resp:
        chunks = resp.iter_content(chunk_size=None)
        buffer = b""
        while b"\n\n" not in buffer:
            buffer += next(chunks)
        assert buffer.startswith(b"event: connected")
        buffer = buffer.split(b"\n\n", 1)[1]

        def calls(session: requests.Session, t: int) -> None:
            for i in range(300):
                assert session.get(f"{server.url}/hello?t={t}&i={i}", timeout=10).status_code == 200

        in_threads(calls)
        seen: list[dict] = []
        while len(seen) < len(wanted):
            while b"\n\n" not in buffer:
                buffer += next(chunks)
            frame, buffer = buffer.split(b"\n\n", 1)
            event, data = frame.decode().split("\n", 1)
            if event == "event: request":
                seen.append(json.loads(data.removeprefix("data: ")))
    assert {e["queryString"] for e in seen} == wanted
    assert len(seen) == len(wanted)


def test_a_sequence_is_one_sequence_across_workers(server: MockdProcess):
    """`sequence()` is a per-process counter: workers relay such mocks so it counts once, without gaps."""
    values = in_threads(lambda s, i: [int(fresh_get(server.url + "/seq").text) for _ in range(20)])
    got = sorted(v for vs in values for v in vs)
    assert got == list(range(got[0], got[0] + THREADS * 20))


def test_chaos_applies_in_every_worker_once_the_admin_call_returned(server: MockdProcess):
    try:
        on = {"enabled": True, "errorRate": {"probability": 1, "statusCodes": [503]}}
        assert admin(server, "PUT", "/chaos", on).status_code == 200
        statuses = in_threads(lambda s, i: [fresh_get(server.url + "/hello").status_code for _ in range(10)])
        assert {c for cs in statuses for c in cs} == {503}
    finally:
        assert admin(server, "PUT", "/chaos", {"enabled": False}).status_code == 200
    statuses = in_threads(lambda s, i: [fresh_get(server.url + "/hello").status_code for _ in range(10)])
    assert {c for cs in statuses for c in cs} == {200}
