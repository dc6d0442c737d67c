"""Stateful tables shared by two replicas (mockd/runtime/shared/tables.py): one set of items, unique ids,
read-after-write from either replica, and an atomic reset."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from tests.harness import MockdProcess
from tests.shared_state.conftest import THREADS, RedisServer, wait_until

Start = Callable[..., MockdProcess]


def _pair(replicas: Start) -> tuple[MockdProcess, MockdProcess]:
    return replicas(), replicas()  # both load the config; the second adopts the items the first stored


def _in_threads(work: Callable[[int], Any]) -> list[Any]:
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(work, range(THREADS)))


def test_creates_across_replicas_give_unique_ids_and_one_table(replicas: Start) -> None:
    """8 threads x 50 creates alternating between the replicas: 400 items, 400 ids, on both."""
    a, b = _pair(replicas)

    def create(t: int) -> list[str]:
        ids = []
        with requests.Session() as s:
            for i in range(50):
                base = (a, b)[(t + i) % 2].url
                reply = s.post(base + "/api/users", json={"thread": t, "i": i}, timeout=20)
                assert reply.status_code == 201, reply.text
                ids.append(reply.json()["id"])
        return ids

    made = [i for ids in _in_threads(create) for i in ids]
    assert len(made) == 400
    assert len(set(made)) == 400
    for replica in (a, b):
        body = requests.get(replica.url + "/api/users", params={"limit": "1000"}, timeout=10).json()
        assert body["meta"]["total"] == 403  # the seed's three, then ours
        assert sorted(item["id"] for item in body["data"] if "thread" in item) == sorted(made)


def test_a_write_on_one_replica_is_read_on_the_other(replicas: Start) -> None:
    a, b = _pair(replicas)

    def write_then_read(t: int) -> None:
        writer, reader = (a, b) if t % 2 else (b, a)
        for i in range(10):
            item = requests.post(writer.url + "/api/users", json={"t": t, "i": i}, timeout=20).json()
            got = requests.get(f"{reader.url}/api/users/{item['id']}", timeout=20)
            assert (got.status_code, got.json()) == (200, item)
            patched = requests.patch(f"{reader.url}/api/users/{item['id']}", json={"seen": True}, timeout=20)
            assert patched.status_code == 200
            again = requests.get(f"{writer.url}/api/users/{item['id']}", timeout=20).json()
            assert again["seen"] is True
            assert requests.delete(f"{writer.url}/api/users/{item['id']}", timeout=20).status_code == 204
            assert requests.get(f"{reader.url}/api/users/{item['id']}", timeout=20).status_code == 404

    _in_threads(write_then_read)


def test_a_reset_on_one_replica_is_atomic_for_every_reader(replicas: Start) -> None:
    """8 threads list the table through both replicas while A resets it: a reset rewrites the table in one
    step, so every list shows every seed item (a half-applied reset would show a table without them), and
    once the reset returned every list is exactly the seed."""
    a, b = _pair(replicas)
    for i in range(20):
        assert requests.post((a, b)[i % 2].url + "/api/users", json={"n": i}, timeout=10).status_code == 201
    seed = {1, 2, "u3"}
    stop = threading.Event()

    def read(t: int) -> int:
        seen = 0
        with requests.Session() as s:
            while not stop.is_set() or seen == 0:
                body = s.get((a, b)[t % 2].url + "/api/users", params={"limit": "1000"}, timeout=20).json()
                ids = {item["id"] for item in body["data"]}
                assert seed <= ids, ids
                assert body["meta"]["total"] == len(ids)
                seen += 1
        return seen

    with ThreadPoolExecutor(THREADS) as pool:
        readers = [pool.submit(read, t) for t in range(THREADS)]
        r = requests.post(a.admin + "/state/resources/users/reset", timeout=20)
        stop.set()
        assert r.status_code in (200, 204)
        assert all(f.result() > 0 for f in readers)
    for replica in (a, b):
        body = requests.get(replica.url + "/api/users", timeout=10).json()
        assert body["meta"]["total"] == 3  # the seed: Alice, Bob, Carol
        assert {item["id"] for item in body["data"]} == seed


def test_stateful_calls_answer_503_while_the_store_is_down(
    replicas: Start, redis_server: RedisServer
) -> None:
    a, b = _pair(replicas)
    redis_server.stop()
    r = requests.get(a.url + "/api/users", timeout=10)
    assert r.status_code == 503
    assert r.json() == {
        "error": "shared_state_unavailable",
        "message": f"the shared state store {redis_server.url} is unreachable; admin and stateful calls are "
        "refused until it is back",
    }
    assert requests.get(a.url + "/hello", timeout=5).status_code == 200
    redis_server.start()
    # The store came back empty: each replica stores its tables again (from what it serves) once it has
    # reconnected; then the replicas share them as before.
    wait_until(lambda: requests.get(b.url + "/api/users", timeout=10).status_code == 200, what="tables back")
    created = requests.post(a.url + "/api/users", json={"name": "after"}, timeout=10)
    assert created.status_code == 201
    got = requests.get(f"{b.url}/api/users/{created.json()['id']}", timeout=10)
    assert got.status_code == 200
