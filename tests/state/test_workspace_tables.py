"""Stateful tables per workspace (operations reference §5): tables are keyed by (workspace, name), a mock's
binding resolves its table in the mock's own workspace, and every `/state` route takes `?workspaceId=`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from tests.harness import MockdProcess, request

Start = Callable[..., MockdProcess]

CONFIG = {
    "version": "1.0",
    "tables": [{"name": "users", "seedData": [{"id": "d1", "name": "default"}]}],
    "mocks": [
        {"id": "list", "http": {"matcher": {"method": "GET", "path": "/users"},
                                "statefulBinding": {"table": "users", "action": "list"}}},
        {"id": "create", "http": {"matcher": {"method": "POST", "path": "/users"},
                                  "statefulBinding": {"table": "users", "action": "create"}}},
    ],
}  # fmt: skip


def bound(method: str, path: str, table: str, action: str) -> dict:
    return {"type": "http", "http": {"matcher": {"method": method, "path": path},
                                     "statefulBinding": {"table": table, "action": action}}}  # fmt: skip


def ids(reply_body: dict) -> list[str]:
    return [u["id"] for u in reply_body["data"]]


def start(mockd_server: Start, tmp_path: Path, *extra: str) -> MockdProcess:
    config = tmp_path / "mocks.yaml"
    config.write_text(yaml.safe_dump(CONFIG, sort_keys=False))
    return mockd_server("--no-auth", "--config", str(config), *extra)


def team_workspace(srv: MockdProcess) -> str:
    ws = request(srv.admin + "/workspaces", "POST", {"name": "Team"}).json()["id"]
    q = f"?workspaceId={ws}"
    r = request(srv.admin + "/state/resources" + q, "POST", {"name": "users", "seedData": [{"id": "t1"}]})
    assert (r.status, r.json()) == (
        201,
        {"idField": "id", "message": "Stateful resource created", "name": "users"},
    )
    for method, action in (("GET", "list"), ("POST", "create")):
        assert (
            request(srv.admin + "/mocks" + q, "POST", bound(method, "/users", "users", action)).status == 201
        )
    return ws


def test_each_workspace_has_its_own_table_of_a_name(mockd_server: Start, tmp_path: Path) -> None:
    srv = start(mockd_server, tmp_path)
    ws = team_workspace(srv)
    q = f"?workspaceId={ws}"
    assert ids(request(srv.url + "/users").json()) == ["d1"]
    assert ids(request(srv.url + "/team/users").json()) == ["t1"]
    assert request(srv.url + "/team/users", "POST", {"id": "t2"}).status == 201
    assert ids(request(srv.url + "/team/users").json()) == ["t2", "t1"]
    assert ids(request(srv.url + "/users").json()) == ["d1"]

    # The admin API sees one workspace at a time.
    assert request(srv.admin + "/state/resources").json() == [
        {"name": "users", "itemCount": 1, "seedCount": 1, "idField": "id"}
    ]
    assert request(srv.admin + "/state/resources" + q).json() == [
        {"name": "users", "itemCount": 2, "seedCount": 1, "idField": "id"}
    ]
    assert request(srv.admin + "/state" + q).json()["resourceList"] == ["users"]
    assert request(srv.admin + "/state/resources?workspaceId=ws_none").json() is None
    assert [i["id"] for i in request(srv.admin + "/state/resources/users/items" + q).json()["data"]] == [
        "t2", "t1"
    ]  # fmt: skip
    assert request(srv.admin + "/state/resources/users/items/t2" + q).json()["id"] == "t2"
    assert request(srv.admin + "/state/resources/users/items/t2").status == 404

    # Resets, clears and removals stay in their workspace.
    assert request(srv.admin + "/state/resources/users/reset" + q, "POST").status == 200
    assert ids(request(srv.url + "/team/users").json()) == ["t1"]
    assert request(srv.url + "/users", "POST", {"id": "d2"}).status == 201
    assert request(srv.admin + "/reset" + q, "POST").json() == {"status": "reset", "tables": 1}
    assert ids(request(srv.url + "/users").json()) == ["d2", "d1"]
    assert request(srv.admin + "/state/resources/users/unregister" + q, "POST").status == 200
    assert request(srv.admin + "/state/resources" + q).json() is None
    assert ids(request(srv.url + "/users").json()) == ["d2", "d1"]
    gone = request(srv.url + "/team/users")
    assert gone.status == 404
    assert gone.json()["error"] == "table not found"


def test_a_binding_never_reaches_another_workspaces_table(mockd_server: Start, tmp_path: Path) -> None:
    srv = start(mockd_server, tmp_path)
    ws = request(srv.admin + "/workspaces", "POST", {"name": "Team"}).json()["id"]
    # The default workspace has `users`; this workspace does not.
    mock = bound("GET", "/users", "users", "list")
    assert request(srv.admin + f"/mocks?workspaceId={ws}", "POST", mock).status == 201
    r = request(srv.url + "/team/users")
    assert r.status == 404
    assert r.json()["error"] == "table not found"


def test_config_import_puts_resources_in_the_workspace_and_data_dir_keeps_them(
    mockd_server: Start, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    srv = start(mockd_server, tmp_path, "--data-dir", str(data))
    ws = team_workspace(srv)
    q = f"?workspaceId={ws}"
    collection = {"version": "1.0", "statefulResources": [{"name": "orders", "seedData": [{"id": "o1"}]}]}
    assert request(srv.admin + "/config" + q, "POST", {"config": collection}).status == 200
    assert [r["name"] for r in request(srv.admin + "/state/resources" + q).json()] == ["orders", "users"]
    assert [r["name"] for r in request(srv.admin + "/state/resources").json()] == ["users"]
    exported = request(srv.admin + "/config").json()["statefulResources"]
    assert {"name": "orders", "workspace": ws, "idField": "id", "seedData": [{"id": "o1"}]} in exported
    assert request(srv.url + "/team/users", "POST", {"id": "t2"}).status == 201
    assert request(srv.url + "/users", "POST", {"id": "d2"}).status == 201
    assert srv.stop() == 0

    again = start(mockd_server, tmp_path, "--data-dir", str(data))
    assert ids(request(again.url + "/team/users").json()) == ["t2", "t1"]
    assert ids(request(again.url + "/users").json()) == ["d2", "d1"]
    assert [r["name"] for r in request(again.admin + "/state/resources" + q).json()] == ["orders", "users"]


def test_a_config_defines_one_table_name_in_two_workspaces(mockd_server: Start, tmp_path: Path) -> None:
    config = tmp_path / "two.yaml"
    config.write_text(yaml.safe_dump({"version": "1.0", "statefulResources": [
        {"name": "users", "seedData": [{"id": "d1"}]},
        {"name": "users", "workspace": "ws_a", "seedData": [{"id": "a1"}, {"id": "a2"}]},
        {"name": "users", "seedData": [{"id": "dup"}]},  # the same (workspace, name) again: skipped
    ]}))  # fmt: skip
    srv = mockd_server("--no-auth", "--config", str(config))
    assert request(srv.admin + "/state/resources").json() == [
        {"name": "users", "itemCount": 1, "seedCount": 1, "idField": "id"}
    ]
    assert request(srv.admin + "/state/resources?workspaceId=ws_a").json() == [
        {"name": "users", "itemCount": 2, "seedCount": 2, "idField": "id"}
    ]
