"""Stateful resources: legacy statefulResources/basePath, tables, extend (mockd-reference §2.7, §4.6)."""

from __future__ import annotations

import pytest

from mockd.compiler import compile_resource
from mockd.plan import legacy_routes, resource_routes
from mockd.plan.model import resource_spec, route_spec

from .helpers import compile_text, problems

OK = "http: {matcher: {method: GET, path: /api/users}, response: {statusCode: 200}}"


def test_legacy_resource_from_the_integration_guide(tmp_path):
    # the seed guide's own example: no version (D9), basePath (legacy), string seed ids
    text = """
        {"statefulResources": [{"name": "users", "basePath": "/api/users", "idField": "id",
          "seedData": [{"id": "1", "name": "Test User", "email": "test@example.com"}]}]}
        """
    plan = compile_text(tmp_path, text, "test-mocks.json").plan
    assert plan["resources"] == [
        resource_spec(
            name="users",
            seedData=[{"id": "1", "name": "Test User", "email": "test@example.com"}],
            basePath="/api/users",
            source=0,
        )
    ]


def test_resource_options_and_response_transform_are_kept(tmp_path):
    text = """
        statefulResources:
          - name: orders
            idField: sku
            idStrategy: prefix
            idPrefix: ord_
            parentField: userId
            maxItems: 10
            validation: {mode: warn, required: [sku]}
            relationships: {userId: {table: users}}
            response:
              list: {format: array, dataField: items}
              fields: {hide: [secret]}
        """
    [resource] = compile_text(tmp_path, text).plan["resources"]
    assert resource == resource_spec(
        name="orders",
        idField="sku",
        idStrategy="prefix",
        idPrefix="ord_",
        parentField="userId",
        maxItems=10,
        validation={"mode": "warn", "required": ["sku"]},
        relationships={"userId": {"table": "users"}},
        response={"list": {"format": "array", "dataField": "items"}, "fields": {"hide": ["secret"]}},
        source=0,
    )


def test_list_format_must_be_envelope_or_array(tmp_path):
    # D8
    assert problems(tmp_path, "statefulResources:\n  - name: u\n    response: {list: {format: bare}}\n") == [
        "mocks.yaml:3:31: statefulResources[0].response.list.format: "
        'list.format must be "envelope" or "array", '
        'got "bare"'
    ]


def test_duplicate_seed_ids_are_a_load_error_comparing_string_forms(tmp_path):
    # deliberate improvement: Go only logs and drops the resource; D1: 1 and "1" are the same id
    text = """
        statefulResources:
          - name: users
            seedData:
              - {id: 1, name: a}
              - {name: no-id}
              - {id: "1", name: b}
        tables:
          - name: skus
            idField: sku
            seedData: [{sku: A}, {sku: A}]
        """
    assert problems(tmp_path, text) == [
        'mocks.yaml:6:14: statefulResources[0].seedData[2].id: duplicate ID "1" in seed data at index 2 '
        "(first at index 0)",
        'mocks.yaml:10:32: tables[0].seedData[1].sku: duplicate ID "A" in seed data at index 1 '
        "(first at index 0)",
    ]


def test_base_path_must_start_with_a_slash(tmp_path):
    assert problems(tmp_path, "statefulResources:\n  - name: u\n    basePath: api/u\n") == [
        "mocks.yaml:3:15: statefulResources[0].basePath: resource basePath must start with /"
    ]


def test_unnamed_and_duplicate_resources_are_skipped_with_warnings(tmp_path):
    # Go: registration fails (logged) and startup continues without that resource
    text = "statefulResources:\n  - {idField: x}\n  - {name: u}\ntables:\n  - {name: u}\n"
    result = compile_text(tmp_path, text)
    assert [r["name"] for r in result.plan["resources"]] == ["u"]
    assert [d.render().replace(f"{tmp_path}/", "") for d in result.warnings] == [
        "mocks.yaml:2:5: statefulResources[0]: warning: resource name cannot be empty: "
        "the resource is skipped, "
        "as by the Go tool",
        'mocks.yaml:5:5: tables[0]: warning: resource "u" is already defined at mocks.yaml:3:5: '
        "this definition "
        "is skipped, as by the Go tool",
    ]


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ("[{name: t}, {name: t}]", 'mocks.yaml:2:28: tables[1].name: table "t": duplicate name'),
        ("[{idField: x}]", "mocks.yaml:2:10: tables[0].name: table: name is required"),
    ],
)
def test_table_errors(tmp_path, tables, message):
    assert problems(tmp_path, f"mocks: []\ntables: {tables}\n") == [message]


def test_table_validation_is_dropped_with_a_warning(tmp_path):
    result = compile_text(tmp_path, "tables:\n  - name: t\n    validation: {required: [a]}\n")
    assert result.plan["resources"][0]["validation"] is None
    assert [d.slug for d in result.warnings] == ["table_validation_ignored"]


EXTEND_MOCKS = """
mocks:
  - id: list-users
    operationId: ListUsers
    http: {matcher: {method: get, path: /api/users}, response: {statusCode: 200, body: static}}
  - id: get-user
    http: {matcher: {method: GET, path: "/api/users/{id}"}, response: {statusCode: 200}}
  - id: archive
    http: {matcher: {method: POST, path: "/api/users/{id}/archive"}, response: {statusCode: 200}}
tables:
  - name: users
    response: {list: {format: array}}
"""


def test_extend_binds_by_operation_id_method_path_and_mock_id(tmp_path):
    text = (
        EXTEND_MOCKS
        + """extend:
  - {mock: ListUsers, table: users, action: list, response: {fields: {hide: [pw]}}}
  - {mock: "GET /api/users/{id}", table: users, action: get}
  - {mock: archive, table: users, action: custom, operation: Archive}
"""
    )
    plan = compile_text(tmp_path, text).plan
    actions = [m["action"] for m in plan["mocks"]]
    assert actions == [
        {"kind": "binding", "table": "users", "action": "list", "operation": None,
         "response": {"fields": {"hide": ["pw"]}}},
        {"kind": "binding", "table": "users", "action": "get", "operation": None},
        {"kind": "binding", "table": "users", "action": "custom", "operation": "Archive"},
    ]  # fmt: skip
    # the bound mock loses its static response and shows the binding, as the Go admin API does
    assert plan["mocks"][0]["mock"]["http"] == {
        "matcher": {"method": "get", "path": "/api/users"},
        "statefulBinding": {"table": "users", "action": "list"},
    }
    assert plan["resources"][0]["response"] == {"list": {"format": "array"}}


@pytest.mark.parametrize(
    ("binding", "message"),
    [
        ("{table: users, action: list}",
         "mocks.yaml:13:5: extend[0].mock: extend: mock reference is required"),
        ("{mock: ListUsers, action: list}",
         'mocks.yaml:13:5: extend[0].table: extend "ListUsers": table is required'),
        ("{mock: ListUsers, table: users}",
         'mocks.yaml:13:5: extend[0].action: extend "ListUsers": action is required'),
        ("{mock: ListUsers, table: nope, action: list}",
         'mocks.yaml:13:30: extend[0].table: extend "ListUsers": table "nope" not found'),
        ("{mock: DELETE /api/users, table: users, action: delete}",
         'mocks.yaml:13:12: extend[0].mock: extend "DELETE /api/users": mock not found (checked operationId, '
         "METHOD /path and mock id)"),
        ("{mock: ListUsers, table: users, action: custom}",
         "mocks.yaml:13:5: extend[0].operation: "
         "extend \"ListUsers\": action 'custom' requires an operation name"),
    ],
)  # fmt: skip
def test_extend_errors_use_go_messages_with_positions(tmp_path, binding, message):
    assert problems(tmp_path, EXTEND_MOCKS + f"extend:\n  - {binding}\n") == [message]


def test_extend_to_a_non_http_mock(tmp_path):
    text = (
        "mocks:\n  - {id: ws, websocket: {path: /ws}}\n"
        "tables: [{name: t}]\nextend:\n  - {mock: ws, table: t, action: list}\n"
    )
    assert problems(tmp_path, text)[0] == (
        'mocks.yaml:5:12: extend[0].mock: extend "ws": mock is not an HTTP mock'
    )


def test_extend_without_tables_is_ignored_with_a_warning(tmp_path):
    # Go only processes extend when tables is non-empty
    text = f"mocks:\n  - id: a\n    {OK}\nextend:\n  - {{mock: a, table: t, action: list}}\n"
    result = compile_text(tmp_path, text)
    assert result.plan["mocks"][0]["action"]["kind"] == "response"
    assert [d.slug for d in result.warnings] == ["extend_without_tables"]


def test_binding_to_an_undefined_table_is_a_warning(tmp_path):
    text = "mocks:\n  - http: {matcher: {path: /x}, statefulBinding: {table: ghosts, action: list}}\n"
    assert [d.slug for d in compile_text(tmp_path, text).warnings] == ["unknown_table"]


@pytest.mark.parametrize(
    ("base_path", "collection", "item"),
    [
        ("/api/users", "/api/users", "/api/users/{id}"),
        ("/api/users/:userId/orders", "/api/users/{userId}/orders", "/api/users/{userId}/orders/{id}"),
        ("/api/:id/notes", "/api/{id}/notes", "/api/{id}/notes/{_id}"),  # the item param never shadows one
        ("/v:version/items", "/v{version}/items", "/v{version}/items/{id}"),
    ],
)
def test_legacy_base_path_routes(base_path, collection, item):
    # reference §4.6: collection and item routes, any method, strict, tier 1 so explicit mocks win ties (D3)
    resource = compile_resource({"name": "users", "basePath": base_path})
    assert resource_routes(resource) == [
        (route_spec(id="stateful:users", path=collection, strict=True, tier=1, captures=True),
         {"kind": "resource", "resource": "users", "role": "collection"}),
        (route_spec(id="stateful:users", path=item, strict=True, tier=1, captures=True),
         {"kind": "resource", "resource": "users", "role": "item"}),
    ]  # fmt: skip


def test_resources_without_base_path_have_no_routes():
    assert resource_routes(compile_resource({"name": "users"})) == []


def test_legacy_routes_longest_base_path_first_then_by_name():
    # v0.5 resolution order: it breaks ties between legacy routes; runtime and `--explain` share it
    resources = [compile_resource({"name": n, "basePath": b}) for n, b in
                 [("b", "/api/x"), ("plain", None), ("a", "/api/y"), ("deep", "/api/x/:xId/z")]]  # fmt: skip
    assert [(s["path"], a["resource"], a["role"]) for s, a in legacy_routes(resources)] == [
        ("/api/x/{xId}/z", "deep", "collection"),
        ("/api/x/{xId}/z/{id}", "deep", "item"),
        ("/api/y", "a", "collection"),
        ("/api/y/{id}", "a", "item"),
        ("/api/x", "b", "collection"),
        ("/api/x/{id}", "b", "item"),
    ]


def test_unknown_id_strategy_warns(tmp_path):
    result = compile_text(tmp_path, "statefulResources:\n  - {name: u, idStrategy: uuidv4}\n")
    assert [d.message for d in result.warnings] == [
        "unknown idStrategy 'uuidv4': ids are generated as uuid, as by the Go tool. Did you mean 'uuid'?"
    ]
