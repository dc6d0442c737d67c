"""The admin state API (reference §5.5) with exact shapes, for a legacy and a current config."""

from __future__ import annotations

from typing import Any

import pytest

from tests.admin.helpers import stamps
from tests.state import configs
from tests.state.configs import CAPPED_SEED, USERS_SEED
from tests.state.conftest import Server


@pytest.fixture(scope="module", params=[("legacy", "json"), ("current", "yaml")], ids=["legacy", "current"])
def server(request: pytest.FixtureRequest, start: Any) -> Server:
    gen, fmt = request.param
    return start(configs.legacy() if gen == "legacy" else configs.current(), fmt, gen)


def summary(srv: Server, name: str, items: int, seed: int, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name}
    if srv.legacy:  # v0.5 reported basePath; current resources have none
        out["basePath"] = {"users": "/api/users", "orders": "/api/users/:userId/orders",
                           "capped": "/api/capped"}[name]  # fmt: skip
    out.update({"itemCount": items, "seedCount": seed, "idField": "id", **extra})
    return out


def ok(reply: Any, status: int = 200) -> Any:
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"] == "application/json"
    assert reply.content.endswith(b"\n")
    return reply.json()


def error(reply: Any, status: int, code: str, message: str) -> None:
    assert (reply.status_code, reply.json()) == (status, {"error": code, "message": message})


# ------------------------------------------------------------------------------------------- overview


def test_state_overview(srv: Server):
    srv.call("POST", "/api/users", json={"name": "new"})
    assert ok(srv.admin("GET", "/state")) == {
        "resources": [
            summary(srv, "capped", 1, 1),
            summary(srv, "orders", 3, 3, parentField="userId"),
            summary(srv, "users", 4, 3),
        ],
        "total": 3,
        "totalItems": 8,
        "resourceList": ["capped", "orders", "users"],
    }
    assert ok(srv.admin("GET", "/state/resources")) == ok(srv.admin("GET", "/state"))["resources"]


def test_one_resource_comes_back_with_sorted_keys(srv: Server):
    body = ok(srv.admin("GET", "/state/resources/orders"))
    assert list(body) == sorted(body)
    assert body == summary(srv, "orders", 3, 3, parentField="userId")
    error(srv.admin("GET", "/state/resources/nope"), 404, "not_found", "Resource not found")


# --------------------------------------------------------------------------------------------- resets


def mutate(srv: Server) -> None:
    srv.call("POST", "/api/users", json={"name": "new"})
    srv.call("PATCH", "/api/users/1", json={"name": "changed"})
    srv.call("DELETE", "/api/users/2")
    srv.admin("DELETE", "/state/resources/capped")


def test_resource_reset_restores_the_seed_exactly_and_at_once(srv: Server):
    pristine = srv.call("GET", "/api/users").content
    mutate(srv)
    assert ok(srv.admin("POST", "/state/resources/users/reset")) == {"resource": "users", "status": "reset"}
    assert srv.call("GET", "/api/users").content == pristine  # ids, order, fields; the very next request
    assert srv.items() == USERS_SEED[::-1]
    error(srv.admin("POST", "/state/resources/nope/reset"), 404, "not_found", "Resource not found")


@pytest.mark.parametrize(
    ("method", "path", "params", "reply"),
    [
        ("POST", "/state/reset", {}, {"status": "reset"}),
        ("POST", "/state/reset", {"resource": "users"}, {"status": "reset"}),
        ("POST", "/reset", {}, {"status": "reset", "tables": 3}),
        ("POST", "/reset/users", {}, {"status": "reset", "table": "users"}),
    ],
)
def test_every_reset_route(srv: Server, method: str, path: str, params: dict, reply: dict):
    mutate(srv)
    assert ok(srv.admin(method, path, params=params)) == reply
    assert srv.items() == USERS_SEED[::-1]


def test_a_named_reset_leaves_other_resources_alone(srv: Server):
    srv.call("POST", "/api/users/1/orders", json={})
    srv.admin("POST", "/state/reset", params={"resource": "users"})
    assert len(srv.items("/api/users/1/orders")) == 3


def test_unknown_names_in_resets(srv: Server):
    error(
        srv.admin("POST", "/state/reset", params={"resource": "nope"}), 404, "not_found", "Resource not found"
    )
    error(srv.admin("POST", "/reset/nope"), 404, "not_found", "Table not found: nope")


def test_clear_empties_and_keeps_the_definition(srv: Server):
    assert ok(srv.admin("DELETE", "/state/resources/users")) == {"cleared": True}
    assert srv.items() == []
    assert ok(srv.admin("GET", "/state/resources/users"))["seedCount"] == 3
    srv.admin("POST", "/state/resources/users/reset")
    assert srv.items() == USERS_SEED[::-1]
    error(srv.admin("DELETE", "/state/resources/nope"), 404, "not_found", "Resource not found")


# ---------------------------------------------------------------------------------------------- items


def test_items_list_has_no_has_more_and_no_filters(srv: Server):
    body = ok(srv.admin("GET", "/state/resources/users/items", params={"limit": "2", "name": "Bob"}))
    assert body == {"data": USERS_SEED[::-1][:2], "meta": {"total": 3, "limit": 2, "offset": 0, "count": 2}}
    body = ok(srv.admin("GET", "/state/resources/users/items", params={"sort": "age", "order": "asc"}))
    assert [i["id"] for i in body["data"]] == [2, 1, "u3"]
    error(srv.admin("GET", "/state/resources/nope/items"), 404, "not_found", "Resource not found")


def test_items_get(srv: Server):
    assert ok(srv.admin("GET", "/state/resources/users/items/1")) == USERS_SEED[0]  # D1, D2
    error(srv.admin("GET", "/state/resources/users/items/999"), 404, "not_found", "Item not found")
    error(srv.admin("GET", "/state/resources/nope/items/1"), 404, "not_found", "Item not found")


def test_items_create_bypasses_the_parent_field_and_answers_the_item(srv: Server):
    body = ok(srv.admin("POST", "/state/resources/orders/items", json={"id": "o9", "total": 1.0}), 201)
    assert stamps(body) == {"createdAt": "<ts>", "id": "o9", "total": 1, "updatedAt": "<ts>"}
    assert srv.call("GET", "/api/users/1/orders/o9").json() == body
    assert "o9" not in srv.ids("/api/users/1/orders")  # no userId: the parent filter leaves it out


def test_items_create_errors(srv: Server):
    path = "/state/resources/capped/items"
    error(srv.admin("POST", path, json={"id": "c1"}), 409, "conflict", "Item already exists")
    assert srv.admin("POST", path, json={}).status_code == 201
    error(srv.admin("POST", path, json={}), 507, "capacity_exceeded", "Resource capacity exceeded")
    error(srv.admin("POST", "/state/resources/nope/items", json={}), 404, "not_found", "Resource not found")
    error(srv.admin("POST", path, data=b"{"), 400, "invalid_json", "Invalid JSON in request body")
    error(srv.admin("POST", path, data=b"[1]"), 400, "invalid_json", "Invalid JSON in request body")
    assert srv.items("/api/capped")[-1] == CAPPED_SEED[0]


# --------------------------------------------------------------------------------- register/unregister


def test_register_a_legacy_resource_and_its_routes_go_live(srv: Server):
    body = {"name": "notes", "basePath": "/api/notes", "seedData": [{"id": "n1", "text": "x"}]}
    created = ok(srv.admin("POST", "/state/resources", json=body), 201)
    assert created == {"basePath": "/api/notes", "idField": "id", "message": "Stateful resource created",
                       "name": "notes"}  # fmt: skip
    try:
        assert srv.call("GET", "/api/notes/n1").json() == {"id": "n1", "text": "x"}
        error(
            srv.admin("POST", "/state/resources", json=body),
            409,
            "conflict",
            "resource already exists: notes",
        )
        deleted = ok(srv.admin("POST", "/state/resources/notes/unregister"))
        assert deleted == {"deleted": True, "message": "Stateful resource deleted", "resource": "notes"}
        assert srv.call("GET", "/api/notes/n1").json()["error"] == "no_match"  # routes gone at once
        error(srv.admin("POST", "/state/resources/notes/unregister"), 404, "not_found", "Resource not found")
    finally:
        srv.admin("POST", "/state/resources/notes/unregister")


def test_register_a_data_only_resource(srv: Server):
    created = ok(srv.admin("POST", "/state/resources", json={"name": "memo", "idField": "key"}), 201)
    try:
        assert created == {"idField": "key", "message": "Stateful resource created", "name": "memo"}
        assert ok(srv.admin("GET", "/state/resources/memo")) == {
            "idField": "key", "itemCount": 0, "name": "memo", "seedCount": 0,
        }  # fmt: skip
        item = ok(srv.admin("POST", "/state/resources/memo/items", json={"key": "k1", "v": 1}), 201)
        assert stamps(item) == {"createdAt": "<ts>", "id": "k1", "updatedAt": "<ts>", "v": 1}  # idField as id
    finally:
        srv.admin("POST", "/state/resources/memo/unregister")


@pytest.mark.parametrize(
    ("body", "status", "code", "message"),
    [
        (b"{", 400, "invalid_json", "Invalid JSON in request body"),
        (b'{"idField": "x"}', 400, "validation_error", "resource name is required"),
        (b"null", 400, "validation_error", "resource name is required"),
        (b'{"name": "users"}', 409, "conflict", "resource already exists: users"),
        (
            b'{"name": "d", "seedData": [{"id": 1}, {"id": "1"}]}',
            400,
            "registration_failed",
            "Operation failed",
        ),
        (b'{"name": "d", "basePath": "api/d"}', 400, "registration_failed", "Operation failed"),
    ],
)
def test_register_errors(srv: Server, body: bytes, status: int, code: str, message: str):
    error(srv.admin("POST", "/state/resources", data=body), status, code, message)


def test_unregistering_a_bound_table_leaves_its_mocks_answering_404(srv: Server):
    if srv.legacy:
        pytest.skip("bindings are current-generation")
    ok(srv.admin("POST", "/state/resources/capped/unregister"))
    try:
        reply = srv.call("GET", "/api/capped")
        assert (reply.status_code, reply.json()) == (
            404, {"error": "table not found", "resource": "capped", "statusCode": 404},
        )  # fmt: skip
    finally:
        capped = {"name": "capped", "maxItems": 2, "seedData": CAPPED_SEED}
        ok(srv.admin("POST", "/state/resources", json=capped), 201)
    assert srv.items("/api/capped") == CAPPED_SEED


def test_an_empty_server_reports_null_resources(start: Any):
    srv = start({"version": "1.0"}, "json")
    assert ok(srv.admin("GET", "/state")) == {
        "resources": None,
        "total": 0,
        "totalItems": 0,
        "resourceList": [],
    }
    assert srv.admin("GET", "/state/resources").content == b"null\n"
    assert ok(srv.admin("POST", "/reset")) == {"status": "reset", "tables": 0}
