"""Generated ids (reference §2.6, `idStrategy`) and seed ids that survive resets (§4.1)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.state.configs import bound
from tests.state.conftest import Server


def config() -> dict[str, Any]:
    return {
        "version": "1.0",
        "statefulResources": [
            {"name": "seqs", "basePath": "/seqs", "idStrategy": "sequence",
             "seedData": [{"id": 5, "n": "a"}, {"n": "b"}, {"id": "7", "n": "c"}]},
            {"name": "shorts", "basePath": "/shorts", "idStrategy": "short"},
            {"name": "plain", "basePath": "/plain", "seedData": [{"name": "no id"}, {"name": "none either"}]},
        ],
        "tables": [
            {"name": "customers", "idStrategy": "prefix", "idPrefix": "cus_"},
            {"name": "events", "idStrategy": "ulid"},
        ],
        "mocks": [
            bound("customers-create", "POST", "/v1/customers", "customers", "create"),
            bound("events-create", "POST", "/v1/events", "events", "create"),
            bound("events-list", "GET", "/v1/events", "events", "list"),
        ],
    }  # fmt: skip


@pytest.fixture(scope="module", params=["json", "yaml"])
def server(request: pytest.FixtureRequest, start: Any) -> Server:
    return start(config(), request.param)


def new_id(srv: Server, path: str) -> str:
    reply = srv.call("POST", path, json={})
    assert reply.status_code == 201, reply.text
    return reply.json()["id"]


def test_sequence_continues_after_the_largest_seed_id_and_restarts_on_reset(srv: Server):
    # the seed item without an id got "6" (after 5); 7 is taken by the seed, so creates start at 8
    assert srv.items("/seqs", order="asc") == [
        {"id": 5, "n": "a"},
        {"id": "6", "n": "b"},
        {"id": "7", "n": "c"},
    ]
    assert [new_id(srv, "/seqs") for _ in range(2)] == ["8", "9"]
    srv.admin("POST", "/state/resources/seqs/reset")
    assert new_id(srv, "/seqs") == "8"


def test_prefix_short_and_ulid(srv: Server):
    assert re.fullmatch(r"cus_[0-9a-f]{16}", new_id(srv, "/v1/customers"))
    assert re.fullmatch(r"[0-9a-f]{16}", new_id(srv, "/shorts"))
    ulids = [new_id(srv, "/v1/events") for _ in range(20)]
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", u) for u in ulids)
    assert ulids == sorted(ulids)  # time-sortable, monotonic within a millisecond
    assert srv.ids("/v1/events", order="asc", sort="id") == ulids


def test_generated_seed_ids_are_kept_across_resets(srv: Server):
    before = srv.items("/plain")
    assert all(re.fullmatch(r"[0-9a-f-]{36}", item["id"]) for item in before)
    assert [list(item) for item in before] == [["id", "name"], ["id", "name"]]  # written back first
    srv.call("DELETE", f"/plain/{before[0]['id']}")
    srv.admin("POST", "/reset/plain")
    assert srv.items("/plain") == before
