"""`--data-dir` on the mock port: a stateful write is acknowledged only once it is committed (group commit),
so a `kill -9` loses nothing a client was told about, and item-by-item writes keep a table's order.
(docs/persistence.md, "Crash safety")"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.harness import MockdProcess, request

Start = Callable[..., MockdProcess]

LEGACY = {"version": "1.0", "statefulResources": [{"name": "users", "basePath": "/api/users"}]}


def bound(mock_id: str, method: str, path: str, action: str) -> dict:
    return {"id": mock_id, "http": {"matcher": {"method": method, "path": path},
                                    "statefulBinding": {"table": "notes", "action": action}}}  # fmt: skip


CURRENT = {
    "version": "1.0",
    "tables": [
        {"name": "notes", "seedData": [{"id": "s1", "text": "seed one"}, {"id": "s2", "text": "seed two"}]}
    ],
    "mocks": [
        bound("list", "GET", "/notes", "list"),
        bound("create", "POST", "/notes", "create"),
        bound("update", "PUT", "/notes/{id}", "update"),
        bound("patch", "PATCH", "/notes/{id}", "patch"),
        bound("delete", "DELETE", "/notes/{id}", "delete"),
    ],
}


def write_config(tmp_path: Path, config: dict) -> Path:
    path = tmp_path / "mocks.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def test_kill_9_during_a_mock_port_write_burst_loses_no_acknowledged_write(
    mockd_server: Start, tmp_path: Path
) -> None:
    config, data = write_config(tmp_path, LEGACY), tmp_path / "data"
    srv = mockd_server("--no-auth", "--config", str(config), "--data-dir", str(data))
    # What each client was told of each item: its name as last acknowledged, or None once deleted; and the
    # change it was still waiting for when the server died (which may or may not have been committed).
    acked: dict[str, str | None] = {}
    in_flight: dict[str, str | None] = {}
    lock = threading.Lock()
    enough = threading.Event()

    def send(item_id: str, method: str, path: str, body: dict | None, status: int, after: str | None) -> bool:
        with lock:
            in_flight[item_id] = after
        reply = request(srv.url + path, method, body, timeout=5)
        if reply.status != status:
            return False
        with lock:
            acked[item_id] = after
            del in_flight[item_id]
            if len(acked) >= 300:
                enough.set()
        return True

    def writer(worker: int) -> None:
        try:
            for n in range(100_000):
                item_id = f"w{worker}-{n}"
                if not send(item_id, "POST", "/api/users", {"id": item_id, "name": "v1"}, 201, "v1"):
                    return
                if n % 5 == 0 and not send(
                    item_id, "PUT", f"/api/users/{item_id}", {"name": "v2"}, 200, "v2"
                ):
                    return
                if n % 7 == 0 and not send(item_id, "DELETE", f"/api/users/{item_id}", None, 204, None):
                    return
        except OSError:
            return  # the server is gone

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    assert enough.wait(60)
    srv.stop(sig=signal.SIGKILL)  # mid-burst: requests are in flight, a commit may be too
    for t in threads:
        t.join(30)
    assert len(acked) >= 300

    again = mockd_server("--no-auth", "--config", str(config), "--data-dir", str(data))
    stored = {u["id"]: u["name"] for u in request(again.url + "/api/users?limit=1000000").json()["data"]}
    for item_id, name in acked.items():
        allowed = {name, in_flight[item_id]} if item_id in in_flight else {name}
        assert stored.get(item_id) in allowed, item_id  # None: not stored
    assert len(in_flight) <= 6


def test_item_writes_keep_the_tables_order_across_a_kill_9(mockd_server: Start, tmp_path: Path) -> None:
    config, data = write_config(tmp_path, CURRENT), tmp_path / "data"
    srv = mockd_server("--no-auth", "--config", str(config), "--data-dir", str(data))
    # The first change writes the seeded table whole; the later ones one row each.
    assert request(srv.url + "/notes", "POST", {"id": "a", "text": "A"}).status == 201
    assert request(srv.url + "/notes", "POST", {"id": "b", "text": "B"}).status == 201
    assert request(srv.url + "/notes", "POST", {"id": "c", "text": "C"}).status == 201
    assert request(srv.url + "/notes/s1", "PUT", {"text": "seed one, edited"}).status == 200  # stays first
    assert request(srv.url + "/notes/b", "PATCH", {"extra": True}).status == 200
    assert request(srv.url + "/notes/a", "DELETE").status == 204
    assert request(srv.url + "/notes", "POST", {"id": "a", "text": "A again"}).status == 201  # at the end
    assert request(srv.url + "/notes/s2", "DELETE").status == 204
    before = request(srv.url + "/notes").json()["data"]
    assert [(n["id"], n["text"]) for n in before] == [  # newest first: the order the tick stamps give
        ("a", "A again"), ("c", "C"), ("b", "B"), ("s1", "seed one, edited")
    ]  # fmt: skip
    srv.stop(sig=signal.SIGKILL)  # no shutdown write: only what the requests waited for

    again = mockd_server("--no-auth", "--config", str(config), "--data-dir", str(data))
    assert request(again.url + "/notes").json()["data"] == before
    # A reset is a whole-table write; the next create is one row after it.
    assert request(again.admin + "/state/resources/notes/reset", "POST").status == 200
    assert request(again.url + "/notes", "POST", {"id": "z", "text": "Z"}).status == 201
    after_reset = request(again.url + "/notes").json()["data"]
    again.stop(sig=signal.SIGKILL)
    third = mockd_server("--no-auth", "--config", str(config), "--data-dir", str(data))
    assert [n["id"] for n in request(third.url + "/notes").json()["data"]] == ["z", "s2", "s1"]
    assert request(third.url + "/notes").json()["data"] == after_reset


def test_reads_and_static_mocks_do_not_wait_and_without_data_dir_nothing_changes(
    mockd_server: Start, tmp_path: Path
) -> None:
    config = write_config(tmp_path, CURRENT)
    srv = mockd_server("--no-auth", "--config", str(config))
    created = request(srv.url + "/notes", "POST", {"id": "a", "text": "A"})
    assert created.status == 201
    assert created.json()["id"] == "a"
    assert [n["id"] for n in request(srv.url + "/notes").json()["data"]] == ["a", "s2", "s1"]


SOAP = {
    "version": "1.0",
    "tables": [{"name": "users", "seedData": [{"id": "1", "name": "Ada"}]}],
    "mocks": [{"id": "users-soap", "type": "soap", "soap": {"path": "/soap/users", "operations": {
        "CreateUser": {"statefulBinding": {"table": "users", "action": "create"}},
        "DeleteUser": {"statefulBinding": {"table": "users", "action": "delete"}},
    }}}],
}  # fmt: skip


def soap(srv: MockdProcess, operation: str, fields: str) -> int:
    body = ('<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>'
            f"<{operation}>{fields}</{operation}></e:Body></e:Envelope>")  # fmt: skip
    r = request(srv.url + "/soap/users", "POST", body.encode(), headers={"Content-Type": "text/xml"})
    return r.status


def test_a_soap_binding_write_is_committed_before_its_reply(mockd_server: Start, tmp_path: Path) -> None:
    config, data = write_config(tmp_path, SOAP), tmp_path / "data"
    srv = mockd_server("--no-auth", "--config", str(config), "--data-dir", str(data))
    assert soap(srv, "CreateUser", "<id>2</id><name>Bob</name>") == 200
    assert soap(srv, "CreateUser", "<id>3</id><name>Cy</name>") == 200
    assert soap(srv, "DeleteUser", "<id>1</id>") == 200
    srv.stop(sig=signal.SIGKILL)  # right after the replies: no background write, no shutdown write
    again = mockd_server("--no-auth", "--config", str(config), "--data-dir", str(data))
    items = request(again.admin + "/state/resources/users/items").json()["data"]
    assert sorted((i["id"], i["name"]) for i in items) == [("2", "Bob"), ("3", "Cy")]
