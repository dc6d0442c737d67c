"""The integration-testing guide against `examples/integration-testing/test-mocks.json` (the seed guide's
Jest, pytest and Go snippets are built on it), and the load error for duplicate seed ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES
from tests.harness import MockdProcess, free_port
from tests.state.conftest import Server

CONFIG = EXAMPLES / "integration-testing" / "test-mocks.json"


@pytest.fixture(scope="module")
def server() -> Any:
    proc = MockdProcess(["--config", str(CONFIG)], free_port(), free_port()).start()
    yield Server(proc, "legacy")
    proc.stop()


def test_user_by_id_is_exactly_the_seed_item(srv: Server):
    # Jest "fetches user by ID": toEqual({id: 1, name: 'Alice', email: 'alice@example.com'}) — D1, D2
    reply = srv.call("GET", "/api/users/1")
    assert reply.status_code == 200
    assert reply.content == b'{"id":1,"name":"Alice","email":"alice@example.com"}\n'


def test_unknown_user_is_404(srv: Server):
    assert srv.call("GET", "/api/users/999").status_code == 404
    assert srv.call("GET", "/api/users/99999").status_code == 404


def test_users_list_is_a_json_array(srv: Server):
    # the Go example decodes into []map[string]interface{} (D8)
    users = srv.call("GET", "/api/users").json()
    assert users == [
        {"id": 2, "name": "Bob", "email": "bob@example.com"},
        {"id": 1, "name": "Alice", "email": "alice@example.com"},
    ]


def test_create_user_then_reset_and_clear(srv: Server):
    reply = srv.call("POST", "/api/users", json={"name": "Charlie", "email": "charlie@example.com"})
    assert reply.status_code == 201
    user = reply.json()
    assert user["name"] == "Charlie"
    assert "id" in user
    assert len(srv.call("GET", "/api/users").json()) == 3
    # "Reset State Between Tests"
    assert srv.admin("POST", "/state/resources/users/reset").status_code == 200
    assert len(srv.call("GET", "/api/users").json()) == 2
    assert srv.admin("DELETE", "/state/resources/users").status_code == 200
    assert srv.call("GET", "/api/users").json() == []


def test_tasks_crud_workflow(srv: Server):
    # pytest "TestStatefulOperations.test_crud_workflow" and Go "TestCreateTask"
    created = srv.call("POST", "/api/tasks", json={"title": "Test task", "status": "todo"})
    assert created.status_code == 201
    task_id = created.json()["id"]
    assert srv.call("GET", f"/api/tasks/{task_id}").json()["title"] == "Test task"
    srv.call("PATCH", f"/api/tasks/{task_id}", json={"status": "done"})
    assert srv.call("GET", f"/api/tasks/{task_id}").json()["status"] == "done"
    assert srv.call("DELETE", f"/api/tasks/{task_id}").status_code == 204
    assert srv.call("GET", f"/api/tasks/{task_id}").status_code == 404
    assert srv.call("GET", "/api/tasks").json()["meta"]["total"] == 2


def test_duplicate_seed_ids_fail_the_load_with_file_and_line(tmp_path: Path):
    # deliberate: the Go tool only logs and drops the resource; D1: 1 and "1" are the same id
    config = tmp_path / "dup.json"
    config.write_text(
        '{"statefulResources": [\n'
        '  {"name": "users", "basePath": "/api/users",\n'
        '   "seedData": [{"id": 1},\n'
        '                {"id": "1"}]}]}\n'
    )
    proc = MockdProcess(["--config", str(config)], free_port(), free_port()).start(wait=False)
    try:
        assert proc.proc is not None
        assert proc.proc.wait(timeout=15) == 1
        _, err = proc.output()
    finally:
        proc.stop()
    assert err == (
        f'{config}:4:24: statefulResources[0].seedData[1].id: duplicate ID "1" in seed data at index 1 '
        "(first at index 0)\nfailed to load config file: 1 error\n"
    )
