"""The store goes down and comes back (docs/shared-state.md "Outage"): static and templated mocks keep
answering, admin calls answer 503 with the error envelope, and each replica reconnects by itself."""

from __future__ import annotations

from collections.abc import Callable

import requests

from tests.harness import MockdProcess, free_port, run_cli
from tests.shared_state.conftest import RedisServer, wait_until

Start = Callable[..., MockdProcess]


def _status(replica: MockdProcess) -> dict:
    return requests.get(replica.admin + "/shared-state", timeout=5).json()


def test_outage_then_recovery_without_restarting_mockd(replicas: Start, redis_server: RedisServer) -> None:
    a = replicas()
    b = replicas(with_config=False)
    redis_server.stop()
    # the mock port does not need the store
    r = requests.get(a.url + "/hello", timeout=5)
    assert (r.status_code, r.text) == (200, "hi")
    r = requests.get(b.url + "/echo/world", timeout=5)
    assert (r.status_code, r.text) == (200, "hello world")
    # admin calls are refused with the usual envelope, naming the store
    r = requests.get(a.admin + "/mocks", timeout=10)
    assert r.status_code == 503
    assert r.json() == {
        "error": "shared_state_unavailable",
        "message": f"the shared state store {redis_server.url} is unreachable; admin and stateful calls are "
        "refused until it is back",
    }
    r = requests.post(b.admin + "/mocks", json={"id": "x", "http": {"matcher": {"path": "/x"}}}, timeout=10)
    assert r.status_code == 503
    assert r.json()["error"] == "shared_state_unavailable"
    # health answers from the replica alone (a load balancer's check keeps working)
    assert requests.get(a.admin + "/health", timeout=5).status_code == 200
    # the log entries the outage cost are counted
    wait_until(lambda: _status(a)["droppedLogEntries"] >= 1, what="the dropped entry to be counted")
    assert _status(a)["connected"] is False

    redis_server.start()  # same port, empty (no persistence): the replicas seed it again
    wait_until(lambda: _status(a)["connected"] and _status(b)["connected"], what="both replicas to reconnect")
    wait_until(lambda: requests.get(a.admin + "/mocks", timeout=10).status_code == 200, what="admin on A")
    mock = {"id": "after", "type": "http",
            "http": {"matcher": {"method": "GET", "path": "/after"}, "response": {"statusCode": 200, "body": "ok"}}}  # fmt: skip
    assert requests.post(a.admin + "/mocks", json=mock, timeout=10).status_code == 201
    r = requests.get(b.url + "/after", timeout=5)
    assert (r.status_code, r.text) == (200, "ok")
    assert requests.get(b.url + "/hello", timeout=5).text == "hi"  # the seeded state kept the config's mocks
    for _ in range(3):
        assert requests.get(b.url + "/after", timeout=5).status_code == 200
    assert requests.get(a.admin + "/mocks/after/verify", timeout=10).json()["callCount"] == 4


def test_unreachable_store_at_start_is_a_clear_error() -> None:
    port = free_port()
    out = run_cli("start", "--no-auth", "--pid-file", "", "-p", str(free_port()), "-a", str(free_port()),
                  "--shared-state", f"redis://127.0.0.1:{port}", timeout=60)  # fmt: skip
    assert out.returncode == 1
    assert f"cannot reach the shared state store redis://127.0.0.1:{port}:" in out.stderr


def test_flags_it_does_not_combine_with_are_refused(tmp_path: object) -> None:
    cases = [
        (["--workers", "2"], "--shared-state cannot be used with --workers above 1 yet: run more replicas "
                             "instead (docs/shared-state.md)"),
        (["--data-dir", str(tmp_path)], "--shared-state cannot be used with --data-dir: the store keeps the "
                                        "state (docs/shared-state.md)"),
    ]  # fmt: skip
    for extra, message in cases:
        out = run_cli("start", "--no-auth", "--shared-state", "redis://127.0.0.1:1", *extra)
        assert out.returncode == 1
        assert message in out.stderr
    out = run_cli("start", "--no-auth", "--shared-state", "http://127.0.0.1:1")
    assert out.returncode == 1
    assert (
        "--shared-state 'http://127.0.0.1:1': expected redis://host:port[/db] (or rediss:// for TLS)"
        in out.stderr
    )
