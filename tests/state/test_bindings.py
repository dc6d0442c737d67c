"""What only bound mocks do (reference §4.2, §4.3): ids from the last path param, missing tables, actions
that are not served, and verification counts under the mock's id."""

from __future__ import annotations

from typing import Any

import pytest

from tests.state.configs import bound
from tests.state.conftest import Server


def config() -> dict[str, Any]:
    pattern_get = {"id": "pattern-get", "http": {
        "matcher": {"method": "GET", "pathPattern": "^/v1/pattern/(?P<id>[^/]+)$"},
        "statefulBinding": {"table": "things", "action": "get"}}}  # fmt: skip
    custom = {
        "id": "custom",
        "http": {
            "matcher": {"method": "POST", "path": "/v1/custom"},
            "statefulBinding": {"table": "things", "action": "custom", "operation": "Op"},
        },
    }
    operation = {"id": "operation", "http": {"matcher": {"method": "POST", "path": "/v1/op"},
                                             "statefulOperation": "Transfer"}}  # fmt: skip
    return {
        "version": "1.0",
        "tables": [
            {"name": "things", "seedData": [{"id": "t1", "n": 1}]},
            {"name": "files", "seedData": [{"id": "abc", "name": "f"}]},
            {"name": "customers", "seedData": [{"id": "c1", "name": "Ann", "vip": True}]},
            {"name": "invoices", "relationships": {"customer": {"table": "customers"}},
             "seedData": [{"id": "i1", "customer": "c1"}, {"id": "i2", "customer": "c9"}]},
        ],
        "mocks": [
            bound("things-get", "GET", "/v1/things/{id}", "things", "get"),
            bound("one", "GET", "/v1/one", "things", "get"),
            bound("archive", "POST", "/v1/things/{id}/archive", "things", "archive"),
            bound("ghost-list", "GET", "/v1/ghost", "ghost", "list"),
            bound("ghost-create", "POST", "/v1/ghost", "ghost", "create"),
            bound("ghost-get", "GET", "/v1/ghost/{id}", "ghost", "get"),
            bound("files-get", "GET", "/v1/files/{sid}.json", "files", "get"),
            bound("invoices-list", "GET", "/v1/invoices", "invoices", "list"),
            bound("invoices-get", "GET", "/v1/invoices/{id}", "invoices", "get"),
            pattern_get, custom, operation,
        ],
    }  # fmt: skip


@pytest.fixture(scope="module")
def server(start: Any) -> Server:
    return start(config(), "json")


def answer(srv: Server, method: str, path: str, **kw: Any) -> tuple[int, Any]:
    reply = srv.call(method, path, **kw)
    assert reply.headers["content-type"] == "application/json"
    return reply.status_code, reply.json()


def test_the_item_id_is_the_last_path_param_even_inside_a_segment(srv: Server):
    assert answer(srv, "GET", "/v1/files/abc.json") == (200, {"id": "abc", "name": "f"})


@pytest.mark.parametrize("path", ["/v1/one", "/v1/pattern/t1"])
def test_no_path_param_means_no_item_id(srv: Server, path: str):
    # pathPattern captures are not path params (Go reads only `{param}`s of matcher.path)
    expected = {"error": "item ID required for get", "resource": "things", "statusCode": 400}
    assert answer(srv, "GET", path) == (400, expected)


def test_an_unknown_action_is_400(srv: Server):
    expected = {"error": "unsupported action: archive", "resource": "things", "statusCode": 400}
    assert answer(srv, "POST", "/v1/things/t1/archive") == (400, expected)


def test_a_missing_table(srv: Server):
    assert answer(srv, "GET", "/v1/ghost") == (
        404, {"error": "table not found", "resource": "ghost", "statusCode": 404},
    )  # fmt: skip
    assert answer(srv, "GET", "/v1/ghost/1") == (
        404, {"error": 'resource "ghost" not found', "resource": "ghost", "id": "1", "statusCode": 404},
    )  # fmt: skip
    assert answer(srv, "POST", "/v1/ghost", json={}) == (
        404, {"error": 'resource "ghost" not found', "resource": "ghost", "statusCode": 404},
    )  # fmt: skip
    # the body is read before the table is looked up
    assert answer(srv, "POST", "/v1/ghost", data=b"{")[0] == 400


@pytest.mark.parametrize(
    ("path", "resource", "operation"), [("/v1/custom", "things", "Op"), ("/v1/op", "Transfer", "Transfer")]
)
def test_an_unregistered_custom_operation_is_404(srv: Server, path: str, resource: str, operation: str):
    # reference §4.2 table: a binding names its table as `resource`, a statefulOperation mock the operation
    message = f'resource "custom operation: {operation}" not found'
    assert answer(srv, "POST", path, json={}) == (
        404, {"error": message, "resource": resource, "statusCode": 404},
    )  # fmt: skip


def test_bound_requests_count_under_the_mock_id(srv: Server):
    for _ in range(3):
        srv.call("GET", "/v1/things/t1")
    srv.call("GET", "/v1/things/nope")  # a 404 from the table is still a matched call
    verify = srv.admin("GET", "/mocks/things-get/verify").json()
    assert verify["callCount"] == 4
    log = srv.admin("GET", "/requests", params={"limit": "1"}).json()["requests"][0]
    assert (log["matchedMockId"], log["statusCode"]) == ("things-get", 404)


def test_expand_inlines_related_items_and_leaves_unknown_ids(srv: Server):
    # reference §4.4 `expand[]` / `expand=a,b` through `relationships`
    ann = {"id": "c1", "name": "Ann", "vip": True}
    assert answer(srv, "GET", "/v1/invoices/i1", params={"expand[]": "customer"}) == (
        200, {"id": "i1", "customer": ann},
    )  # fmt: skip
    assert answer(srv, "GET", "/v1/invoices/i1")[1] == {"id": "i1", "customer": "c1"}
    _, body = answer(srv, "GET", "/v1/invoices", params={"expand": "customer,other"})
    assert body["data"] == [{"id": "i2", "customer": "c9"}, {"id": "i1", "customer": ann}]
