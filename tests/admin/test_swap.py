"""Mocks created, changed and deleted while a load loop runs (the issue's atomic-swap requirement).

Every answer must come from a mock version that existed at some moment while the request was in flight, a
404 is only allowed when the mock may not have existed during the whole request, and nothing answers 5xx.
1,000 background mocks make each table build large enough to run in the worker thread (store.py).
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

import requests

from tests.admin.helpers import http_mock
from tests.harness import MockdProcess

SLOTS = 4
DURATION = 2.5


@dataclass
class Version:
    """One mock body on one slot, and when it could have been live: from the moment the request making it
    was sent to the moment the request replacing it was answered."""

    slot: int
    body: str
    start_sent: float
    end_acked: float = float("inf")


@dataclass
class Lifetime:
    """When a slot's mock surely existed: from its create being answered to its delete being sent."""

    slot: int
    created_acked: float
    delete_sent: float = float("inf")


@dataclass
class Log:
    versions: list[Version] = field(default_factory=list)
    lifetimes: list[Lifetime] = field(default_factory=list)
    admin_errors: list[str] = field(default_factory=list)


def admin_loop(server: MockdProcess, log: Log, stop: threading.Event) -> None:
    cycle = 0
    with requests.Session() as s:
        while not stop.is_set():
            slot = cycle % SLOTS
            mock_id = f"slot{slot}"
            path = f"/swap/{slot}"
            steps = [
                ("POST", "/mocks", http_mock(path, id=mock_id, body=f"{slot}:{cycle}:post")),
                ("PUT", f"/mocks/{mock_id}", http_mock(path, body=f"{slot}:{cycle}:put")),
                ("PATCH", f"/mocks/{mock_id}", {"http": {"response": {"statusCode": 200,
                                                                      "body": f"{slot}:{cycle}:patch"}}}),
                ("DELETE", f"/mocks/{mock_id}", None),
            ]  # fmt: skip
            current: Version | None = None
            life: Lifetime | None = None
            for method, url, body in steps:
                sent = time.monotonic()
                r = s.request(method, server.admin + url, json=body)
                acked = time.monotonic()
                if r.status_code not in (200, 201, 204):
                    log.admin_errors.append(f"{method} {url}: {r.status_code} {r.text}")
                if current is not None:
                    current.end_acked = acked
                if method == "DELETE":
                    assert life is not None
                    life.delete_sent = sent
                    current = None
                else:
                    current = Version(slot, body["http"]["response"]["body"], sent)  # type: ignore[index]
                    log.versions.append(current)
                if method == "POST":
                    life = Lifetime(slot, acked)
                    log.lifetimes.append(life)
            cycle += 1


def load_loop(
    server: MockdProcess, seen: list[tuple[int, float, float, int, bytes]], stop: threading.Event
) -> None:
    rng = random.Random()
    with requests.Session() as s:
        while not stop.is_set():
            slot = rng.randrange(SLOTS + 1)
            path = f"/swap/{slot}" if slot < SLOTS else "/stable"
            sent = time.monotonic()
            r = s.get(server.url + path)
            seen.append((slot, sent, time.monotonic(), r.status_code, r.content))


def test_changes_under_load_are_atomic(server: MockdProcess) -> None:
    background = [http_mock(f"/bg/{i}/{{id}}", id=f"bg{i}") for i in range(1000)]
    assert requests.post(server.admin + "/mocks/bulk", json=background, timeout=30).status_code == 201
    assert requests.post(server.admin + "/mocks", json=http_mock("/stable", body="stable")).status_code == 201
    log = Log()
    seen: list[tuple[int, float, float, int, bytes]] = []
    stop = threading.Event()
    threads = [threading.Thread(target=load_loop, args=(server, seen, stop)) for _ in range(4)]
    threads.append(threading.Thread(target=admin_loop, args=(server, log, stop)))
    for t in threads:
        t.start()
    time.sleep(DURATION)
    stop.set()
    for t in threads:
        t.join()

    assert log.admin_errors == []
    assert len(log.versions) > 20, "too few admin changes to mean anything"
    by_body = {v.body: v for v in log.versions}
    problems = []
    for slot, sent, answered, status, body in seen:
        if slot == SLOTS:
            if (status, body) != (200, b"stable"):
                problems.append(f"/stable answered {status} {body!r}")
            continue
        if status == 200:
            version = by_body.get(body.decode())
            if version is None or version.slot != slot:
                problems.append(f"/swap/{slot} answered {body!r}: no such mock version")
            elif not (version.start_sent <= answered and version.end_acked >= sent):
                problems.append(f"/swap/{slot} answered {body!r}, which was not live during the request")
        elif status == 404:
            surely_live = any(
                life.slot == slot and life.created_acked <= sent and life.delete_sent >= answered
                for life in log.lifetimes
            )
            if surely_live:
                problems.append(f"/swap/{slot} answered 404 while its mock existed throughout")
        else:
            problems.append(f"/swap/{slot} answered {status} {body!r}")
    assert problems == []
    answered_ok = sum(1 for s in seen if s[3] == 200 and s[0] < SLOTS)
    assert answered_ok > 50, "the load loop never hit a live swapped mock"
    requests.delete(server.admin + "/mocks", timeout=30)
