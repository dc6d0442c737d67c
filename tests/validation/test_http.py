"""Per-mock request validation over real HTTP (reference §3.9): whole problem+json bodies, modes,
failStatus, locations, invalid JSON, what runs after a pass, and that rejected calls still count."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.harness import MockdProcess


def mock(mock_id: str, method: str, path: str, validation: dict[str, Any], **http: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"matcher": {"method": method, "path": path}, "validation": validation}
    spec.update(http or {"response": {"statusCode": 200, "body": '{"ok": true}'}})
    return {"id": mock_id, "type": "http", "http": spec}


CONTACT = {
    "fields": {
        "name": {"type": "string", "required": True},
        "email": {"type": "string", "format": "email", "required": True},
        "message": {"type": "string", "minLength": 10, "maxLength": 1000},
        "address.city": {"type": "string", "required": True},
        "items.sku": {"type": "string", "pattern": "^[A-Z]+-\\d{3}$"},
        "tags": {"type": "array", "maxItems": 2, "uniqueItems": True, "items": {"type": "string"}},
        "age": {"type": "integer", "min": 0, "exclusiveMax": 150},
        "status": {"enum": ["new", "open"]},
    }
}
CONFIG: dict[str, Any] = {
    "version": "1.0",
    "tables": [{"name": "users", "seedData": [{"id": "u1", "name": "Ann"}]}],
    "mocks": [
        mock("contact", "POST", "/api/contact", CONTACT),
        mock("warn", "POST", "/api/warn", {"mode": "warn", "required": ["name"], "fields": {"age": {"min": 0}}}),
        mock("permissive", "POST", "/api/permissive",
             {"mode": "permissive", "required": ["name"], "fields": {"age": {"min": 0}}}),
        mock("status", "POST", "/api/status", {"failStatus": 422, "required": ["name"]}),
        mock("where", "GET", "/api/orders/{orderId}", {
            "pathParams": {"orderId": {"pattern": "^ord_\\d+$", "message": "orderId looks like ord_123"}},
            "queryParams": {"page": {"type": "string", "pattern": "^\\d+$"}, "q": {"required": True}},
            "headers": {"X-Api-Key": {"required": True, "minLength": 8}},
        }),
        mock("templated", "POST", "/api/echo/{id}", {"required": ["name"]},
             response={"statusCode": 201, "body": '{"id": "{{request.pathParam.id}}", "name": "{{request.body.name}}"}',
                       "delayMs": 50}),
        mock("bound", "POST", "/api/users", {"fields": {"name": {"minLength": 2}}},
             statefulBinding={"table": "users", "action": "create"}),
        {"id": "pattern", "type": "http", "http": {
            "matcher": {"method": "GET", "pathPattern": "^/api/p/(?P<id>[^/]+)$"},
            "validation": {"pathParams": {"id": {"required": True}}},
            "response": {"statusCode": 200, "body": "p"}}},
        mock("modeonly", "POST", "/api/modeonly", {"mode": "strict", "failStatus": 418}),
        {"id": "plain", "type": "http", "http": {"matcher": {"method": "GET", "path": "/api/plain"},
                                                 "response": {"statusCode": 200, "body": "plain"}}},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from tests.harness import free_port

    path = Path(tmp_path_factory.mktemp("cfg")) / "mocks.json"
    path.write_text(json.dumps(CONFIG))
    proc = MockdProcess(["--config", str(path)], free_port(), free_port()).start()
    yield proc
    proc.stop()


@pytest.fixture
def call(server: MockdProcess) -> Callable[..., requests.Response]:
    def run(method: str, path: str, **kw: Any) -> requests.Response:
        return requests.request(method, server.url + path, timeout=10, **kw)

    return run


def problem(status: int, *errors: dict[str, Any]) -> dict[str, Any]:
    detail = errors[0]["message"] if len(errors) == 1 else f"{len(errors)} validation errors"
    return {"type": "validation_error", "title": "Request Validation Failed", "status": status,
            "detail": detail, "errors": list(errors)}  # fmt: skip


def required(field: str, location: str = "body") -> dict[str, Any]:
    return {"field": field, "location": location, "code": "required", "message": f"field '{field}' is required",
            "expected": "non-null value", "hint": f"Add the '{field}' field to your request {location}"}  # fmt: skip


def rejected(reply: requests.Response, status: int = 400) -> Any:
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"] == "application/problem+json"
    assert reply.text.endswith("}\n")  # Go's encoder
    return reply.json()


def test_every_body_rule_in_one_strict_rejection(call: Callable[..., requests.Response]):
    body = {"email": "not-an-email", "message": "short", "address": {}, "items": [{"sku": "AB-123"}, {"sku": "x"}],
            "tags": ["a", "a", 3], "age": 150, "status": "closed"}  # fmt: skip
    assert rejected(call("POST", "/api/contact", json=body)) == problem(
        400,
        required("name"),
        {"field": "email", "location": "body", "code": "format", "message": "must be a valid email",
         "received": "not-an-email", "expected": "format: email", "hint": "Example: user@example.com"},
        {"field": "message", "location": "body", "code": "min_length", "message": "must be at least 10 characters",
         "received": 5, "expected": ">= 10 characters", "hint": "Add more characters to 'message'"},
        required("address.city"),
        {"field": "items.sku", "location": "body", "code": "pattern",
         "message": "must match pattern '^[A-Z]+-\\d{3}$'", "received": "x", "expected": "pattern: ^[A-Z]+-\\d{3}$",
         "hint": "Ensure 'items.sku' matches the required format"},
        {"field": "tags", "location": "body", "code": "max_items", "message": "must have at most 2 items",
         "received": 3, "expected": "<= 2 items", "hint": "Remove some items from 'tags'"},
        {"field": "tags", "location": "body", "code": "unique_items", "message": "items must be unique",
         "received": "a", "expected": "unique items", "hint": "Remove duplicate values from 'tags'"},
        {"field": "tags[2]", "location": "body", "code": "type", "message": "expected type 'string'", "received": 3,
         "expected": "string", "hint": "Ensure 'tags[2]' is a valid string"},
        {"field": "age", "location": "body", "code": "exclusive_max", "message": "must be < 150", "received": 150,
         "expected": "< 150"},
        {"field": "status", "location": "body", "code": "enum", "message": "must be one of: new, open",
         "received": "closed", "expected": "one of: new, open", "hint": "Use an allowed value for 'status'"},
    )  # fmt: skip


def test_a_valid_request_gets_the_response(call: Callable[..., requests.Response]):
    body = {"name": "Ann", "email": "ann@example.com", "address": {"city": "Oslo"}, "age": 30.0}
    reply = call("POST", "/api/contact", json=body)
    assert (reply.status_code, reply.text) == (200, '{"ok": true}')


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"name=Ann", "invalid JSON: invalid character 'a' in literal null (expecting 'u')"),
     (b"[1]", "invalid JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"),
     (b'{"name": ', "invalid JSON: unexpected end of JSON input")],
)  # fmt: skip
def test_a_body_that_is_not_a_json_object_is_invalid_json(call: Any, body: bytes, message: str):
    error = {"field": "", "location": "body", "code": "invalid_json", "message": message,
             "hint": "Ensure your request body is valid JSON"}  # fmt: skip
    reply = call(
        "POST", "/api/status", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert rejected(reply, 422) == problem(422, error)


def test_no_body_or_json_null_skips_the_body_rules(call: Callable[..., requests.Response]):
    assert call("POST", "/api/status").status_code == 200
    assert call("POST", "/api/status", data=b"null").status_code == 200
    assert rejected(call("POST", "/api/status", json={}), 422) == problem(422, required("name"))


def test_warn_passes_everything(call: Callable[..., requests.Response]):
    reply = call("POST", "/api/warn", json={"age": -1})
    assert (reply.status_code, reply.text) == (200, '{"ok": true}')


def test_permissive_fails_only_on_required(call: Callable[..., requests.Response]):
    assert call("POST", "/api/permissive", json={"name": "x", "age": -1}).status_code == 200
    body = rejected(call("POST", "/api/permissive", json={"age": -1}))
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("name", "required"), ("age", "min")]


def test_path_query_and_header_locations(call: Callable[..., requests.Response]):
    reply = call("GET", "/api/orders/123", params={"page": "x"}, headers={"x-api-key": "short"})
    assert rejected(reply) == problem(
        400,
        {"field": "orderId", "location": "path", "code": "pattern", "message": "orderId looks like ord_123",
         "received": "123", "expected": "pattern: ^ord_\\d+$", "hint": "Ensure 'orderId' matches the required format"},
        {"field": "page", "location": "query", "code": "pattern", "message": "must match pattern '^\\d+$'",
         "received": "x", "expected": "pattern: ^\\d+$", "hint": "Ensure 'page' matches the required format"},
        required("q", "query"),
        {"field": "X-Api-Key", "location": "header", "code": "min_length", "message": "must be at least 8 characters",
         "received": 5, "expected": ">= 8 characters", "hint": "Add more characters to 'X-Api-Key'"},
    )  # fmt: skip
    ok = call("GET", "/api/orders/ord_1", params={"page": "2", "q": ""}, headers={"X-API-KEY": "12345678"})
    assert ok.status_code == 200
    missing = rejected(call("GET", "/api/orders/ord_1", params={"q": "x"}))
    assert missing["errors"] == [required("X-Api-Key", "header")]


def test_a_path_pattern_route_has_no_path_params(call: Callable[..., requests.Response]):
    # Go reads path params from matcher.path only; a pathPattern mock has none to validate
    assert rejected(call("GET", "/api/p/1"))["errors"] == [required("id", "path")]


def test_mode_and_fail_status_alone_validate_nothing(call: Callable[..., requests.Response]):
    assert call("POST", "/api/modeonly", data=b"not json").status_code == 200


def test_a_template_response_and_its_delay_run_after_validation(call: Callable[..., requests.Response]):
    started = time.monotonic()
    assert rejected(call("POST", "/api/echo/7", json={}))["errors"] == [required("name")]
    assert time.monotonic() - started < 0.05 + 0.2  # a rejection does not wait for the response's delay
    started = time.monotonic()
    reply = call("POST", "/api/echo/7", json={"name": "Ann"})
    assert time.monotonic() - started >= 0.05
    assert (reply.status_code, reply.json()) == (201, {"id": "7", "name": "Ann"})


def test_validation_runs_before_a_stateful_binding(
    call: Callable[..., requests.Response], server: MockdProcess
):
    bad = rejected(call("POST", "/api/users", json={"name": "A"}))
    assert [e["code"] for e in bad["errors"]] == ["min_length"]
    items = requests.get(server.admin + "/state/resources/users/items", timeout=10).json()
    assert [i["id"] for i in items["data"]] == ["u1"]  # nothing was created
    created = call("POST", "/api/users", json={"name": "Bob"})
    assert created.status_code == 201
    assert created.headers["content-type"] == "application/json"


def test_rejected_requests_count_as_calls_and_plain_mocks_are_untouched(call: Any, server: MockdProcess):
    before = requests.get(server.admin + "/mocks/status/verify", timeout=10).json()["callCount"]
    rejected(call("POST", "/api/status", json={}), 422)
    assert call("POST", "/api/status", json={"name": "x"}).status_code == 200
    after = requests.get(server.admin + "/mocks/status/verify", timeout=10).json()["callCount"]
    assert after == before + 2
    reply = call("GET", "/api/plain")
    assert (reply.status_code, reply.text) == (200, "plain")


def test_admin_created_mocks_are_validated_too(call: Any, server: MockdProcess):
    new = mock("adm", "PUT", "/api/adm", {"headers": {"X-Tenant": {"enum": ["a", "b"]}}})
    assert requests.post(server.admin + "/mocks", json=new, timeout=10).status_code == 201
    body = rejected(call("PUT", "/api/adm", headers={"X-Tenant": "c"}))
    assert [(e["location"], e["code"]) for e in body["errors"]] == [("header", "enum")]
    assert call("PUT", "/api/adm").status_code == 200  # not required
    bad = mock("adm2", "PUT", "/api/adm2", {"fields": {"a": {"minLength": "3"}}})
    reply = requests.post(server.admin + "/mocks", json=bad, timeout=10)
    assert (reply.status_code, reply.json()) == (400, {
        "error": "validation_error",
        "message": "validation error on http.validation.fields.a.minLength: expected an integer, got string",
    })  # fmt: skip
