"""Resource `validation` (reference §4.2 last paragraph, §4.6, §2.7) in both generations: legacy basePath
resources answer problem+json with per-field errors (path params too); bound mocks answer the detail-free
`validation failed` (or the `errors` transform's shape). onCreate/onUpdate, modes and `auto`."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.state.configs import bound
from tests.state.conftest import Server

USERS_RULES = {
    "required": ["name"],
    "fields": {"email": {"type": "string", "format": "email"}, "name": {"minLength": 2}},
    "onCreate": {"required": ["email"]},
    "onUpdate": {"fields": {"name": {"minLength": 5}}},
}
RESOURCES: list[dict[str, Any]] = [
    {"name": "users", "seedData": [{"id": "u1", "name": "Ann", "email": "ann@x.io"}], "validation": USERS_RULES},
    {"name": "posts", "parentField": "userId", "seedData": [{"id": "p1", "userId": "u1"}],
     "validation": {"pathParams": {"userId": {"pattern": "^u\\d+$"}}}},
    {"name": "notes", "validation": {"mode": "warn", "required": ["text"]}},
    {"name": "tags", "validation": {"mode": "permissive", "required": ["label"], "fields": {"label": {"maxLength": 3}, "code": {"maxLength": 2}}}},
    {"name": "auto", "seedData": [{"id": "a1", "title": "Hello", "score": 3}], "validation": {"auto": True}},
    {"name": "shaped", "validation": {"required": ["x"]},
     "response": {"errors": {"wrap": "error", "fields": {"message": "message", "code": "code"},
                             "codeMap": {"VALIDATION_ERROR": "invalid_request"}}}},
]  # fmt: skip
BASES = {"users": "/api/users", "posts": "/api/users/:userId/posts", "notes": "/api/notes", "tags": "/api/tags",
         "auto": "/api/auto", "shaped": "/api/shaped"}  # fmt: skip


def legacy() -> dict[str, Any]:
    resources = copy.deepcopy(RESOURCES)
    for r in resources:
        r["basePath"] = BASES[r["name"]]
    return {"version": "1.0", "statefulResources": resources}


def current() -> dict[str, Any]:
    mocks = []
    for r in RESOURCES:
        name = r["name"]
        path = BASES[name].replace(":userId", "{userId}")
        mocks += [
            bound(f"{name}-create", "POST", path, name, "create"),
            bound(f"{name}-list", "GET", path, name, "list"),
            bound(f"{name}-update", "PUT", path + "/{id}", name, "update"),
            bound(f"{name}-patch", "PATCH", path + "/{id}", name, "patch"),
            bound(f"{name}-get", "GET", path + "/{id}", name, "get"),
        ]
    return {"version": "1.0", "statefulResources": copy.deepcopy(RESOURCES), "mocks": mocks}


@pytest.fixture(scope="module", params=["legacy", "current"])
def server(request: pytest.FixtureRequest, start: Any) -> Server:
    gen = request.param
    return start(legacy() if gen == "legacy" else current(), "yaml", gen)


def required(field: str, location: str = "body") -> dict[str, Any]:
    return {"field": field, "location": location, "code": "required", "message": f"field '{field}' is required",
            "expected": "non-null value", "hint": f"Add the '{field}' field to your request {location}"}  # fmt: skip


def min_length(field: str, limit: int, actual: int) -> dict[str, Any]:
    return {"field": field, "location": "body", "code": "min_length",
            "message": f"must be at least {limit} characters", "received": actual,
            "expected": f">= {limit} characters", "hint": f"Add more characters to '{field}'"}  # fmt: skip


def problem(*errors: dict[str, Any]) -> dict[str, Any]:
    detail = errors[0]["message"] if len(errors) == 1 else f"{len(errors)} validation errors"
    return {"type": "validation_error", "title": "Request Validation Failed", "status": 400, "detail": detail,
            "errors": list(errors)}  # fmt: skip


def refused(
    srv: Server, method: str, path: str, body: Any, errors: list[dict[str, Any]], item_id: str = ""
) -> None:
    """Legacy: problem+json with the errors; current: Go's detail-free 400."""
    reply = srv.call(method, path, json=body)
    assert reply.status_code == 400, reply.text
    if srv.legacy:
        assert reply.headers["content-type"] == "application/problem+json"
        assert reply.json() == problem(*errors)
    else:
        resource = "posts" if path.endswith("/posts") else path.split("/")[2]
        expected: dict[str, Any] = {"error": "validation failed", "resource": resource}
        if item_id:
            expected["id"] = item_id
        expected["statusCode"] = 400
        assert reply.headers["content-type"] == "application/json"
        assert reply.json() == expected


def test_on_create_adds_to_the_shared_rules(server: Server):
    refused(server, "POST", "/api/users", {"name": "A"}, [required("email"), min_length("name", 2, 1)])
    assert server.call("POST", "/api/users", json={"name": "Al", "email": "al@x.io"}).status_code == 201


def test_on_update_overrides_a_shared_field_rule(server: Server):
    refused(server, "PUT", "/api/users/u1", {"name": "Anna"}, [min_length("name", 5, 4)], "u1")
    refused(server, "PATCH", "/api/users/u1", {}, [required("name")], "u1")
    reply = server.call("PUT", "/api/users/u1", json={"name": "Annabel"})  # onCreate's email is not required
    assert (reply.status_code, reply.json()["name"]) == (200, "Annabel")


def test_validation_comes_before_the_item_lookup(server: Server):
    refused(server, "PUT", "/api/users/ghost", {}, [required("name")], "ghost")
    assert server.call("PUT", "/api/users/ghost", json={"name": "Someone"}).status_code == 404


def test_a_bad_body_is_refused_before_validation(server: Server):
    reply = server.call("POST", "/api/users", data=b"{")
    assert reply.status_code == 400
    assert reply.json()["error"].startswith(
        "invalid request body: " if server.legacy else "invalid JSON body: "
    )


def test_path_params(server: Server):
    created = server.call("POST", "/api/users/u2/posts", json={})
    assert (created.status_code, created.json()["userId"]) == (201, "u2")
    bad = {"field": "userId", "location": "path", "code": "pattern", "message": "must match pattern '^u\\d+$'",
           "received": "x9", "expected": "pattern: ^u\\d+$", "hint": "Ensure 'userId' matches the required format"}  # fmt: skip
    refused(server, "POST", "/api/users/x9/posts", {}, [bad])
    listed = server.call("GET", "/api/users/x9/posts")
    if server.legacy:  # v0.5 checked path params before every method
        assert (listed.status_code, listed.json()) == (400, problem(bad))
    else:  # bindings validate only create/update/patch
        assert listed.status_code == 200


def test_warn_mode_lets_everything_through(server: Server):
    reply = server.call("POST", "/api/notes", json={})
    assert reply.status_code == 201  # (v0.5 answered an empty 200 here: a bug not kept)
    assert set(reply.json()) == {"id", "createdAt", "updatedAt"}


def test_permissive_mode_refuses_only_missing_required(server: Server):
    assert server.call("POST", "/api/tags", json={"label": "long"}).status_code == 201
    code = {"field": "code", "location": "body", "code": "max_length", "message": "must be at most 2 characters",
            "received": 4, "expected": "<= 2 characters", "hint": "Reduce the length of 'code'"}  # fmt: skip
    # a refusal lists every error, not only the required ones
    refused(server, "POST", "/api/tags", {"code": "long"}, [required("label"), code])


def test_auto_infers_rules_from_the_seed(server: Server):
    # Go's inference bounds strings by the seed's lengths (5 here) and numbers by its values (3)
    assert server.call("POST", "/api/auto", json={"title": "Howdy", "score": 3}).status_code == 201
    refused(server, "POST", "/api/auto", {"title": "Hi"}, [
        required("score"),
        min_length("title", 5, 2),
        required("score"),
    ])  # fmt: skip


def test_the_errors_transform_reshapes_validation_failures(server: Server):
    reply = server.call("POST", "/api/shaped", json={})
    assert reply.status_code == 400
    if server.legacy:
        assert reply.json() == problem(required("x"))
    else:  # code VALIDATION_ERROR, as Go maps a 400
        assert reply.json() == {"error": {"code": "invalid_request", "message": "validation failed"}}


def test_admin_item_creation_bypasses_validation(server: Server):
    reply = server.admin("POST", "/state/resources/users/items", json={})
    assert reply.status_code == 201
