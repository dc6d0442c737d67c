"""409 `route_collision` (operations reference §5): a mock is refused when a mock of another workspace has
the same method and resolves to the same path on the one mock port; the Go tool's reply, byte for byte."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.harness import MockdProcess, request

Start = Callable[..., MockdProcess]


@pytest.fixture
def srv(mockd_server: Start) -> MockdProcess:
    return mockd_server("--no-auth")


def mock(mock_id: str, method: str, path: str, **extra: object) -> dict:
    return {"id": mock_id, "type": "http", **extra,
            "http": {"matcher": {"method": method, "path": path}, "response": {"statusCode": 200, "body": mock_id}}}  # fmt: skip


def workspace(srv: MockdProcess, name: str, base: str | None = None) -> str:
    body = {"name": name} if base is None else {"name": name, "basePath": base}
    return request(srv.admin + "/workspaces", "POST", body).json()["id"]


def test_a_default_mock_at_a_workspaces_effective_path_is_refused(srv: MockdProcess) -> None:
    ws = workspace(srv, "Team A")
    assert (
        request(
            srv.admin + f"/mocks?workspaceId={ws}", "POST", mock("team", "get", "/users", name="Team users")
        ).status
        == 201
    )
    r = request(srv.admin + "/mocks", "POST", mock("root", "GET", "/team-a/users"))
    assert r.status == 409
    assert r.body.decode() == (
        '{"collision":{"existingMockId":"team","existingMockName":"Team users","workspaceId":"' + ws + '",'
        '"workspaceName":"Team A","effectivePath":"/team-a/users","method":"GET"},"error":"route_collision",'
        '"message":"Route GET /team-a/users collides with existing mock \\"Team users\\" (workspace \\"Team A\\") '
        '\u2014 both resolve to /team-a/users on the engine"}\n'
    )
    assert request(srv.admin + "/mocks/root").status == 404  # nothing was added
    assert request(srv.url + "/team-a/users").body == b"team"


def test_the_reverse_and_the_rules_of_what_collides(srv: MockdProcess) -> None:
    a = workspace(srv, "A", "/api")
    b = workspace(srv, "B", "/v2")
    assert request(srv.admin + "/mocks", "POST", mock("root", "POST", "/api/orders")).status == 201
    r = request(
        srv.admin + f"/mocks?workspaceId={a}", "POST", {**mock("x", "POST", "/orders"), "workspaceId": ""}
    )
    assert r.status == 409
    body = r.json()
    assert body["collision"] == {"existingMockId": "root", "workspaceId": "", "workspaceName": "Default",
                                 "effectivePath": "/api/orders", "method": "POST"}  # fmt: skip
    assert body["message"] == (
        'Route POST /orders collides with existing mock "" (workspace "Default") \u2014 both resolve to '
        "/api/orders on the engine"
    )
    # Another method, another workspace's prefix, the same workspace, a pattern: no collision.
    assert request(srv.admin + f"/mocks?workspaceId={a}", "POST", mock("get", "GET", "/orders")).status == 201
    assert request(srv.admin + f"/mocks?workspaceId={b}", "POST", mock("b", "POST", "/orders")).status == 201
    assert request(srv.admin + "/mocks", "POST", mock("root2", "POST", "/api/orders")).status == 201
    pattern = {"id": "p", "type": "http", "http": {"matcher": {"method": "GET", "pathPattern": "^/api/orders$"},
                                                   "response": {"statusCode": 200}}}  # fmt: skip
    assert request(srv.admin + "/mocks", "POST", pattern).status == 201
    # A mock of a workspace that does not exist is not checked.
    assert (
        request(srv.admin + "/mocks?workspaceId=ws_none", "POST", mock("n", "GET", "/api/orders")).status
        == 201
    )


def test_put_and_patch_are_checked_too(srv: MockdProcess) -> None:
    ws = workspace(srv, "Team A")
    assert (
        request(srv.admin + f"/mocks?workspaceId={ws}", "POST", mock("team", "GET", "/users")).status == 201
    )
    assert request(srv.admin + "/mocks", "POST", mock("root", "GET", "/elsewhere")).status == 201
    r = request(srv.admin + "/mocks/root", "PUT", mock("root", "GET", "/team-a/users"))
    assert (r.status, r.json()["error"]) == (409, "route_collision")
    r = request(
        srv.admin + "/mocks/root", "PATCH", {"http": {"matcher": {"method": "GET", "path": "/team-a/users"}}}
    )
    assert (r.status, r.json()["collision"]["existingMockId"]) == (409, "team")
    assert request(srv.admin + "/mocks/root").json()["http"]["matcher"]["path"] == "/elsewhere"
    # Changing a mock in place never collides with itself.
    assert (
        request(srv.admin + "/mocks/team", "PUT", {**mock("team", "GET", "/users"), "workspaceId": ws}).status
        == 200
    )
