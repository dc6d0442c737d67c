"""`compile_mock` / `compile_resource`: the admin API's view (reference §5.2, §5.5, §7)."""

from __future__ import annotations

import json
import re

import pytest

from mockd.compiler import MockValidationError, compile_mock, compile_resource

HTTP_OK = {"http": {"matcher": {"method": "GET", "path": "/x"}, "response": {"statusCode": 200}}}


def err(data, **kw):
    with pytest.raises(MockValidationError) as info:
        compile_mock(data, **kw)
    return (info.value.slug, info.value.go_message())


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # reference §7: POST /mocks without type => 400 missing_type "type is required"
        (json.dumps(HTTP_OK).encode(), ("missing_type", "type is required")),
        (b'{"type": "", "http": {}}', ("missing_type", "type is required")),
        # malformed JSON, a non-object, or a wrong type anywhere: Go's decoder fails => invalid_json
        (b'{"type": "http",', ("invalid_json", "Invalid JSON in request body")),
        (b"[1, 2]", ("invalid_json", "Invalid JSON in request body")),
        (b'{"type": "http", "http": {"matcher": {"path": "/x"}, "response": {"statusCode": "200"}}}',
         ("invalid_json", "Invalid JSON in request body")),
        (b'{"type": "http", "http": {"priority": 1.5}}', ("invalid_json", "Invalid JSON in request body")),
        (b'{"type": 5}', ("invalid_json", "Invalid JSON in request body")),
    ],
)  # fmt: skip
def test_admin_errors_use_go_slugs_and_messages(body, expected):
    assert err(body, id_style="admin") == expected


def test_config_style_infers_the_type_instead_of_requiring_it():
    compiled = compile_mock(json.dumps(HTTP_OK).encode(), id_style="config")
    assert compiled["mock"]["type"] == "http"
    assert re.fullmatch(r"http_[0-9a-f]{16}", compiled["mock"]["id"])


@pytest.mark.parametrize(
    ("mock_type", "spec", "prefix"),
    [
        ("http", HTTP_OK["http"], "http_"),
        ("websocket", {"path": "/ws"}, "websocket_"),
        ("graphql", {"path": "/g", "schema": "type Query { a: Int }"}, "graphql_"),
        ("mqtt", {"port": 1883}, "mqtt_"),
    ],
)
def test_admin_ids_spell_the_type_in_full(mock_type, spec, prefix):
    # reference §2.6: admin ids are "<type>_" + 16 hex, type spelled in full
    compiled = compile_mock({"type": mock_type, mock_type: spec}, id_style="admin")
    assert re.fullmatch(re.escape(prefix) + "[0-9a-f]{16}", compiled["mock"]["id"])


def test_admin_ids_are_random():
    ids = {compile_mock({"type": "http", **HTTP_OK}, id_style="admin")["mock"]["id"] for _ in range(20)}
    assert len(ids) == 20


def test_given_id_is_kept():
    assert compile_mock({"id": "mine", "type": "http", **HTTP_OK}, id_style="admin")["mock"]["id"] == "mine"


def test_legacy_bare_shape_becomes_a_disabled_http_mock():
    # reference §2.3: top-level matcher, no type, no http => http mock; `enabled` false when absent (quirk)
    body = b'{"id": "old", "matcher": {"path": "/old"}, "response": {"statusCode": 201, "body": {"a": 1}}, ' \
           b'"priority": 4}'  # fmt: skip
    compiled = compile_mock(body, id_style="admin")
    assert compiled["mock"] == {
        "id": "old",
        "type": "http",
        "enabled": False,
        "createdAt": None,
        "updatedAt": None,
        "http": {
            "priority": 4,
            "matcher": {"path": "/old"},
            "response": {"statusCode": 201, "body": '{"a": 1}'},
        },
    }
    assert compiled["enabled"] is False


def test_legacy_shape_with_enabled_true_is_enabled():
    compiled = compile_mock({"matcher": {"path": "/old"}, "response": {}, "enabled": True}, id_style="admin")
    assert (compiled["enabled"], compiled["mock"]["enabled"]) == (True, True)


def test_legacy_shape_errors_name_go_fields():
    assert err({"matcher": {"path": "old"}, "response": {}}, id_style="admin") == (
        "validation_error",
        "validation error on matcher.path: path must start with /",
    )


def test_legacy_detection_needs_matcher_and_no_http():
    # `matcher` beside `http` is not the legacy shape: an unknown key, and `type` is then required
    assert err({"matcher": {"path": "/x"}, "http": HTTP_OK["http"]}, id_style="admin") == (
        "missing_type",
        "type is required",
    )


def test_json_keys_match_case_insensitively_like_go():
    body = b'{"Type": "http", "HTTP": {"Matcher": {"PATH": "/x"}, "Response": {"StatusCode": 201}}}'
    mock = compile_mock(body, id_style="admin")["mock"]
    assert mock["http"] == {"matcher": {"path": "/x"}, "response": {"statusCode": 201, "body": ""}}


def test_null_leaves_an_earlier_case_variant_in_place():
    # Go decodes "Path" then "path": null into the same field; null is a no-op, so "/x" stays
    body = b'{"type": "http", "http": {"matcher": {"Path": "/x", "path": null}, "response": {}}}'
    assert compile_mock(body, id_style="admin")["mock"]["http"]["matcher"] == {"path": "/x"}


def test_folder_id_is_copied_to_parent_id_and_not_echoed():
    mock = compile_mock({"type": "http", "folderId": "fld_1", **HTTP_OK}, id_style="admin")["mock"]
    assert (mock["parentId"], "folderId" in mock) == ("fld_1", False)


def test_admin_mock_is_served_exactly_as_go_shapes_it():
    # reference §12.2: Go field order, omitempty, maps sorted, body a string, statusCode always present
    body = (
        b'{"id": "user-by-id", "type": "http", "name": "User", "enabled": true, "metaSortKey": -5.0,'
        b' "http": {"priority": 5, "matcher": {"method": "get", "path": "/api/users/{id}",'
        b' "headers": {"X-B": "2", "Authorization": "Bearer *"}, "bodyJsonPath": {"$.n": 1.0}},'
        b' "response": {"headers": {"X-Trace": "{{uuid}}"}, "body": "hi", "delayMs": 50, "seed": 0}}}'
    )
    mock = compile_mock(body, id_style="admin")["mock"]
    assert json.dumps(mock) == json.dumps(
        {
            "id": "user-by-id",
            "type": "http",
            "name": "User",
            "enabled": True,
            "metaSortKey": -5,
            "createdAt": None,
            "updatedAt": None,
            "http": {
                "priority": 5,
                "matcher": {
                    "method": "get",
                    "path": "/api/users/{id}",
                    "headers": {"Authorization": "Bearer *", "X-B": "2"},
                    "bodyJsonPath": {"$.n": 1},
                },
                "response": {"statusCode": 200, "headers": {"X-Trace": "{{uuid}}"}, "body": "hi",
                             "delayMs": 50,
                             "seed": 0},
            },
        }
    )  # fmt: skip


def test_admin_mqtt_mock_is_served_on_its_own_port_without_route():
    compiled = compile_mock({"type": "mqtt", "mqtt": {"port": 1883}}, id_style="admin")
    assert (compiled["route"], compiled["action"]) == (
        None,
        {"kind": "protocol", "protocol": "mqtt", "spec": {"listenPort": 1883, "mqtt": {"port": 1883}}},
    )


def test_admin_websocket_mock_is_served_at_its_upgrade_path():
    compiled = compile_mock({"type": "websocket", "websocket": {"path": "/ws"}}, id_style="admin")
    assert (compiled["route"], compiled["action"]) == (
        None,
        {
            "kind": "protocol",
            "protocol": "websocket",
            "spec": {"upgradePath": "/ws", "websocket": {"path": "/ws"}},
        },
    )


def test_source_is_passed_through():
    assert compile_mock({"type": "http", **HTTP_OK}, id_style="admin", source=2)["source"] == 2


# ------------------------------------------------------------------------------------ POST /state/resources


def test_compile_resource_applies_defaults():
    assert compile_resource(b'{"name": "users", "seedData": [{"id": 1, "name": "a"}]}') == {
        "name": "users",
        "idField": "id",
        "idStrategy": "uuid",
        "idPrefix": "",
        "parentField": "",
        "maxItems": 0,
        "seedData": [{"id": 1, "name": "a"}],
        "basePath": None,
        "response": None,
        "validation": None,
        "relationships": None,
        "source": -1,
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"idField": "sku"}', ("validation_error", "resource name is required")),
        (b"{", ("invalid_json", "Invalid JSON in request body")),
        (b'{"name": "u", "maxItems": "ten"}', ("invalid_json", "Invalid JSON in request body")),
        # Go answers registration failures with 400 registration_failed (D1: 1 and "1" are the same id)
        (b'{"name": "u", "seedData": [{"id": 1}, {"id": "1"}]}',
         ("registration_failed", 'duplicate ID "1" in seed data at index 1 (first at index 0)')),
        (b'{"name": "u", "basePath": "api/u"}',
         ("registration_failed", "resource basePath must start with /")),
    ],
)  # fmt: skip
def test_compile_resource_errors(body, expected):
    with pytest.raises(MockValidationError) as info:
        compile_resource(body)
    assert (info.value.slug, info.value.go_message()) == expected


def test_path_id_wins_over_the_body_id():
    # reference §5.2 PUT /mocks/{id}: the id from the path wins; raw body text is kept
    raw = b'{"id": "body-id", "type": "http", "http": {"matcher": {"path": "/x"}, "response": {"body": [1, 2]}}}'
    mock = compile_mock(raw, id_style="admin", mock_id="path-id")["mock"]
    assert (mock["id"], mock["http"]["response"]["body"]) == ("path-id", "[1, 2]")
