"""List parameters over HTTP, both generations and formats (reference §4.4; legacy differences from §4.6).

Seed order (configs.USERS_SEED): 1 Alice 30, 2 Bob 25, u3 Carol 35. Newest first is u3, 2, 1.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.state.configs import ORDERS_SEED
from tests.state.conftest import Server


def page(srv: Server, path: str = "/api/users", **params: Any) -> tuple[list[Any], dict[str, Any]]:
    reply = srv.call("GET", path, params=params)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    return [item["id"] for item in body["data"]], body["meta"]


def expected_meta(srv: Server, total: int, limit: int, offset: int, count: int, more: bool) -> dict[str, Any]:
    meta: dict[str, Any] = {"total": total, "limit": limit, "offset": offset, "count": count}
    if not srv.legacy:
        meta["has_more"] = more
    return meta


@pytest.mark.parametrize(
    ("params", "ids", "limit", "offset", "more"),
    [
        ({"limit": "2"}, ["u3", 2], 2, 0, True),
        ({"limit": "2", "offset": "2"}, [1], 2, 2, False),
        ({"offset": "1"}, [2, 1], 100, 1, False),
        ({"offset": "10"}, [], 100, 10, False),  # echoed even past the end
        ({"limit": "0"}, ["u3", 2, 1], 100, 0, False),  # invalid or <= 0 means 100
        ({"limit": "-3"}, ["u3", 2, 1], 100, 0, False),
        ({"limit": "many"}, ["u3", 2, 1], 100, 0, False),
        ({"limit": "+2"}, ["u3", 2], 2, 0, True),  # Go's Atoi takes a sign
        ({"offset": "-1"}, ["u3", 2, 1], 100, 0, False),
    ],
)
def test_limit_and_offset(srv: Server, params, ids, limit, offset, more):
    got, meta = page(srv, **params)
    assert got == ids
    assert meta == expected_meta(srv, 3, limit, offset, len(ids), more)


@pytest.mark.parametrize(
    ("params", "ids"),
    [
        ({}, ["u3", 2, 1]),
        ({"order": "asc"}, [1, 2, "u3"]),
        ({"sort": "createdAt", "order": "asc"}, [1, 2, "u3"]),
        ({"sort": "age"}, ["u3", 1, 2]),
        ({"sort": "age", "order": "asc"}, [2, 1, "u3"]),
        ({"sort": "age", "order": "DESC"}, ["u3", 1, 2]),  # only "desc", in any case, descends
        ({"sort": "age", "order": "down"}, [2, 1, "u3"]),
        ({"sort": "name", "order": "asc"}, [1, 2, "u3"]),
        ({"sort": "id", "order": "asc"}, [1, 2, "u3"]),  # numbers vs a string: compared as text
        ({"sort": "nothing"}, ["u3", 2, 1]),  # all equal: creation order, newest first
        ({"sort": "nothing", "order": "asc"}, [1, 2, "u3"]),
    ],
)
def test_sort_and_order(srv: Server, params, ids):
    assert page(srv, **params)[0] == ids


def test_sort_by_updated_at_puts_the_last_change_first(srv: Server):
    srv.call("PATCH", "/api/users/2", json={"age": 26})
    srv.call("PATCH", "/api/users/1", json={"age": 31})
    assert page(srv, sort="updatedAt")[0] == [1, 2, "u3"]
    assert page(srv, sort="updatedAt", order="asc")[0] == ["u3", 2, 1]


def test_new_items_come_first_and_seed_items_keep_reverse_file_order(srv: Server):
    made = [srv.call("POST", "/api/users", json={"n": i}).json()["id"] for i in range(3)]
    assert page(srv)[0] == [*made[::-1], "u3", 2, 1]


@pytest.mark.parametrize(
    ("params", "ids"),
    [
        ({"active": "true"}, ["u3", 1]),  # bools print as true/false
        ({"age": "30"}, [1]),  # numbers print as Go's %v
        ({"name": "Bob"}, [2]),
        ({"meta[tier]": "gold"}, ["u3", 1]),  # brackets reach into objects
        ({"tags[0]": "staff"}, [2]),  # ... and arrays
        ({"tags[5]": "staff"}, []),
        ({"id": "1"}, [1]),  # id filters the id's string form (D1)
        ({"id": "u3"}, ["u3"]),
        ({"missing": "x"}, []),  # a missing field prints <nil>
        ({"missing": "<nil>"}, ["u3", 2, 1]),
        ({"name": "Bob", "age": "26"}, []),  # filters AND
        ({"name": "Bob", "age": "25", "limit": "5"}, [2]),
    ],
)
def test_every_other_parameter_is_an_exact_match_filter(srv: Server, params, ids):
    got, meta = page(srv, **params)
    assert got == ids
    assert meta["total"] == len(ids)


def test_filters_compare_go_number_formatting(srv: Server):
    # §4.4: a stored 1000000 prints as 1e+06 (Go's %v of a float64)
    made = srv.call("POST", "/api/users", json={"big": 1000000}).json()["id"]
    assert page(srv, big="1e+06")[0] == [made]
    assert page(srv, big="1000000")[0] == []


def test_parent_filter_combines_with_field_filters(srv: Server):
    assert srv.items("/api/users/1/orders", total="30") == [ORDERS_SEED[2]]
    assert srv.items("/api/users/3/orders") == []


@pytest.mark.parametrize("name", ["page", "expand", "starting_after", "fields"])
def test_reserved_names_are_not_filters_except_in_legacy(srv: Server, name: str):
    # current reserves a long list; v0.5 reserved only limit/offset/sort/order, so these filter (to nothing)
    got, _ = page(srv, **{name: "zzz"})
    assert got == ([] if srv.legacy else ["u3", 2, 1])


def test_cursor_paging(srv: Server):
    if srv.legacy:
        pytest.skip("cursors are current-generation only")
    ids, meta = page(srv, starting_after="u3", limit="1")
    assert (ids, meta["has_more"]) == ([2], True)
    ids, meta = page(srv, starting_after="2")
    assert (ids, meta["has_more"]) == ([1], False)
    ids, meta = page(srv, ending_before="1", limit="1")
    assert (ids, meta["has_more"]) == ([2], True)
    ids, meta = page(srv, ending_before="2")
    assert (ids, meta["has_more"]) == (["u3"], False)
    assert page(srv, starting_after="unknown")[0] == ["u3", 2, 1]  # an unknown cursor starts at the start
