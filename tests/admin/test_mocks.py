"""Mocks CRUD over HTTP (mockd-reference §5.2, §7, §12.2): shapes, status codes, error bodies, atomicity."""

from __future__ import annotations

import json
import re

import pytest
import requests

from tests.admin.helpers import ADMIN_ID, TS, answer, create, error, http_mock, served, stamps
from tests.harness import MockdProcess

pytestmark = pytest.mark.usefixtures("clean")


def get(server: MockdProcess, path: str) -> requests.Response:
    return requests.get(server.url + path, timeout=10)


# --- create ---------------------------------------------------------------------------------------------


def test_create_answers_201_with_id_action_message_and_the_mock(server: MockdProcess) -> None:
    # reference §5.2: POST /mocks => 201 {id, action, message, mock}; a Go map, so keys come out sorted
    r = requests.post(
        server.admin + "/mocks", json=http_mock("/api/flaky", status=500, body='{"error": "x"}')
    )
    status, body = answer(r)
    mock_id = body["id"]
    assert ADMIN_ID.fullmatch(mock_id)  # reference §2.6: "http_" + 16 hex
    assert list(body) == ["action", "id", "message", "mock"]
    assert (status, stamps(body)) == (
        201,
        {
            "action": "created",
            "id": mock_id,
            "message": "Created http mock",
            "mock": {
                "id": mock_id,
                "type": "http",
                "metaSortKey": "<sort>",  # -(epoch ms) on create
                "createdAt": TS,
                "updatedAt": TS,
                "http": served("GET", "/api/flaky", 500, '{"error": "x"}'),
            },
        },
    )
    assert body["mock"]["createdAt"] == body["mock"]["updatedAt"]
    # live for the very next request, body bytes as given
    reply = get(server, "/api/flaky")
    assert (reply.status_code, reply.content) == (500, b'{"error": "x"}')


def test_created_mock_round_trips_through_get(server: MockdProcess) -> None:
    created = create(server.admin, http_mock("/a", id="mine", name="Mine"))["mock"]
    status, body = answer(requests.get(server.admin + "/mocks/mine"))
    assert (status, body) == (200, created)
    assert list(body) == ["id", "type", "name", "metaSortKey", "createdAt", "updatedAt", "http"]


def test_object_body_keeps_its_source_text(server: MockdProcess) -> None:
    # reference §2.4: a JSON object body is kept as its raw text, spacing and key order included
    raw = b'{"type":"http","id":"raw","http":{"matcher":{"path":"/raw"},"response":{"statusCode":200,' \
          b'"body": {"b": 1,  "a": [1, 2]}}}}'  # fmt: skip
    r = requests.post(server.admin + "/mocks", data=raw)
    assert r.json()["mock"]["http"]["response"]["body"] == '{"b": 1,  "a": [1, 2]}'
    assert get(server, "/raw").content == b'{"b": 1,  "a": [1, 2]}'


def test_legacy_bare_matcher_response_body_is_accepted(server: MockdProcess) -> None:
    # reference §2.3: top-level matcher/response, no type => an HTTP mock; `enabled` false unless given
    status, body = answer(
        requests.post(
            server.admin + "/mocks",
            json={"id": "old", "matcher": {"method": "GET", "path": "/old"}, "response": {"statusCode": 202},
                  "priority": 3, "enabled": True},
        )
    )  # fmt: skip
    assert (status, stamps(body["mock"])) == (
        201,
        {
            "id": "old",
            "type": "http",
            "enabled": True,
            "metaSortKey": "<sort>",
            "createdAt": TS,
            "updatedAt": TS,
            "http": {"priority": 3, "matcher": {"method": "GET", "path": "/old"},
                     "response": {"statusCode": 202, "body": ""}},
        },
    )  # fmt: skip
    assert get(server, "/old").status_code == 202


def test_legacy_body_without_enabled_is_stored_disabled(server: MockdProcess) -> None:
    body = create(server.admin, {"id": "off", "matcher": {"path": "/off"}, "response": {"statusCode": 200}})
    assert body["mock"]["enabled"] is False
    assert get(server, "/off").status_code == 404


def test_json_keys_are_matched_case_insensitively(server: MockdProcess) -> None:
    # Go's JSON decoder: "Type", "HTTP", "StatusCode" fill the same fields
    body = create(
        server.admin,
        {"Type": "http", "ID": "ci", "HTTP": {"Matcher": {"PATH": "/ci"}, "Response": {"StatusCode": 203}}},
    )
    assert body["mock"]["http"] == {"matcher": {"path": "/ci"}, "response": {"statusCode": 203, "body": ""}}
    assert get(server, "/ci").status_code == 203


def test_workspace_query_fills_an_empty_workspace(server: MockdProcess) -> None:
    r = requests.post(server.admin + "/mocks?workspaceId=ws_1", json=http_mock("/w"))
    assert r.json()["mock"]["workspaceId"] == "ws_1"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (json.dumps(http_mock("/x"))[:-1].encode(), error(400, "invalid_json", "Invalid JSON in request body")),
        (b"", error(400, "invalid_json", "Invalid JSON in request body")),
        (b"[]", error(400, "invalid_json", "Invalid JSON in request body")),
        (b"null", error(400, "missing_type", "type is required")),  # Go decodes null to the zero mock
        (json.dumps({"type": "http", "http": {"matcher": {"path": "/x"},
                                               "response": {"statusCode": "200"}}}).encode(),
         error(400, "invalid_json", "Invalid JSON in request body")),
        (json.dumps({"http": {"matcher": {"path": "/x"}}}).encode(), error(400, "missing_type", "type is required")),
        (json.dumps({"type": "http", "http": {"response": {}}}).encode(),
         error(400, "validation_error", "validation error on http.matcher: matcher is required")),
        (json.dumps({"type": "http", "http": {"matcher": {"path": "x"}, "response": {}}}).encode(),
         error(400, "validation_error", "validation error on matcher.path: path must start with /")),
        (json.dumps({"type": "http", "http": {"matcher": {"path": "/x"}, "response": {"statusCode": 700}}}).encode(),
         error(400, "validation_error", "validation error on response.statusCode: statusCode must be between 100-599, got 700")),
        (json.dumps({"type": "nope"}).encode(), error(400, "validation_error", "validation error on type: unknown mock type: nope")),
    ],
)  # fmt: skip
def test_create_errors_are_the_go_tools(
    server: MockdProcess, body: bytes, expected: tuple[int, dict]
) -> None:
    assert answer(requests.post(server.admin + "/mocks", data=body)) == expected
    assert requests.get(server.admin + "/mocks").json()["total"] == 0  # nothing half-applied


def test_duplicate_id_is_409(server: MockdProcess) -> None:
    create(server.admin, http_mock("/a", id="dup", body="first"))
    r = requests.post(server.admin + "/mocks", json=http_mock("/b", id="dup", body="second"))
    assert answer(r) == error(409, "duplicate_id", "Mock with this ID already exists")
    assert get(server, "/a").content == b"first"


# --- list -----------------------------------------------------------------------------------------------


def make_set(server: MockdProcess) -> None:
    create(server.admin, http_mock("/users", id="u1", name="List Users"))
    create(server.admin, http_mock("/users/{id}", id="u2", name="Get User", parentId="fld_a"))
    create(server.admin, {**http_mock("/orders", id="o1"), "enabled": False})
    create(server.admin, {"type": "websocket", "id": "ws1", "name": "chat", "websocket": {"path": "/chat"}})


def ids(r: requests.Response) -> list[str]:
    return [m["id"] for m in r.json()["mocks"]]


@pytest.mark.parametrize(
    ("query", "expected", "total"),
    [
        ("", ["u1", "u2", "o1", "ws1"], 4),  # insertion order
        ("?type=http", ["u1", "u2", "o1"], 3),
        ("?type=websocket", ["ws1"], 1),
        ("?enabled=false", ["o1"], 1),
        ("?enabled=true", ["u1", "u2", "ws1"], 3),  # absent `enabled` counts as enabled
        ("?enabled=maybe", ["u1", "u2", "o1", "ws1"], 4),  # not a bool: no filter, as Go
        ("?parentId=fld_a", ["u2"], 1),
        ("?parentId=", ["u1", "o1", "ws1"], 3),  # present but empty: root level only
        ("?folderId=fld_a", ["u2"], 1),
        ("?search=USER", ["u1", "u2"], 2),  # name, case-insensitive
        ("?search=/ord", ["o1"], 1),  # path
        ("?search=cha", ["ws1"], 1),
        ("?limit=2", ["u1", "u2"], 4),  # total is before paging
        ("?offset=1&limit=2", ["u2", "o1"], 4),
        ("?offset=3", ["ws1"], 4),
        ("?offset=9", [], 4),
        ("?limit=0", ["u1", "u2", "o1", "ws1"], 4),  # 0 = no limit
        ("?limit=abc&offset=1.5", ["u1", "u2", "o1", "ws1"], 4),  # not integers: ignored, as strconv.Atoi
        ("?type=http&offset=1&limit=1", ["u2"], 3),
    ],
)
def test_list_filters_and_paging(server: MockdProcess, query: str, expected: list[str], total: int) -> None:
    make_set(server)
    status, body = answer(requests.get(server.admin + "/mocks" + query))
    assert (status, [m["id"] for m in body["mocks"]], body["total"], body["count"]) == (
        200, expected, total, len(expected),
    )  # fmt: skip
    assert list(body) == ["mocks", "total", "count"]


@pytest.mark.parametrize(
    ("query", "message"),
    [("?offset=-1", "offset must be non-negative"), ("?limit=-5", "limit must be non-negative"),
     ("?offset=-1&limit=-1", "offset must be non-negative")],
)  # fmt: skip
def test_negative_paging_is_400(server: MockdProcess, query: str, message: str) -> None:
    assert answer(requests.get(server.admin + "/mocks" + query)) == error(400, "validation_error", message)


def test_empty_list_is_an_empty_array(server: MockdProcess) -> None:
    # reference §5.2: Go can answer `"mocks": null` after deleting the last mock; we always send []
    create(server.admin, http_mock("/a", id="a"))
    requests.delete(server.admin + "/mocks/a")
    assert answer(requests.get(server.admin + "/mocks")) == (200, {"mocks": [], "total": 0, "count": 0})


# --- get / put / patch / delete / toggle ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("GET", "/mocks/nope", None), ("PUT", "/mocks/nope", http_mock("/x")), ("PATCH", "/mocks/nope", {}),
     ("DELETE", "/mocks/nope", None), ("POST", "/mocks/nope/toggle", None)],
)  # fmt: skip
def test_unknown_mock_is_404(server: MockdProcess, method: str, path: str, body: dict | None) -> None:
    r = requests.request(method, server.admin + path, json=body)
    assert answer(r) == error(404, "not_found", "mock not found")


def test_put_replaces_in_place_keeping_created_at_and_position(server: MockdProcess) -> None:
    first = create(server.admin, http_mock("/one", id="one", body="v1"))["mock"]
    create(server.admin, http_mock("/two", id="two"))
    for _ in range(2):
        get(server, "/one")
    new = {**http_mock("/one-moved", body="v2", name="renamed"), "id": "ignored-body-id"}
    status, body = answer(requests.put(server.admin + "/mocks/one", json=new))
    assert (status, stamps(body)) == (
        200,
        {"action": "updated", "id": "one", "message": "Updated http mock",
         "mock": {"id": "one", "type": "http", "name": "renamed", "createdAt": TS, "updatedAt": TS,
                  "http": served("GET", "/one-moved", 200, "v2")}},
    )  # fmt: skip
    assert body["mock"]["createdAt"] == first["createdAt"]
    assert body["mock"]["updatedAt"] > first["updatedAt"]
    assert ids(requests.get(server.admin + "/mocks")) == ["one", "two"]  # position kept
    assert (get(server, "/one").status_code, get(server, "/one-moved").content) == (404, b"v2")
    # PUT keeps the call counter (same mock)
    assert requests.get(server.admin + "/mocks/one/verify").json()["callCount"] == 3


def test_put_errors(server: MockdProcess) -> None:
    create(server.admin, http_mock("/p", id="p", body="kept"))
    assert answer(requests.put(server.admin + "/mocks/p", data=b"{")) == error(
        400, "invalid_json", "Invalid JSON in request body"
    )
    bad = {"type": "http", "http": {"matcher": {"method": "FETCH", "path": "/p"}, "response": {}}}
    assert answer(requests.put(server.admin + "/mocks/p", json=bad)) == error(
        400, "validation_error", "validation error on matcher.method: invalid HTTP method: FETCH"
    )
    # Go decodes before it looks the mock up: bad JSON on an unknown id is still 400
    assert answer(requests.put(server.admin + "/mocks/ghost", data=b"{")) == error(
        400, "invalid_json", "Invalid JSON in request body"
    )
    assert get(server, "/p").content == b"kept"


def test_patch_merges_one_level_deep(server: MockdProcess) -> None:
    mock = http_mock("/patch", body="before", name="n")
    mock["http"]["response"]["headers"] = {"X-Old": "1"}
    mock["http"]["priority"] = 4
    create(server.admin, {**mock, "id": "pm"})
    patch = {"name": "after", "description": "d", "enabled": True, "metaSortKey": 5,
             "http": {"response": {"statusCode": 201, "body": {"z": 1, "a": 2}}}}  # fmt: skip
    status, body = answer(requests.patch(server.admin + "/mocks/pm", json=patch))
    # `response` is replaced whole (its old header is gone); matcher and priority are untouched; an object
    # body given in a patch is re-encoded as Go re-marshals the patch map (keys sorted)
    assert (status, stamps(body)) == (
        200,
        {"action": "updated", "id": "pm", "message": "Updated http mock",
         "mock": {"id": "pm", "type": "http", "name": "after", "description": "d", "enabled": True,
                  "metaSortKey": 5, "createdAt": TS, "updatedAt": TS,
                  "http": {"priority": 4, "matcher": {"method": "GET", "path": "/patch"},
                           "response": {"statusCode": 201, "body": '{"a":2,"z":1}'}}}},
    )  # fmt: skip
    assert (get(server, "/patch").status_code, get(server, "/patch").content) == (201, b'{"a":2,"z":1}')


def test_patch_null_removes_a_sub_key_and_wrong_top_level_types_are_ignored(server: MockdProcess) -> None:
    mock = http_mock("/pn")
    mock["http"]["priority"] = 9
    create(server.admin, {**mock, "id": "pn", "name": "keep"})
    r = requests.patch(server.admin + "/mocks/pn", json={"name": 5, "enabled": "yes", "Name": "x",
                                                          "http": {"priority": None}})  # fmt: skip
    mock_out = r.json()["mock"]
    assert (r.status_code, mock_out["name"], "enabled" in mock_out, mock_out["http"]) == (
        200, "keep", False, served("GET", "/pn"),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ({"http": None}, error(400, "validation_error", "validation error on http.matcher: matcher is required")),
        ({"http": {"matcher": None}}, error(400, "validation_error", "validation error on http.matcher: matcher is required")),
        ({"http": {"matcher": {"path": "nope"}}}, error(400, "validation_error", "validation error on matcher.path: path must start with /")),
        ({"http": {"priority": "high"}}, error(400, "invalid_json", "Invalid JSON in request body")),
        ([1], error(400, "invalid_json", "Invalid JSON in request body")),
    ],
)  # fmt: skip
def test_patch_errors_change_nothing(server: MockdProcess, patch: object, expected: tuple[int, dict]) -> None:
    before = create(server.admin, http_mock("/pe", id="pe", body="same"))["mock"]
    assert answer(requests.patch(server.admin + "/mocks/pe", json=patch)) == expected
    assert requests.get(server.admin + "/mocks/pe").json() == before
    assert get(server, "/pe").content == b"same"


def test_delete_one_is_204_and_forgets_the_counter(server: MockdProcess) -> None:
    create(server.admin, http_mock("/d", id="d"))
    get(server, "/d")
    r = requests.delete(server.admin + "/mocks/d")
    assert (r.status_code, r.content) == (204, b"")
    assert get(server, "/d").status_code == 404
    create(server.admin, http_mock("/d", id="d"))  # same id again starts from zero
    assert requests.get(server.admin + "/mocks/d/verify").json() == {"mockId": "d", "callCount": 0}
    assert requests.get(server.admin + "/mocks/d/invocations").json() == {
        "invocations": [], "count": 0, "total": 0,
    }  # fmt: skip


def test_delete_all_and_by_type(server: MockdProcess) -> None:
    make_set(server)
    r = requests.delete(server.admin + "/mocks?type=websocket")
    assert (r.status_code, r.content, ids(requests.get(server.admin + "/mocks"))) == (
        204,
        b"",
        ["u1", "u2", "o1"],
    )
    r = requests.delete(server.admin + "/mocks")
    assert (r.status_code, ids(requests.get(server.admin + "/mocks"))) == (204, [])
    assert get(server, "/users").status_code == 404


def test_toggle_flips_and_is_live(server: MockdProcess) -> None:
    create(server.admin, http_mock("/t", id="t"))
    status, body = answer(requests.post(server.admin + "/mocks/t/toggle", data=b"ignored"))
    assert (status, body["action"], body["id"], body["message"], body["mock"]["enabled"]) == (
        200, "toggled", "t", "Mock disabled", False,
    )  # fmt: skip
    assert list(body) == ["action", "id", "message", "mock"]
    assert get(server, "/t").status_code == 404
    body = requests.post(server.admin + "/mocks/t/toggle").json()
    assert (body["message"], body["mock"]["enabled"], get(server, "/t").status_code) == (
        "Mock enabled",
        True,
        200,
    )


# --- bulk -----------------------------------------------------------------------------------------------


def test_bulk_create(server: MockdProcess) -> None:
    batch = [http_mock("/b1", id="b1"), {"id": "b2", "matcher": {"path": "/b2"}, "response": {}, "enabled": True},
             {"http": {"matcher": {"path": "/b3"}, "response": {"statusCode": 204}}}]  # fmt: skip
    status, body = answer(requests.post(server.admin + "/mocks/bulk", json=batch))
    assert (status, list(body), body["created"], len(body["mocks"])) == (201, ["created", "mocks"], 3, 3)
    third = body["mocks"][2]["id"]
    assert ADMIN_ID.fullmatch(third)  # type inferred (http), admin-style id
    assert stamps(body["mocks"]) == [
        {"id": "b1", "type": "http", "metaSortKey": "<sort>", "createdAt": TS, "updatedAt": TS,
         "http": served("GET", "/b1")},
        {"id": "b2", "type": "http", "enabled": True, "metaSortKey": "<sort>", "createdAt": TS, "updatedAt": TS,
         "http": {"matcher": {"path": "/b2"}, "response": {"statusCode": 200, "body": ""}}},
        {"id": third, "type": "http", "metaSortKey": "<sort>", "createdAt": TS, "updatedAt": TS,
         "http": {"matcher": {"path": "/b3"}, "response": {"statusCode": 204, "body": ""}}},
    ]  # fmt: skip
    assert [get(server, p).status_code for p in ("/b1", "/b2", "/b3")] == [200, 200, 204]


@pytest.mark.parametrize(
    ("batch", "expected"),
    [
        ([http_mock("/ok1", id="ok1"), {"type": "http", "id": "bad", "http": {"matcher": {"path": "/x"},
                                                                               "response": {"statusCode": 42}}}],
         error(400, "validation_error", 'mock at index 1 (id="bad"): validation error on response.statusCode: '
                                        "statusCode must be between 100-599, got 42")),
        ([http_mock("/ok1", id="same"), http_mock("/ok2", id="same")],
         error(400, "duplicate_id", "duplicate mock ID 'same' at index 1")),
        ([http_mock("/ok1", id="ok1"), {"type": "http", "http": {"priority": "x"}}],
         error(400, "invalid_json", "Invalid JSON in request body")),
        ([http_mock("/ok1", id="ok1"), None], error(400, "validation_error", "mock at index 1: mock cannot be null")),
        ({"not": "a list"}, error(400, "invalid_json", "Invalid JSON in request body")),
        ([http_mock("/ok1", id="ok1"), http_mock("/ok2", id="existing")],
         error(409, "already_exists", "one or more mocks already exist")),
    ],
)  # fmt: skip
def test_failed_bulk_create_adds_nothing(
    server: MockdProcess, batch: object, expected: tuple[int, dict]
) -> None:
    create(server.admin, http_mock("/existing", id="existing", body="untouched"))
    assert answer(requests.post(server.admin + "/mocks/bulk", json=batch)) == expected
    assert ids(requests.get(server.admin + "/mocks")) == ["existing"]
    assert (get(server, "/ok1").status_code, get(server, "/existing").content) == (404, b"untouched")


def test_bulk_of_nothing(server: MockdProcess) -> None:
    for body in (b"[]", b"null"):
        assert answer(requests.post(server.admin + "/mocks/bulk", data=body)) == (
            201,
            {"created": 0, "mocks": []},
        )


def test_bulk_replace_overwrites_existing_ids(server: MockdProcess) -> None:
    create(server.admin, http_mock("/r", id="r", body="old"))
    create(server.admin, http_mock("/k", id="k"))
    get(server, "/r")
    r = requests.post(server.admin + "/mocks/bulk?replace=true", json=[http_mock("/r", id="r", body="new")])
    assert (r.status_code, r.json()["created"]) == (201, 1)
    assert (get(server, "/r").content, ids(requests.get(server.admin + "/mocks"))) == (b"new", ["k", "r"])
    assert requests.get(server.admin + "/mocks/r/verify").json()["callCount"] == 2  # same id, same counter


def test_bulk_error_message_names_a_generated_id_for_an_id_less_mock(server: MockdProcess) -> None:
    r = requests.post(server.admin + "/mocks/bulk", json=[{"type": "http", "http": {"response": {}}}])
    status, body = answer(r)
    match = re.fullmatch(r'mock at index 0 \(id="([^"]+)"\): (.*)', body["message"])
    assert match is not None, body
    assert (status, body["error"], match.group(2)) == (
        400, "validation_error", "validation error on http.matcher: matcher is required",
    )  # fmt: skip
    assert ADMIN_ID.fullmatch(match.group(1))


# --- ids the admin API could not address -----------------------------------------------------------------

SLASH_ID = "validation error on id: must not contain '/' (the admin API addresses mocks as /mocks/{id})"


def test_an_id_with_a_slash_is_refused_everywhere_a_mock_is_created(server: MockdProcess) -> None:
    # issue 12: {"id": "a/b"} got 201, then every /mocks/a%2Fb route was Go's text 404 (Granian decodes
    # %2F before routing), so only DELETE /mocks removed it
    admin = server.admin
    assert answer(requests.post(admin + "/mocks", json=http_mock("/s", id="a/b"))) == error(
        400, "validation_error", SLASH_ID
    )
    bulk = [http_mock("/ok", id="fine"), http_mock("/s", id="a/b")]
    assert answer(requests.post(admin + "/mocks/bulk", json=bulk)) == error(
        400, "validation_error", 'mock at index 1 (id="a/b"): ' + SLASH_ID
    )
    config = {"version": "1.0", "mocks": bulk}
    assert answer(requests.post(admin + "/config", json=config)) == error(
        400, "validation_error", 'mock at index 1 (id="a/b"): ' + SLASH_ID
    )
    assert requests.get(admin + "/mocks").json()["total"] == 0
    # PUT and PATCH take the id from the path, which holds no '/': a body id is overridden as before
    create(admin, http_mock("/p", id="p"))
    r = requests.put(admin + "/mocks/p", json=http_mock("/p2", id="x/y"))
    assert (r.status_code, r.json()["id"]) == (200, "p")


@pytest.mark.parametrize("mock_id", ["a.b", "app.js", "a%2Fb", "a?b", "a b", "é"])
def test_ids_with_other_reserved_characters_are_reachable_by_every_id_route(
    server: MockdProcess, mock_id: str
) -> None:
    create(server.admin, http_mock("/r", id=mock_id))
    quoted = server.admin + "/mocks/" + requests.utils.quote(mock_id, safe="")
    assert requests.get(quoted).json()["id"] == mock_id
    assert requests.post(quoted + "/toggle").status_code == 200
    assert requests.get(quoted + "/verify").status_code == 200
    assert requests.get(quoted + "/invocations").status_code == 200
    assert requests.delete(quoted + "/invocations").status_code == 200
    assert requests.delete(quoted).status_code == 204
    assert requests.get(server.admin + "/mocks").json()["total"] == 0
