"""Response transforms (reference §4.7) and the D8 list format, over HTTP, JSON and YAML configs.

- `products`: every item and list option, create/delete overrides, a mapped error shape (Stripe-like);
- `events`: iso8601 stamps, `hideMeta`, soft delete (`preserve`);
- `notes`: stamps hidden, D8 bare-array lists, the default error transform, and one binding whose own
  `response` replaces the table's (binding > table);
- `memos`: a legacy `basePath` resource with D8 and a hidden field (transforms apply to legacy routes too).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest

from tests.state.configs import bound
from tests.state.conftest import Server

PRODUCTS = "/v1/products"
ISO_SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})")


def config() -> dict[str, Any]:
    products = {
        "name": "products",
        "seedData": [{"id": "p1", "name": "Widget", "secret": "s", "variants": [{"sku": "a"}]}],
        "response": {
            "fields": {
                "rename": {"name": "title"},
                "hide": ["secret"],
                "inject": {"object": "product"},
                "wrapAsList": {"variants": {"url": "/v1/products/{{id}}/variants"}},
            },
            "timestamps": {"format": "unix", "fields": {"createdAt": "created"}},
            "list": {"dataField": "items", "extraFields": {"object": "list", "has_more": False},
                     "metaFields": {"total": "total_count"}},
            "create": {"status": 200},
            "delete": {"status": 200, "body": {"deleted": True, "id": "{{item.id}}", "name": "{{item.name}}",
                                               "missing": "{{item.nope}}"}},
            "errors": {"wrap": "error", "fields": {"message": "message", "id": "param", "type": "type",
                                                  "code": "code"},
                       "typeMap": {"NOT_FOUND": "invalid_request_error"}, "codeMap": {"NOT_FOUND": "resource_missing"},
                       "inject": {"doc_url": "https://example.com/errors"}},
        },
    }  # fmt: skip
    events = {
        "name": "events",
        "response": {
            "timestamps": {"format": "iso8601"},
            "list": {"hideMeta": True},
            "delete": {"preserve": True},
        },
    }
    notes = {
        "name": "notes",
        "seedData": [{"id": "n1", "text": "hi"}],
        "response": {"timestamps": {"format": "none"}, "list": {"format": "array"}, "errors": {}},
    }
    mocks = [
        bound("products-list", "GET", PRODUCTS, "products", "list"),
        bound("products-create", "POST", PRODUCTS, "products", "create"),
        bound("products-get", "GET", PRODUCTS + "/{id}", "products", "get"),
        bound("products-delete", "DELETE", PRODUCTS + "/{id}", "products", "delete"),
        bound("events-list", "GET", "/v1/events", "events", "list"),
        bound("events-create", "POST", "/v1/events", "events", "create"),
        bound("events-delete", "DELETE", "/v1/events/{id}", "events", "delete"),
        bound("events-get", "GET", "/v1/events/{id}", "events", "get"),
        bound("notes-list", "GET", "/v1/notes", "notes", "list"),
        bound("notes-create", "POST", "/v1/notes", "notes", "create"),
        bound("notes-get", "GET", "/v1/notes/{id}", "notes", "get"),
        {"id": "notes-raw", "http": {"matcher": {"method": "GET", "path": "/v1/raw-notes/{id}"},
                                     "response": {"statusCode": 200}}},
    ]  # fmt: skip
    extend = [{"mock": "notes-raw", "table": "notes", "action": "get",
               "response": {"fields": {"inject": {"raw": True}}}}]  # fmt: skip
    memos = {"name": "memos", "basePath": "/legacy/memos", "seedData": [{"id": "m1", "text": "x", "secret": 1}],
             "response": {"list": {"format": "array"}, "fields": {"hide": ["secret"]}}}  # fmt: skip
    return {"version": "1.0", "mocks": mocks, "tables": [products, events, notes], "extend": extend,
            "statefulResources": [memos]}  # fmt: skip


@pytest.fixture(scope="module", params=["json", "yaml"])
def server(request: pytest.FixtureRequest, start: Any) -> Server:
    return start(config(), request.param)


def test_item_pipeline_on_a_seed_item_keeps_its_key_order(srv: Server):
    # rename -> hide -> wrapAsList -> timestamps (none on a verbatim seed item, D2) -> inject
    reply = srv.call("GET", PRODUCTS + "/p1")
    assert reply.status_code == 200
    assert reply.content == (
        b'{"id":"p1","variants":{"data":[{"sku":"a"}],"has_more":false,"object":"list",'
        b'"url":"/v1/products/p1/variants"},"title":"Widget","object":"product"}\n'
    )


def test_created_item_gets_unix_stamps_renames_and_the_create_status(srv: Server):
    before = int(datetime.now().timestamp())
    reply = srv.call("POST", PRODUCTS, json={"name": "Gadget", "secret": "x", "variants": "not a list"})
    assert reply.status_code == 200  # create.status
    item = reply.json()
    assert list(item) == ["created", "id", "object", "title", "updatedAt", "variants"]
    assert before - 1 <= item["created"] == item["updatedAt"] <= before + 5
    assert item["variants"] == "not a list"  # only arrays are wrapped


def test_list_is_flat_with_extra_and_renamed_meta_fields(srv: Server):
    srv.call("POST", PRODUCTS, json={"name": "Gadget"})
    body = srv.call("GET", PRODUCTS, params={"limit": "1"}).json()
    assert list(body) == ["count", "has_more", "items", "limit", "object", "offset", "total_count"]
    assert {k: v for k, v in body.items() if k != "items"} == {
        "count": 1, "has_more": True, "limit": 1, "object": "list", "offset": 0, "total_count": 2,
    }  # fmt: skip
    assert body["items"][0]["title"] == "Gadget"


def test_delete_override_status_and_item_template(srv: Server):
    reply = srv.call("DELETE", PRODUCTS + "/p1")
    assert reply.status_code == 200
    assert reply.json() == {"deleted": True, "id": "p1", "missing": "{{item.nope}}", "name": "Widget"}
    assert srv.call("GET", PRODUCTS + "/p1").status_code == 404


def test_error_transform_maps_wraps_and_injects(srv: Server):
    reply = srv.call("GET", PRODUCTS + "/zzz")
    assert reply.status_code == 404  # status unchanged
    assert reply.json() == {
        "error": {
            "code": "resource_missing",
            "doc_url": "https://example.com/errors",
            "message": 'resource "products" item "zzz" not found',
            "param": "zzz",
            "type": "invalid_request_error",
        }
    }


def test_errors_found_before_the_table_keep_the_default_body(srv: Server):
    reply = srv.call("POST", PRODUCTS, data=b"{", headers={"Content-Type": "application/json"})
    assert reply.json() == {
        "error": "invalid JSON body: unexpected end of JSON input", "resource": "products", "statusCode": 400,
    }  # fmt: skip


def test_iso8601_stamps_hidden_meta_and_soft_delete(srv: Server):
    item = srv.call("POST", "/v1/events", json={"kind": "x"}).json()
    assert ISO_SECONDS.fullmatch(item["createdAt"])
    assert ISO_SECONDS.fullmatch(item["updatedAt"])
    assert srv.call("GET", "/v1/events").json() == {"data": [item]}  # hideMeta: no meta keys at all
    reply = srv.call("DELETE", f"/v1/events/{item['id']}")
    assert (reply.status_code, reply.content) == (204, b"")
    assert srv.call("GET", f"/v1/events/{item['id']}").json() == item  # preserve: still there


def test_array_lists_hidden_stamps_and_the_default_error_transform(srv: Server):
    created = srv.call("POST", "/v1/notes", json={"text": "new"})
    assert created.status_code == 201
    note = created.json()
    assert note == {"id": note["id"], "text": "new"}  # timestamps: none
    assert srv.call("GET", "/v1/notes").json() == [note, {"id": "n1", "text": "hi"}]  # D8
    reply = srv.call("GET", "/v1/notes/nope")
    assert (reply.status_code, reply.json()) == (
        404, {"id": "nope", "message": 'resource "notes" item "nope" not found', "resource": "notes"},
    )  # fmt: skip


def test_a_binding_response_replaces_the_tables(srv: Server):
    note = srv.call("POST", "/v1/notes", json={"text": "new"}).json()
    raw = srv.call("GET", f"/v1/raw-notes/{note['id']}").json()
    assert raw["raw"] is True
    assert "createdAt" in raw  # the table's `timestamps: none` is not applied under the override


def test_transforms_apply_to_legacy_routes_too(srv: Server):
    assert srv.call("GET", "/legacy/memos").json() == [{"id": "m1", "text": "x"}]
    assert srv.call("GET", "/legacy/memos/m1").json() == {"id": "m1", "text": "x"}


def test_a_stamp_renamed_onto_a_field_the_item_has_leaves_that_field_alone() -> None:
    # The Go digital-twin guide seeds `created: 1705312200` and renames createdAt -> created: once the item
    # is patched (and so gets stamps), its own `created` must still be what GET shows.
    from mockd.runtime.state.transform import Transform

    t = Transform.parse({"timestamps": {"format": "unix", "fields": {"createdAt": "created"}}})
    assert t is not None
    view = {"created": 1705312200, "createdAt": "2026-12-05T08:00:00Z", "id": "cus_test",
            "updatedAt": "2026-12-05T08:00:01Z"}  # fmt: skip
    assert t.item(view, seeded=False) == {"created": 1705312200, "id": "cus_test", "updatedAt": 1796457601}
