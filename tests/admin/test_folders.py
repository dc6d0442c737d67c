"""`/folders` (operations reference §5): the Go tool's shapes, errors and reparenting, `?workspaceId=`,
mocks filed under a folder by `parentId` (or its alias `folderId`), and folders kept by `--data-dir`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.harness import MockdProcess, request

Start = Callable[..., MockdProcess]
ID = re.compile(r"^fld_[0-9a-f]{16}$")
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.fixture
def srv(mockd_server: Start) -> MockdProcess:
    return mockd_server("--no-auth")


def create(srv: MockdProcess, body: object, query: str = "") -> tuple[int, dict]:
    r = request(srv.admin + "/folders" + query, "POST", body)
    return r.status, r.json()


def error(srv: MockdProcess, method: str, path: str, body: object = None) -> tuple[int, dict]:
    r = request(srv.admin + path, method, body)
    return r.status, r.json()


def test_create_get_list_in_the_go_tools_shape(srv: MockdProcess) -> None:
    assert request(srv.admin + "/folders").json() == []
    status, root = create(srv, {"name": "APIs", "description": "all of them"})
    assert status == 201
    assert list(root) == ["metaSortKey", "id", "name", "description", "createdAt", "updatedAt"]
    assert ID.match(root["id"])
    assert root["name"] == "APIs"
    assert root["description"] == "all of them"
    assert isinstance(root["metaSortKey"], int)
    assert root["metaSortKey"] < 0
    assert STAMP.match(root["createdAt"])
    assert root["createdAt"] == root["updatedAt"]
    status, child = create(srv, {"name": "Users", "parentId": root["id"], "metaSortKey": 5})
    assert status == 201
    assert list(child) == ["parentId", "metaSortKey", "id", "name", "createdAt", "updatedAt"]
    assert (child["parentId"], child["metaSortKey"]) == (root["id"], 5)
    assert request(srv.admin + f"/folders/{child['id']}").json() == child
    assert request(srv.admin + "/folders").json() == [root, child]  # creation order, a bare array


def test_workspaces_filter_and_parent_rules(srv: MockdProcess) -> None:
    _, team = create(srv, {"name": "T"}, "?workspaceId=ws_team")
    assert team["workspaceId"] == "ws_team"
    assert next(iter(team)) == "workspaceId"
    _, body_ws = create(srv, {"name": "B", "workspaceId": "ws_other"}, "?workspaceId=ws_team")
    assert body_ws["workspaceId"] == "ws_other"  # the body wins over the query
    _, default = create(srv, {"name": "D"})
    assert "workspaceId" not in default
    assert [f["name"] for f in request(srv.admin + "/folders?workspaceId=ws_team").json()] == ["T"]
    assert [f["name"] for f in request(srv.admin + "/folders").json()] == ["T", "B", "D"]
    assert request(srv.admin + "/folders?workspaceId=nothing").json() == []

    assert create(srv, {"name": "x", "parentId": default["id"]}, "?workspaceId=ws_team") == (
        400, {"error": "invalid_parent", "message": "parent folder must be in the same workspace"}
    )  # fmt: skip
    assert create(srv, {"name": "x", "parentId": "fld_nope"}) == (
        400, {"error": "invalid_parent", "message": "parent folder not found"}
    )  # fmt: skip
    assert create(srv, {"description": "no name"}) == (
        400, {"error": "missing_name", "message": "folder name is required"}
    )  # fmt: skip
    status, body = create(srv, [1])
    assert (status, body["error"]) == (400, "invalid_json")


def test_update_rules_and_partial_update(srv: MockdProcess) -> None:
    _, a = create(srv, {"name": "A"})
    _, b = create(srv, {"name": "B", "parentId": a["id"]})
    _, c = create(srv, {"name": "C", "parentId": b["id"]})
    _, other = create(srv, {"name": "O"}, "?workspaceId=ws_x")
    put = f"/folders/{a['id']}"
    assert error(srv, "PUT", put, {"parentId": a["id"]}) == (
        400, {"error": "invalid_parent", "message": "folder cannot be its own parent"}
    )  # fmt: skip
    assert error(srv, "PUT", put, {"parentId": c["id"]}) == (
        400, {"error": "invalid_parent", "message": "cannot move folder to its own descendant"}
    )  # fmt: skip
    assert error(srv, "PUT", put, {"parentId": other["id"]}) == (
        400, {"error": "invalid_parent", "message": "parent folder must be in the same workspace"}
    )  # fmt: skip
    assert error(srv, "PUT", put, {"parentId": "fld_gone"}) == (
        400, {"error": "invalid_parent", "message": "parent folder not found"}
    )  # fmt: skip
    assert error(srv, "PUT", "/folders/fld_gone", {"name": "x"}) == (
        404, {"error": "not_found", "message": "folder not found"}
    )  # fmt: skip
    r = request(srv.admin + f"/folders/{c['id']}", "PUT", {"name": "C2", "parentId": ""})
    assert r.status == 200
    moved = r.json()
    assert {k: v for k, v in moved.items() if k != "updatedAt"} == {
        "metaSortKey": c["metaSortKey"], "id": c["id"], "name": "C2", "createdAt": c["createdAt"]
    }  # fmt: skip
    r = request(srv.admin + f"/folders/{c['id']}", "PUT", {"description": "d", "metaSortKey": 1.5})
    assert (r.json()["name"], r.json()["description"], r.json()["metaSortKey"]) == ("C2", "d", 1.5)


def test_delete_moves_children_to_the_root(srv: MockdProcess) -> None:
    _, a = create(srv, {"name": "A"})
    _, b = create(srv, {"name": "B", "parentId": a["id"]})
    assert request(srv.admin + f"/folders/{a['id']}", "DELETE").status == 204
    assert error(srv, "GET", f"/folders/{a['id']}") == (
        404,
        {"error": "not_found", "message": "folder not found"},
    )
    assert error(srv, "DELETE", f"/folders/{a['id']}") == (
        404, {"error": "not_found", "message": "folder not found"}
    )  # fmt: skip
    left = request(srv.admin + "/folders").json()
    assert [f["id"] for f in left] == [b["id"]]
    assert "parentId" not in left[0]


def test_mocks_are_filed_by_parent_id_or_folder_id(srv: MockdProcess) -> None:
    _, folder = create(srv, {"name": "F"})
    http = {"matcher": {"method": "GET", "path": "/a"}, "response": {"statusCode": 200, "body": "a"}}
    by_parent = {"id": "m1", "type": "http", "parentId": folder["id"], "http": http}
    by_alias = {"id": "m2", "type": "http", "folderId": folder["id"],
                "http": {**http, "matcher": {"method": "GET", "path": "/b"}}}  # fmt: skip
    loose = {"id": "m3", "type": "http", "http": {**http, "matcher": {"method": "GET", "path": "/c"}}}
    for m in (by_parent, by_alias, loose):
        assert request(srv.admin + "/mocks", "POST", m).status == 201
    m2 = request(srv.admin + "/mocks/m2").json()
    assert m2["parentId"] == folder["id"]
    assert "folderId" not in m2
    assert [m["id"] for m in request(srv.admin + f"/mocks?parentId={folder['id']}").json()["mocks"]] == [
        "m1",
        "m2",
    ]
    assert [m["id"] for m in request(srv.admin + f"/mocks?folderId={folder['id']}").json()["mocks"]] == [
        "m1",
        "m2",
    ]
    assert [m["id"] for m in request(srv.admin + "/mocks?parentId=").json()["mocks"]] == ["m3"]


def test_folders_are_kept_by_data_dir(mockd_server: Start, tmp_path: Path) -> None:
    data = tmp_path / "data"
    srv = mockd_server("--no-auth", "--data-dir", str(data))
    _, a = create(srv, {"name": "A"})
    _, b = create(srv, {"name": "B", "parentId": a["id"]}, "?workspaceId=")
    _, c = create(srv, {"name": "C"})
    assert request(srv.admin + f"/folders/{c['id']}", "DELETE").status == 204
    renamed = request(srv.admin + f"/folders/{b['id']}", "PUT", {"name": "B2"}).json()
    assert srv.stop() == 0
    again = mockd_server("--no-auth", "--data-dir", str(data))
    assert request(again.admin + "/folders").json() == [a, renamed]
