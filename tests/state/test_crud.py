"""CRUD over HTTP for both config generations, JSON and YAML (reference §4.1, §4.2, §4.6, §12.3; D1, D2).

Each test runs four times: legacy `basePath` and current tables/bindings, each loaded from JSON and YAML.
Where the generations differ (error messages, `has_more`, 405), the expectation says so.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.admin.helpers import RFC3339_NANO
from tests.state.configs import ORDERS_SEED, USERS_SEED
from tests.state.conftest import Server

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def go_bytes(value: Any) -> bytes:
    """What Go's encoder writes for a value whose key order is already right."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def meta(srv: Server, total: int, count: int, limit: int = 100, offset: int = 0, more: bool = False) -> dict:
    out: dict[str, Any] = {"total": total, "limit": limit, "offset": offset, "count": count}
    if not srv.legacy:
        out["has_more"] = more  # legacy v0.5 meta never had it
    return out


def not_found(srv: Server, item_id: str, resource: str = "users") -> dict:
    message = "resource not found" if srv.legacy else f'resource "{resource}" item "{item_id}" not found'
    return {"error": message, "resource": resource, "id": item_id, "statusCode": 404}


def bad_body(srv: Server, detail: str, item_id: str = "") -> dict:
    prefix = "invalid request body: " if srv.legacy else "invalid JSON body: "
    body: dict[str, Any] = {"error": prefix + detail, "resource": "users"}
    if item_id:
        body["id"] = item_id
    body["statusCode"] = 400
    return body


def stamped(item: dict) -> dict:
    """An API item with its two stamps checked (RFC 3339, trimmed nanoseconds) and removed."""
    out = dict(item)
    for key in ("createdAt", "updatedAt"):
        assert RFC3339_NANO.fullmatch(out.pop(key)), item
    return out


# ------------------------------------------------------------------------------------------------ reads


def test_list_is_the_envelope_with_seed_items_verbatim_newest_first(srv: Server):
    # §4.1: the seed is stamped in file order, so newest first = reverse file order; D2: no stamps added
    reply = srv.call("GET", "/api/users")
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/json"
    assert reply.json() == {"data": USERS_SEED[::-1], "meta": meta(srv, 3, 3)}
    assert reply.content == go_bytes({"data": USERS_SEED[::-1], "meta": meta(srv, 3, 3)})


def test_numeric_seed_id_is_found_by_its_string_form_and_stays_a_number(srv: Server):
    # D1 (Go replaces numeric seed ids with UUIDs); D2 (seed item exactly as written, key order kept)
    reply = srv.call("GET", "/api/users/1")
    assert reply.status_code == 200
    assert reply.content == go_bytes(USERS_SEED[0])
    assert srv.call("GET", "/api/users/u3").json() == USERS_SEED[2]


def test_unknown_item_is_404_with_the_generations_message(srv: Server):
    reply = srv.call("GET", "/api/users/999")
    assert (reply.status_code, reply.json()) == (404, not_found(srv, "999"))
    assert reply.headers["content-type"] == "application/json"


# ----------------------------------------------------------------------------------------------- create


def test_create_answers_201_with_a_generated_uuid_and_stamps(srv: Server):
    reply = srv.call("POST", "/api/users", json={"name": "Dave", "age": 40})
    assert reply.status_code == 201
    item = reply.json()
    assert list(item) == ["age", "createdAt", "id", "name", "updatedAt"]  # a Go map: keys sorted
    assert item["createdAt"] == item["updatedAt"]
    assert UUID4.fullmatch(item["id"])
    assert stamped(item) == {"age": 40, "id": item["id"], "name": "Dave"}
    assert srv.call("GET", f"/api/users/{item['id']}").json() == item
    assert srv.ids()[0] == item["id"]  # newest first
    assert len(srv.ids()) == 4


def test_create_keeps_a_string_body_id_and_ignores_a_numeric_one(srv: Server):
    # §4.1: only a JSON string under idField becomes the id (D1 covers seed data, not API bodies)
    assert srv.call("POST", "/api/users", json={"id": "custom-1", "name": "x"}).json()["id"] == "custom-1"
    item = srv.call("POST", "/api/users", json={"id": 77, "name": "y"}).json()
    assert UUID4.fullmatch(item["id"])
    assert stamped(item) == {"id": item["id"], "name": "y"}


def test_create_with_a_taken_id_is_409_and_stores_nothing(srv: Server):
    reply = srv.call("POST", "/api/users", json={"id": "u3", "name": "again"})
    if srv.legacy:  # v0.5 named the conflicting id in `id`
        expected = {"error": "resource already exists", "resource": "users", "id": "u3", "statusCode": 409}
    else:  # current: the create handler passes no id, the message names it
        expected = {
            "error": 'resource "users" item "u3" already exists',
            "resource": "users",
            "statusCode": 409,
        }
    assert (reply.status_code, reply.json()) == (409, expected)
    # D1: "1" is the seed item {"id": 1}
    assert srv.call("POST", "/api/users", json={"id": "1"}).status_code == 409
    assert srv.call("GET", "/api/users/u3").json() == USERS_SEED[2]
    assert len(srv.ids()) == 3


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b'{"name":', "unexpected end of JSON input"),
        (b"", "unexpected end of JSON input"),
        (b"nope", "invalid character 'o' in literal null (expecting 'u')"),
        (b'{"name": "x"} trailing', "invalid character 't' after top-level value"),
        (b"[1, 2]", "json: cannot unmarshal array into Go value of type map[string]interface {}"),
        (b'"text"', "json: cannot unmarshal string into Go value of type map[string]interface {}"),
    ],
)
def test_invalid_json_is_rejected_with_the_decoder_message_and_nothing_stored(srv: Server, body, detail):
    reply = srv.call("POST", "/api/users", data=body, headers={"Content-Type": "application/json"})
    assert (reply.status_code, reply.json()) == (400, bad_body(srv, detail))
    reply = srv.call("PATCH", "/api/users/1", data=body, headers={"Content-Type": "application/json"})
    assert (reply.status_code, reply.json()) == (400, bad_body(srv, detail, "1"))
    assert srv.items() == USERS_SEED[::-1]


def test_a_null_body_creates_an_item_without_fields(srv: Server):
    # Go's decoder leaves a nil map for `null`: no error, no fields
    item = srv.call("POST", "/api/users", data=b"null").json()
    assert stamped(item) == {"id": item["id"]}


def test_bodies_over_one_mebibyte_are_413_with_a_hint(srv: Server):
    limit = 1 << 20
    filler = b'{"a":"' + b"x" * (limit - 8) + b'"}'
    assert len(filler) == limit  # exactly 1 MiB is still accepted
    assert srv.call("POST", "/api/users", data=filler).status_code == 201
    too_big = filler[:-2] + b'x"}'
    hint = "Reduce request body size to under 1MB"
    reply = srv.call("POST", "/api/users", data=too_big)
    expected = {"error": "request body too large", "resource": "users", "statusCode": 413, "hint": hint}
    assert (reply.status_code, reply.json()) == (413, expected)
    reply = srv.call("PUT", "/api/users/1", data=too_big)
    assert reply.json() == {**{"error": "request body too large", "resource": "users", "id": "1"},
                            "statusCode": 413, "hint": hint}  # fmt: skip
    assert len(srv.ids()) == 4


def test_capacity_is_507(srv: Server):
    assert srv.call("POST", "/api/capped", json={}).status_code == 201
    reply = srv.call("POST", "/api/capped", json={})
    expected: dict[str, Any] = {
        "error": 'resource "capped" has reached its maximum capacity of 2 items',
        "resource": "capped",
        "statusCode": 507,
    }
    if srv.legacy:
        expected["hint"] = (
            'Delete existing items or increase the maxItems limit (currently 2) for resource "capped".'
        )
    assert (reply.status_code, reply.json()) == (507, expected)
    assert len(srv.ids("/api/capped")) == 2


# ------------------------------------------------------------------------------------- update and delete


def test_put_replaces_every_field_and_keeps_id_and_created_at(srv: Server):
    first = srv.call("PUT", "/api/users/1", json={"id": "other", "name": "A2", "createdAt": "x"})
    assert first.status_code == 200
    item = first.json()
    assert stamped(item) == {"id": 1, "name": "A2"}  # D1: the id value stays the number 1
    second = srv.call("PUT", "/api/users/1", json={"name": "A3"}).json()
    assert second["createdAt"] == item["createdAt"]
    assert second["updatedAt"] >= item["updatedAt"]
    assert srv.call("GET", "/api/users/1").json() == second


def test_patch_merges_top_level_keys_only(srv: Server):
    body = {"name": "Al", "meta": {"x": 1}, "age": None, "id": "ignored", "updatedAt": "ignored"}
    reply = srv.call("PATCH", "/api/users/1", json=body)
    assert reply.status_code == 200
    item = reply.json()
    assert list(item) == sorted(item)
    assert stamped(item) == {
        "active": True, "age": None, "email": "alice@example.com", "id": 1, "meta": {"x": 1}, "name": "Al",
        "tags": ["admin", "staff"],
    }  # fmt: skip


def test_delete_answers_204_and_the_item_is_gone(srv: Server):
    reply = srv.call("DELETE", "/api/users/2")
    assert (reply.status_code, reply.content) == (204, b"")
    assert srv.call("GET", "/api/users/2").json() == not_found(srv, "2")
    assert srv.ids() == ["u3", 1]


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_every_action_on_a_missing_item_is_404(srv: Server, method: str):
    reply = srv.call(method, "/api/users/nobody", json={"name": "x"})
    assert (reply.status_code, reply.json()) == (404, not_found(srv, "nobody"))


def test_changed_items_carry_stamps_while_untouched_seed_items_stay_verbatim(srv: Server):
    # D2
    srv.call("PATCH", "/api/users/2", json={"age": 26})
    items = {item["name"]: item for item in srv.items()}
    assert items["Alice"] == USERS_SEED[0]
    assert "createdAt" in items["Bob"]
    assert "updatedAt" in items["Bob"]


# ------------------------------------------------------------------------------------------ parent field


def test_parent_field_filters_lists_and_is_set_on_create(srv: Server):
    assert srv.items("/api/users/1/orders") == [ORDERS_SEED[2], ORDERS_SEED[0]]
    item = srv.call("POST", "/api/users/2/orders", json={"userId": "9", "total": 5}).json()
    assert item["userId"] == "2"  # the path wins
    assert srv.ids("/api/users/2/orders") == [item["id"], "o2"]
    assert srv.call("GET", "/api/users/2/orders/o1").json() == ORDERS_SEED[0]  # get does not filter


# ------------------------------------------------------------------------------ generation differences


def test_legacy_requires_an_id_for_put_patch_delete_and_refuses_other_methods(srv: Server):
    if not srv.legacy:
        pytest.skip("v0.5 basePath dispatch only")
    for method in ("PUT", "PATCH", "DELETE"):
        reply = srv.call(method, "/api/users", json={})
        expected = {"error": f"ID required for {method}", "resource": "users", "statusCode": 400}
        assert (reply.status_code, reply.json()) == (400, expected)
    reply = srv.call("HEAD", "/api/users/1")
    assert reply.status_code == 405


def test_legacy_routes_leave_cors_preflights_to_the_cors_layer(srv: Server):
    if not srv.legacy:
        pytest.skip("only legacy routes take every method")
    reply = srv.call("OPTIONS", "/api/users", headers={"Origin": "http://localhost:3000"})
    assert reply.status_code == 200
    assert reply.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert srv.call("OPTIONS", "/api/users").status_code == 403


def test_post_to_an_item_path_creates_in_legacy_and_is_unmatched_in_current(srv: Server):
    reply = srv.call("POST", "/api/users/ignored", json={"name": "z"})
    if srv.legacy:
        assert reply.status_code == 201
        assert reply.json()["id"] != "ignored"
    else:
        assert reply.status_code == 404
        assert reply.json()["error"] == "no_match"


def test_trailing_slash_does_not_reach_the_collection(srv: Server):
    # §4.6: v0.5's route regex refused `/api/users/`; an exact mock path refuses it too (§3.4)
    reply = srv.call("GET", "/api/users/")
    assert (reply.status_code, reply.json()["error"]) == (404, "no_match")
