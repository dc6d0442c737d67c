"""Design D3: legacy `basePath` routes sit in the same matcher as mocks, in tier 1.

A more specific explicit mock wins by score; on an exact tie the explicit mock wins by tier (v0.5 checked
resources before every mock, so an explicit `GET /api/users/1` was unreachable there). Legacy requests log
as `stateful:<name>` and are never counted (reference §3.11, §4.6).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.state.conftest import Server


def static(mock_id: str, body: dict[str, Any], method: str | None = None, **matcher: Any) -> dict[str, Any]:
    if method:
        matcher["method"] = method
    return {"id": mock_id, "http": {"matcher": matcher, "response": {"statusCode": 200, "body": body}}}


def config() -> dict[str, Any]:
    return {
        "version": "1.0",
        "mocks": [
            static("explicit-user-1", {"explicit": True}, "GET", path="/api/users/1"),  # 25 vs 12
            static("explicit-create", {"queued": True}, "POST", path="/api/users"),  # 25 vs 15
            static("tie-item", {"tie": "item"}, path="/api/things/{x}"),  # 12 vs 12: tier decides
            static("tie-collection", {"tie": "collection"}, path="/api/widgets"),  # 15 vs 15
        ],
        "statefulResources": [
            {
                "name": "users",
                "basePath": "/api/users",
                "seedData": [{"id": 1, "name": "A"}, {"id": 2, "name": "B"}],
            },
            {"name": "things", "basePath": "/api/things", "seedData": [{"id": "t1"}]},
            {"name": "widgets", "basePath": "/api/widgets", "seedData": [{"id": "w1"}]},
        ],
    }


@pytest.fixture(scope="module", params=["json", "yaml"])
def server(request: pytest.FixtureRequest, start: Any) -> Server:
    return start(config(), request.param, "legacy")


def test_a_more_specific_explicit_mock_beats_the_item_route(srv: Server):
    assert srv.call("GET", "/api/users/1").json() == {"explicit": True}
    assert srv.call("GET", "/api/users/2").json() == {
        "id": 2,
        "name": "B",
    }  # the resource still serves others
    assert srv.call("PATCH", "/api/users/1", json={"name": "Z"}).status_code == 200  # other methods too


def test_a_more_specific_explicit_mock_beats_the_collection_route(srv: Server):
    assert srv.call("POST", "/api/users", json={"name": "C"}).json() == {"queued": True}
    assert srv.call("GET", "/api/users").json()["meta"]["total"] == 2


def test_an_exact_tie_goes_to_the_explicit_mock(srv: Server):
    assert srv.call("GET", "/api/things/t1").json() == {"tie": "item"}
    assert srv.call("DELETE", "/api/things/t1").json() == {"tie": "item"}
    assert srv.call("GET", "/api/widgets").json() == {"tie": "collection"}
    assert srv.call("GET", "/api/widgets/w1").json() == {"id": "w1"}  # no explicit mock for items


def test_legacy_requests_log_as_stateful_name_and_are_never_counted(srv: Server):
    srv.admin("DELETE", "/requests")
    srv.call("GET", "/api/users/2")
    srv.call("GET", "/api/users/1")
    entries = srv.admin("GET", "/requests").json()["requests"]
    assert [e["matchedMockId"] for e in entries] == ["explicit-user-1", "stateful:users"]  # newest first
    assert srv.admin("GET", "/mocks/explicit-user-1/verify").json()["callCount"] == 1
    assert srv.admin("GET", "/mocks/stateful:users/verify").status_code == 404
