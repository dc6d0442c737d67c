"""Many real client threads against one server (both generations): no lost writes, no torn items, and resets
that take effect atomically while requests keep coming.

The server serves both ports on one event loop and every table operation is one synchronous call, so these
tests check that invariant from the outside, over HTTP, with real concurrency on the client side.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from tests.state import configs
from tests.state.configs import USERS_SEED
from tests.state.conftest import Server

THREADS = 8


@pytest.fixture(scope="module", params=["legacy", "current"])
def server(request: pytest.FixtureRequest, start: Any) -> Server:
    gen = request.param
    return start(configs.legacy() if gen == "legacy" else configs.current(), "json", gen)


def in_threads(work: Callable[[requests.Session, int], Any], n: int = THREADS) -> list[Any]:
    """Run `work(session, index)` in `n` threads at once (each with its own keep-alive session)."""
    barrier = threading.Barrier(n)

    def run(i: int) -> Any:
        with requests.Session() as session:
            barrier.wait()
            return work(session, i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def test_parallel_creates_are_all_stored_with_unique_ids(srv: Server):
    srv.admin("DELETE", "/state/resources/users")
    url = srv.proc.url + "/api/users"

    def create(session: requests.Session, t: int) -> list[str]:
        ids = []
        for i in range(50):
            reply = session.post(url, json={"thread": t, "i": i}, timeout=10)
            assert reply.status_code == 201, reply.text
            ids.append(reply.json()["id"])
        return ids

    made = [i for ids in in_threads(create) for i in ids]
    body = srv.call("GET", "/api/users", params={"limit": "1000"}).json()
    assert body["meta"]["total"] == 400
    listed = [item["id"] for item in body["data"]]
    assert len(set(listed)) == 400
    assert set(listed) == set(made)
    assert srv.admin("GET", "/state/resources/users").json()["itemCount"] == 400


def test_parallel_patches_of_one_item_lose_no_field(srv: Server):
    url = srv.proc.url + "/api/users/1"

    def patch(session: requests.Session, t: int) -> None:
        for i in range(50):
            reply = session.patch(url, json={f"f{t}": i}, timeout=10)
            assert reply.status_code == 200, reply.text
            assert reply.json()[f"f{t}"] == i  # each reply shows the writer's own merge, whole

    in_threads(patch)
    item = srv.call("GET", "/api/users/1").json()
    assert {f"f{t}": item[f"f{t}"] for t in range(THREADS)} == {f"f{t}": 49 for t in range(THREADS)}
    assert item["name"] == "Alice"


def test_patch_delete_and_recreate_races_on_one_item_never_corrupt_the_store(srv: Server):
    base = srv.proc.url + "/api/users"

    def race(session: requests.Session, t: int) -> list[int]:
        statuses = []
        for i in range(40):
            if t % 4 == 0:
                reply = session.delete(base + "/u3", timeout=10)
                assert reply.status_code in (204, 404), reply.text
                statuses.append(reply.status_code)
                reply = session.post(base, json={"id": "u3", "name": "again"}, timeout=10)
                assert reply.status_code in (201, 409), reply.text
            else:
                reply = session.patch(base + "/u3", json={"writer": t, "i": i}, timeout=10)
                assert reply.status_code in (200, 404), reply.text
                if reply.status_code == 200:
                    item = reply.json()
                    assert (item["id"], item["writer"], item["i"]) == ("u3", t, i)
                    assert "createdAt" in item
                    assert "updatedAt" in item
            statuses.append(reply.status_code)
        return statuses

    statuses = [s for group in in_threads(race) for s in group]
    assert 200 in statuses  # the race really interleaved patches with deletes
    assert 204 in statuses
    body = srv.call("GET", "/api/users", params={"limit": "1000"}).json()
    ids = [item["id"] for item in body["data"]]
    assert len(ids) == len(set(ids)) == body["meta"]["total"]
    assert set(ids) - {"u3"} == {1, 2}
    one = srv.call("GET", "/api/users/u3")
    assert one.status_code == (200 if "u3" in ids else 404)
    assert srv.admin("GET", "/state/resources/users").json()["itemCount"] == len(ids)


def test_resets_during_load_take_effect_at_once_and_restore_the_seed(srv: Server):
    base = srv.proc.url + "/api/users"
    admin = srv.proc.admin
    stop = threading.Event()

    def load(session: requests.Session, t: int) -> int:
        if t == 0:  # the resetter
            try:
                for round_ in range(10):
                    marker = session.post(base, json={"marker": round_}, timeout=10).json()["id"]
                    assert session.post(admin + "/state/resources/users/reset", timeout=10).status_code == 200
                    # the very next request sees the reset: the marker made before it is gone
                    assert session.get(f"{base}/{marker}", timeout=10).status_code == 404
                    listed = session.get(base, params={"limit": "1000"}, timeout=10).json()["data"]
                    assert {1, 2, "u3"} <= {item["id"] for item in listed}
            finally:
                stop.set()  # never leave the writers running
            return 0
        done = 0
        while not stop.is_set():
            assert session.post(base, json={"writer": t}, timeout=10).status_code == 201
            assert session.patch(base + "/2", json={"writer": t}, timeout=10).status_code == 200
            done += 1
        return done

    assert sum(in_threads(load)) > 0
    srv.admin("POST", "/state/resources/users/reset")
    assert srv.items(limit="1000") == USERS_SEED[::-1]
