"""`/workspaces` (reference §5.7, operations reference §5): the Go tool's shapes and errors, mocks served
under their workspace's basePath, and workspaces kept by `--data-dir`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.harness import MockdProcess, request

Start = Callable[..., MockdProcess]
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")


@pytest.fixture
def srv(mockd_server: Start) -> MockdProcess:
    return mockd_server("--no-auth")


def create(srv: MockdProcess, body: dict) -> tuple[int, dict]:
    r = request(srv.admin + "/workspaces", "POST", body)
    return r.status, r.json()


def mock(path: str, body: str, *, pattern: bool = False) -> dict:
    matcher = {"method": "GET", "pathPattern" if pattern else "path": path}
    return {"type": "http", "http": {"matcher": matcher, "response": {"statusCode": 200, "body": body}}}


def test_default_workspace_and_create(srv: MockdProcess) -> None:
    listed = request(srv.admin + "/workspaces").json()
    assert list(listed) == ["count", "workspaces"]
    assert listed["count"] == 1
    default = listed["workspaces"][0]
    assert {k: v for k, v in default.items() if k not in ("createdAt", "updatedAt")} == {
        "id": "", "name": "Default", "type": "local", "description": "Default workspace", "basePath": "",
        "syncStatus": "local",
    }  # fmt: skip
    status, ws = create(srv, {"name": "My API!", "description": "team"})
    assert status == 201
    assert re.fullmatch(r"ws_[0-9a-f]{16}", ws["id"])
    assert list(ws) == [
        "id",
        "name",
        "type",
        "description",
        "basePath",
        "syncStatus",
        "createdAt",
        "updatedAt",
    ]
    assert (ws["name"], ws["type"], ws["basePath"]) == ("My API!", "local", "/my-api")
    assert STAMP.match(ws["createdAt"])
    assert request(srv.admin + f"/workspaces/{ws['id']}").json() == ws
    assert request(srv.admin + "/workspaces").json()["count"] == 2
    status, other = create(srv, {"name": "b", "basePath": " //v2//api/ "})
    assert (status, other["basePath"]) == (201, "/v2/api")


@pytest.mark.parametrize(
    ("body", "status", "error", "message"),
    [
        ({}, 400, "validation_error", "name is required"),
        ({"name": "g", "type": "git"}, 501, "not_supported", 'workspace type "git" is not yet supported'),
        ({"name": "c", "type": "config"}, 400, "validation_error",
         "config workspaces are read-only and cannot be created"),
        ({"name": "x", "type": "ftp"}, 400, "validation_error", "invalid type: ftp"),
    ],
)  # fmt: skip
def test_create_refusals(srv: MockdProcess, body: dict, status: int, error: str, message: str) -> None:
    r = request(srv.admin + "/workspaces", "POST", body)
    assert (r.status, r.json()) == (status, {"error": error, "message": message})


def test_conflicts(srv: MockdProcess) -> None:
    _, a = create(srv, {"name": "A", "basePath": "/a"})
    status, reply = create(srv, {"name": "A"})
    assert (status, reply) == (409, {"error": "already_exists", "message": 'Workspace with name "A" already exists',
                                     "details": {"existingId": a["id"]}})  # fmt: skip
    status, reply = create(srv, {"name": "B", "basePath": "/a/b"})
    assert status == 409
    assert reply == {
        "error": "basepath_conflict",
        "message": 'BasePath "/a/b" overlaps with workspace "A" (basePath "/a"): new path is inside existing namespace',
        "conflict": {"existingId": a["id"], "existingName": "A", "existingBasePath": "/a", "newBasePath": "/a/b",
                     "reason": "new path is inside existing namespace"},
    }  # fmt: skip


def test_update_and_delete(srv: MockdProcess) -> None:
    _, ws = create(srv, {"name": "A"})
    url = srv.admin + f"/workspaces/{ws['id']}"
    r = request(url, "PUT", {"description": "new", "basePath": "/z"})
    assert r.status == 200
    assert (r.json()["description"], r.json()["basePath"], r.json()["name"]) == ("new", "/z", "A")
    r = request(url, "PUT", {"basePath": "?"})
    assert r.json() == {
        "error": "validation_error",
        "message": "basePath cannot be empty for non-default workspaces",
    }
    r = request(srv.admin + "/workspaces/nope", "PUT", {"name": "x"})
    assert (r.status, r.json()) == (404, {"error": "not_found", "message": "Workspace not found"})
    assert request(url, "DELETE").status == 204
    assert request(url).status == 404
    assert request(url, "DELETE").status == 404


def test_mocks_are_served_under_their_workspace_base_path(srv: MockdProcess) -> None:
    _, ws = create(srv, {"name": "Team A"})
    root = request(srv.admin + "/mocks", "POST", mock("/users", "root"))
    assert root.status == 201
    scoped = request(srv.admin + f"/mocks?workspaceId={ws['id']}", "POST", mock("/users", "team"))
    assert scoped.status == 201
    assert (
        request(
            srv.admin + f"/mocks?workspaceId={ws['id']}", "POST", mock("^/re/[0-9]+$", "re", pattern=True)
        ).status
        == 201
    )
    assert request(srv.url + "/users").body == b"root"
    assert request(srv.url + "/team-a/users").body == b"team"
    assert request(srv.url + "/team-a/re/42").body == b"re"
    assert request(srv.url + "/re/42").status == 404
    # The admin API keeps the path as written.
    assert request(srv.admin + f"/mocks/{scoped.json()['id']}").json()["http"]["matcher"]["path"] == "/users"
    # Moving the workspace moves its mocks; deleting it deletes them.
    assert request(srv.admin + f"/workspaces/{ws['id']}", "PUT", {"basePath": "/b"}).status == 200
    assert request(srv.url + "/b/users").body == b"team"
    assert request(srv.url + "/team-a/users").status == 404
    assert request(srv.admin + f"/workspaces/{ws['id']}", "DELETE").status == 204
    assert request(srv.url + "/b/users").status == 404
    assert [m["id"] for m in request(srv.admin + "/mocks").json()["mocks"]] == [root.json()["id"]]


def test_workspaces_survive_a_restart_with_a_data_dir(mockd_server: Start, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = mockd_server("--no-auth", "--data-dir", str(data))
    _, ws = create(first, {"name": "Kept"})
    assert (data / "workspaces" / ws["id"]).is_dir()
    assert ws["path"] == str(data / "workspaces" / ws["id"])
    assert request(first.admin + f"/mocks?workspaceId={ws['id']}", "POST", mock("/x", "kept")).status == 201
    first.stop()
    again = mockd_server("--no-auth", "--data-dir", str(data))
    assert request(again.admin + f"/workspaces/{ws['id']}").json()["name"] == "Kept"
    assert request(again.url + "/kept/x").body == b"kept"
