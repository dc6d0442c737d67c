"""`start --data-dir`: what the admin API and the tables change survives a restart, a `kill -9` loses
nothing that was acknowledged, and a directory is never shared, corrupt or too new without a clear outcome.
(docs/persistence.md)"""

from __future__ import annotations

import json
import signal
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.harness import MockdProcess, free_port, request, run_cli

LEGACY = """version: "1.0"
statefulResources:
  - name: users
    basePath: /api/users
    seedData:
      - { id: "1", name: Ada }
mocks:
  - id: from-config
    http:
      matcher: { method: GET, path: /config }
      response: { statusCode: 200, body: config }
"""

Start = Callable[..., MockdProcess]


def mock(mock_id: str, path: str, body: str = "ok") -> dict:
    return {"id": mock_id, "type": "http",
            "http": {"matcher": {"method": "GET", "path": path}, "response": {"statusCode": 200, "body": body}}}  # fmt: skip


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "mocks.yaml"
    path.write_text(LEGACY)
    return path


def ids(srv: MockdProcess) -> list[str]:
    return [m["id"] for m in request(srv.admin + "/mocks").json()["mocks"]]


def test_admin_changes_and_table_items_survive_a_restart(
    mockd_server: Start, tmp_path: Path, config: Path
) -> None:
    data = tmp_path / "data"
    srv = mockd_server("--no-auth", "--config", str(config), "--data-dir", str(data))
    assert request(srv.admin + "/mocks", "POST", mock("a", "/a", "first")).status == 201
    assert request(srv.admin + "/mocks", "POST", mock("b", "/b")).status == 201
    assert request(srv.admin + "/mocks", "POST", mock("gone", "/gone")).status == 201
    assert request(srv.admin + "/mocks/a", "PUT", mock("a", "/a", "second")).status == 200
    assert request(srv.admin + "/mocks/gone", "DELETE").status == 204
    assert request(srv.admin + "/mocks/b/toggle", "POST").status == 200  # disabled
    notes = {"name": "notes", "seedData": [{"id": "n1", "text": "seed"}]}
    assert request(srv.admin + "/state/resources", "POST", notes).status == 201
    assert (
        request(srv.admin + "/state/resources/notes/items", "POST", {"id": "n2", "text": "added"}).status
        == 201
    )
    # Items changed on the mock port (written in the background, and at shutdown at the latest).
    assert request(srv.url + "/api/users", "POST", {"id": "2", "name": "Grace"}).status == 201
    assert request(srv.url + "/api/users/1", "DELETE").status == 204
    assert srv.stop() == 0

    again = mockd_server("--no-auth", "--config", str(config), "--data-dir", str(data))
    assert ids(again) == ["from-config", "a", "b"]
    assert request(again.url + "/a").body == b"second"
    assert request(again.url + "/b").status == 404  # still disabled
    assert request(again.admin + "/mocks/b").json()["enabled"] is False
    assert request(again.url + "/config").body == b"config"
    users = request(again.url + "/api/users").json()
    assert [u["id"] for u in users["data"]] == ["2"]
    assert users["data"][0]["name"] == "Grace"
    items = request(again.admin + "/state/resources/notes/items").json()
    assert sorted(i["id"] for i in items["data"]) == ["n1", "n2"]
    # A reset still goes back to the seed, and that too is kept.
    assert request(again.admin + "/state/resources/users/reset", "POST").status == 200
    assert again.stop() == 0
    third = mockd_server("--no-auth", "--config", str(config), "--data-dir", str(data))
    assert [u["id"] for u in request(third.url + "/api/users").json()["data"]] == ["1"]


def test_without_data_dir_nothing_is_kept(mockd_server: Start, config: Path) -> None:
    srv = mockd_server("--no-auth", "--config", str(config))
    assert request(srv.admin + "/mocks", "POST", mock("a", "/a")).status == 201
    srv.stop()
    again = mockd_server("--no-auth", "--config", str(config))
    assert ids(again) == ["from-config"]


def test_kill_9_during_a_write_burst_loses_no_acknowledged_write(mockd_server: Start, tmp_path: Path) -> None:
    data = tmp_path / "data"
    srv = mockd_server("--no-auth", "--data-dir", str(data))
    acked: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()

    def writer(worker: int) -> None:
        for n in range(10_000):
            mock_id = f"w{worker}-{n}"
            try:
                reply = request(srv.admin + "/mocks", "POST", mock(mock_id, f"/{mock_id}"), timeout=5)
            except OSError:
                return  # the server is gone
            if reply.status == 201:
                with lock:
                    acked.append(mock_id)
                    if len(acked) >= 150:
                        enough.set()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    assert enough.wait(60)
    srv.stop(sig=signal.SIGKILL)  # mid-burst: writes are in flight
    for t in threads:
        t.join(30)
    again = mockd_server("--no-auth", "--data-dir", str(data))
    stored = set(ids(again))
    assert set(acked) <= stored
    assert len(stored) >= 150


def test_a_second_server_on_the_same_data_dir_is_refused(mockd_server: Start, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = mockd_server("--no-auth", "--data-dir", str(data))
    r = run_cli("start", "--no-auth", "--host", "127.0.0.1", "-p", str(free_port()), "-a", str(free_port()),
                "--data-dir", str(data), "--pid-file", "")  # fmt: skip
    assert r.returncode == 1
    assert r.stderr.strip().endswith(
        f"data dir {data} is in use by another mockd (PID {first.proc.pid}): stop it first, or use another "
        "--data-dir"
    )
    assert "Traceback" not in r.stderr
    assert request(first.admin + "/health").status == 200


def test_a_corrupt_data_file_is_moved_aside_with_a_warning(mockd_server: Start, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "mockd.db").write_bytes(b"this is not a database" * 100)
    srv = mockd_server("--no-auth", "--data-dir", str(data))
    assert ids(srv) == []
    assert request(srv.admin + "/mocks", "POST", mock("a", "/a")).status == 201
    srv.stop()
    _, err = srv.output()
    moved = [p.name for p in data.iterdir() if p.name.startswith("mockd.db.corrupt-")]
    assert len(moved) == 1
    assert (data / moved[0]).read_bytes() == b"this is not a database" * 100  # kept, never emptied
    assert (
        f"Warning: data file {data / 'mockd.db'} is unreadable (file is not a database); moved it to " in err
    )
    again = mockd_server("--no-auth", "--data-dir", str(data))
    assert ids(again) == ["a"]


def test_a_data_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = sqlite3.connect(data / "mockd.db")
    db.execute("PRAGMA user_version = 99")
    db.close()
    r = run_cli("start", "--no-auth", "--host", "127.0.0.1", "-p", str(free_port()), "-a", str(free_port()),
                "--data-dir", str(data), "--pid-file", "")  # fmt: skip
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1] == (
        f"{data / 'mockd.db'} was written by a newer mockd (data format 99; this mockd reads format 1 and "
        "older): upgrade mockd, or start with another --data-dir"
    )
    db = sqlite3.connect(data / "mockd.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 99  # untouched
    db.close()


def test_stored_rows_are_json_a_reader_can_use(mockd_server: Start, tmp_path: Path) -> None:
    data = tmp_path / "data"
    srv = mockd_server("--no-auth", "--data-dir", str(data))
    assert request(srv.admin + "/mocks", "POST", mock("a", "/a")).status == 201
    # Acknowledged means committed: readable by another connection while the server runs (WAL).
    db = sqlite3.connect(data / "mockd.db")
    (body,) = db.execute("SELECT body FROM mocks WHERE id = 'a'").fetchone()
    db.close()
    assert json.loads(body)["mock"]["http"]["matcher"] == {"method": "GET", "path": "/a"}


def test_data_dir_default_is_the_go_tools_location(mockd_server: Start, tmp_path: Path) -> None:
    srv = mockd_server("--no-auth", "--data-dir", "default", env={"XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert request(srv.admin + "/mocks", "POST", mock("a", "/a")).status == 201
    assert (tmp_path / "xdg" / "mockd" / "mockd.db").is_file()
    assert (tmp_path / "xdg" / "mockd" / "workspaces" / "_default").is_dir()
