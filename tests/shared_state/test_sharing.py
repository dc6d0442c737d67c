"""Two replicas on different ports sharing one Redis (`--shared-state`, docs/shared-state.md): an admin call
on either acts on both, and verification on either sees both replicas' requests, exactly."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.harness import MockdProcess
from tests.shared_state.conftest import THREADS

Start = Callable[..., MockdProcess]

MOCK = {"id": "made-on-a", "type": "http",
        "http": {"matcher": {"method": "GET", "path": "/made"}, "response": {"statusCode": 201, "body": "made"}}}  # fmt: skip


def _pair(replicas: Start) -> tuple[MockdProcess, MockdProcess]:
    """A seeds the store from its config; B, started after it with no config, adopts the store's mocks."""
    a = replicas()
    b = replicas(with_config=False)
    return a, b


def test_a_later_replica_adopts_the_stores_mocks(replicas: Start) -> None:
    a, b = _pair(replicas)
    r = requests.get(b.url + "/hello", timeout=5)
    assert (r.status_code, r.text) == (200, "hi")
    ids_a = [m["id"] for m in requests.get(a.admin + "/mocks", timeout=5).json()["mocks"]]
    ids_b = [m["id"] for m in requests.get(b.admin + "/mocks", timeout=5).json()["mocks"]]
    assert ids_b == ids_a
    assert "hello" in ids_b


def test_an_admin_write_on_a_is_live_on_b_when_it_returns(replicas: Start) -> None:
    a, b = _pair(replicas)
    r = requests.post(a.admin + "/mocks", json=MOCK, timeout=10)
    assert r.status_code == 201
    # No polling: the call returned only once every live replica had installed the new mock set.
    r = requests.get(b.url + "/made", timeout=5)
    assert (r.status_code, r.text) == (201, "made")
    assert requests.get(b.admin + "/mocks/made-on-a", timeout=5).json()["id"] == "made-on-a"
    # toggled off on B: A stops serving it at once
    r = requests.patch(b.admin + "/mocks/made-on-a", json={"enabled": False}, timeout=10)
    assert r.status_code == 200
    assert requests.get(a.url + "/made", timeout=5).status_code == 404
    # deleted on B: gone on A
    assert requests.delete(b.admin + "/mocks/made-on-a", timeout=10).status_code == 204
    assert requests.get(a.admin + "/mocks/made-on-a", timeout=5).status_code == 404


def test_counts_are_exact_across_replicas(replicas: Start) -> None:
    """8 threads x 100 calls split over two replicas: exactly 800 on either replica's verify."""
    a, b = _pair(replicas)
    per_thread = 100

    def hammer(n: int) -> int:
        ok = 0
        with requests.Session() as s:
            for i in range(per_thread):
                base = a.url if (n + i) % 2 else b.url
                ok += s.get(base + "/hello", timeout=10).status_code == 200
        return ok

    with ThreadPoolExecutor(THREADS) as pool:
        assert sum(pool.map(hammer, range(THREADS))) == THREADS * per_thread
    total = THREADS * per_thread
    for replica in (a, b):
        r = requests.get(replica.admin + "/mocks/hello/verify", timeout=10).json()
        assert r["callCount"] == total, replica
        r = requests.post(replica.admin + "/mocks/hello/verify", json={"exactly": total}, timeout=10)
        assert r.json()["passed"] is True
        log = requests.get(replica.admin + "/requests", params={"limit": 1000}, timeout=10).json()
        assert log["total"] == total
        assert len({e["id"] for e in log["requests"]}) == total  # ids unique across replicas
    # cleared on A: zero on B
    assert requests.delete(a.admin + "/verify", timeout=10).status_code == 200
    assert requests.get(b.admin + "/mocks/hello/verify", timeout=10).json()["callCount"] == 0
    assert requests.get(b.admin + "/requests", timeout=10).json()["total"] == 0


def test_a_verify_after_a_response_always_counts_it(replicas: Start) -> None:
    """8 threads, each: a call on one replica, then a verify on the other. Every verify counts at least every
    response any thread had received before it began (the flush barrier)."""
    a, b = _pair(replicas)
    lock = threading.Lock()
    received = 0

    def work(t: int) -> None:
        nonlocal received
        with requests.Session() as s:
            for i in range(15):
                serve, check = (a, b) if (t + i) % 2 else (b, a)
                assert s.get(serve.url + "/hello", timeout=10).status_code == 200
                with lock:
                    received += 1
                    floor = received
                count = s.get(check.admin + "/mocks/hello/verify", timeout=20).json()["callCount"]
                assert count >= floor, (count, floor)

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(work, range(THREADS)))
    assert requests.get(a.admin + "/mocks/hello/verify", timeout=10).json()["callCount"] == THREADS * 15


def test_invocations_of_one_mock_cleared_on_b(replicas: Start) -> None:
    a, b = _pair(replicas)
    for _ in range(3):
        assert requests.get(a.url + "/hello", timeout=5).status_code == 200
        assert requests.get(b.url + "/echo/x", timeout=5).status_code == 200
    inv = requests.get(b.admin + "/mocks/hello/invocations", timeout=10).json()
    assert len(inv["invocations"]) == 3
    r = requests.delete(b.admin + "/mocks/hello/invocations", timeout=10)
    assert r.json() == {"cleared": 3, "message": "Invocations cleared", "mockId": "hello"}
    assert requests.get(a.admin + "/mocks/hello/verify", timeout=10).json()["callCount"] == 0
    assert requests.get(a.admin + "/mocks/echo/verify", timeout=10).json()["callCount"] == 3
    assert requests.get(a.admin + "/requests", timeout=10).json()["total"] == 3


def test_concurrent_admin_writes_on_both_replicas_all_land(replicas: Start) -> None:
    """8 threads creating distinct mocks through both replicas at once: a write that raced another replica's
    answers 409 `shared_state_conflict` and changes nothing; retried, every mock is there, on both."""
    a, b = _pair(replicas)

    def create(n: int) -> int:
        target = a if n % 2 else b
        mock = {"id": f"m{n}", "type": "http",
                "http": {"matcher": {"method": "GET", "path": f"/m{n}"}, "response": {"statusCode": 200}}}  # fmt: skip
        conflicts = 0
        while True:
            r = requests.post(target.admin + "/mocks", json=mock, timeout=20)
            if r.status_code == 201:
                return conflicts
            assert r.status_code == 409, r.text
            assert r.json()["error"] == "shared_state_conflict"
            conflicts += 1

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(create, range(THREADS)))
    for replica in (a, b):
        # No call gave up waiting for the other replica's ack: a `state` event used to queue behind the
        # admin writes waiting on that replica, so each write stalled the full 5 s under load.
        assert requests.get(replica.admin + "/shared-state", timeout=10).json()["lateAcks"] == 0
        ids = {m["id"] for m in requests.get(replica.admin + "/mocks", timeout=10).json()["mocks"]}
        assert {f"m{n}" for n in range(THREADS)} <= ids
        for n in range(THREADS):
            assert requests.get(f"{replica.url}/m{n}", timeout=5).status_code == 200


def test_chaos_set_on_a_applies_on_b(replicas: Start) -> None:
    """Chaos switched on through A, then off through B: from the moment each call returned, 8 threads
    calling both replicas see only the new setting."""
    a, b = _pair(replicas)

    def statuses() -> set[int]:
        def calls(t: int) -> set[int]:
            with requests.Session() as s:
                return {s.get((a, b)[(t + i) % 2].url + "/hello", timeout=10).status_code for i in range(20)}

        with ThreadPoolExecutor(THREADS) as pool:
            return set().union(*pool.map(calls, range(THREADS)))

    config = {"enabled": True, "errorRate": {"probability": 1, "statusCodes": [503]}}
    r = requests.put(a.admin + "/chaos", json=config, timeout=10)
    assert (r.status_code, r.content) == (200, b'{"status":"ok"}\n')
    assert requests.get(b.admin + "/chaos", timeout=5).json() == config
    assert statuses() == {503}
    r = requests.put(b.admin + "/chaos", json={"enabled": False}, timeout=10)
    assert r.status_code == 200
    assert requests.get(a.admin + "/chaos", timeout=5).content == b'{"enabled":false}\n'
    assert statuses() == {200}


def test_shared_state_status(replicas: Start, redis_server: object) -> None:
    a, _ = _pair(replicas)
    body = requests.get(a.admin + "/shared-state", timeout=5).json()
    assert set(body) == {"url", "replicaId", "connected", "version", "droppedLogEntries", "droppedCalls",
                         "lateAcks"}  # fmt: skip
    assert body["connected"] is True
    assert body["droppedLogEntries"] == 0
    assert body["url"] == redis_server.url  # type: ignore[attr-defined]


def test_without_shared_state_the_status_path_is_a_plain_404(
    mockd_server: Callable[..., MockdProcess],
) -> None:
    server = mockd_server("--no-auth")
    assert requests.get(server.admin + "/shared-state", timeout=5).status_code == 404


def test_stop_waits_for_nothing(replicas: Start) -> None:
    """A stopped replica leaves the group: an admin call on the other does not wait for it."""
    a, b = _pair(replicas)
    assert b.stop() == 0
    r = requests.post(a.admin + "/mocks", json=MOCK, timeout=10)
    assert r.status_code == 201
    assert requests.get(a.admin + "/shared-state", timeout=5).json()["lateAcks"] == 0
