"""Collection-level behaviour: versions (D9), type inference and ids, unknown keys, merging several files."""

from __future__ import annotations

import re

import pytest

from mockd.compiler import ConfigError, compile_files

from .helpers import compile_text, problems, write

OK = "http: {matcher: {path: /x}, response: {statusCode: 200}}"


@pytest.mark.parametrize(
    "version", ["", "version: '1.0'\n", "version: 1.0\n", "version: null\n", "version: ''\n"]
)
def test_missing_or_1_0_version_loads(tmp_path, version):
    # D9: no version loads as "1.0"; YAML `1.0` unquoted is the string "1.0" for yaml.v3
    assert problems(tmp_path, f"{version}mocks:\n  - {OK}\n") == []


@pytest.mark.parametrize(("version", "shown"), [("'2.0'", "2.0"), ("1", "1"), ("1.00", "1.00")])
def test_other_versions_are_refused_with_the_go_message(tmp_path, version, shown):
    # reference §2.2 / §7: validation error on version: unsupported version: X (expected 1.0)
    assert problems(tmp_path, f"version: {version}\n") == [
        f"mocks.yaml:1:10: version: unsupported version: {shown} (expected 1.0)"
    ]


def test_json_number_version_is_a_type_error(tmp_path):
    # reference §2.2: JSON number 1.0 fails decoding in Go
    assert problems(tmp_path, '{"version": 1.0}', "m.json") == [
        "m.json:1:13: version: expected a string, got a number"
    ]


@pytest.mark.parametrize(
    ("spec", "mock_type", "prefix"),
    [
        ("http: {matcher: {path: /x}, response: {}}", "http", "http_"),
        ("websocket: {path: /ws}", "websocket", "ws_"),
        ("graphql: {path: /g, schema: 'type Query { a: Int }'}", "graphql", "gql_"),
        ("grpc: {port: 50051, protoContent: \"syntax = 'proto3';\"}", "grpc", "grpc_"),
        ("soap: {path: /soap}", "soap", "soap_"),
        ("mqtt: {port: 1883}", "mqtt", "mqtt_"),
        ("oauth: {issuer: 'http://x/o', clients: [{clientId: c}]}", "oauth", "oauth_"),
    ],
)
def test_type_is_inferred_and_config_ids_use_short_prefixes(tmp_path, spec, mock_type, prefix):
    # reference §2.1 step 7 and §2.6
    [compiled] = compile_text(tmp_path, f"mocks:\n  - {spec}\n").plan["mocks"]
    assert compiled["mock"]["type"] == mock_type
    assert re.fullmatch(re.escape(prefix) + "[0-9a-f]{16}", compiled["mock"]["id"])


def test_a_mock_without_any_spec_is_an_http_mock_missing_its_spec(tmp_path):
    assert problems(tmp_path, "mocks:\n  - name: nothing\n") == [
        "mocks.yaml:2:5: mocks[0].http: http spec is required for HTTP mocks"
    ]


def test_generated_config_ids_are_stable_across_compiles(tmp_path):
    path = write(tmp_path, f"mocks:\n  - {OK}\n  - {OK}\n")
    first = [m["mock"]["id"] for m in compile_files([path], env={}).plan["mocks"]]
    second = [m["mock"]["id"] for m in compile_files([path], env={}).plan["mocks"]]
    assert first == second
    assert first[0] != first[1]


def test_unknown_keys_are_warnings_with_suggestions(tmp_path):
    # the Go tool ignores unknown keys: files keep loading, but typos are pointed out (style point 9)
    text = """
        version: "1.0"
        mokcs: []
        mocks:
          - id: a
            htttp: {}
            http:
              matcher: {path: /x, metod: GET}
              response: {statuscode: 201, body: ok, colour: red}
        """
    assert problems(tmp_path, text) == [
        "mocks.yaml:2:1: mokcs: warning: unknown key 'mokcs' is ignored. Did you mean 'mocks'?",
        "mocks.yaml:5:5: mocks[0].htttp: warning: unknown key 'htttp' is ignored. Did you mean 'http'?",
        "mocks.yaml:7:27: mocks[0].http.matcher.metod: warning: unknown key 'metod' is ignored. "
        "Did you mean 'method'?",
        "mocks.yaml:8:18: mocks[0].http.response.statuscode: warning: unknown key 'statuscode' is ignored. "
        "Did you mean 'statusCode'?",
        "mocks.yaml:8:45: mocks[0].http.response.colour: warning: unknown key 'colour' is ignored",
    ]


def test_unknown_key_warnings_keep_the_misspelt_value_out(tmp_path):
    # `statuscode: 201` is ignored, so the status is the D7 default, not 201
    text = "mocks:\n  - http: {matcher: {path: /x}, response: {statuscode: 201}}\n"
    [compiled] = compile_text(tmp_path, text).plan["mocks"]
    assert compiled["action"]["response"]["status"] == 200


def test_yaml_scalars_in_string_fields_keep_their_text(tmp_path):
    text = """
        mocks:
          - id: 42
            name: 1.50
            http:
              matcher: {path: /x, headers: {X-Flag: TRUE, X-Num: 0x1F}, queryParams: {at: 2024-01-15}}
              response: {statusCode: 200, headers: {X-Null: null}}
        """
    [compiled] = compile_text(tmp_path, text).plan["mocks"]
    mock = compiled["mock"]
    assert (mock["id"], mock["name"]) == ("42", "1.50")
    assert mock["http"]["matcher"]["headers"] == {"X-Flag": "TRUE", "X-Num": "0x1F"}
    assert mock["http"]["matcher"]["queryParams"] == {"at": "2024-01-15"}
    assert mock["http"]["response"]["headers"] == {"X-Null": ""}


@pytest.mark.parametrize(
    ("value", "enabled"), [("yes", True), ("off", False), ("true", True), ("null", True)]
)
def test_yaml_bool_fields_accept_yaml_1_1_words(tmp_path, value, enabled):
    # yaml.v3 decodes yes/no/on/off into a typed bool; null means "not set", i.e. enabled
    text = f"mocks:\n  - enabled: {value}\n    {OK}\n"
    assert compile_text(tmp_path, text).plan["mocks"][0]["enabled"] is enabled


def test_json_string_where_an_integer_is_expected_is_an_error(tmp_path):
    text = '{"mocks": [{"http": {"matcher": {"path": "/x"}, "response": {"statusCode": "200"}}}]}'
    assert problems(tmp_path, text, "m.json") == [
        "m.json:1:76: mocks[0].http.response.statusCode: expected an integer, got a string"
    ]


def test_legacy_shape_in_a_json_file_warns_that_it_is_disabled(tmp_path):
    text = '{"mocks": [{"id": "old", "matcher": {"path": "/x"}, "response": {"statusCode": 200}}]}'
    result = compile_text(tmp_path, text, "m.json")
    assert result.plan["mocks"][0]["enabled"] is False
    assert [d.slug for d in result.warnings] == ["legacy_disabled"]


def test_legacy_shape_is_json_only(tmp_path):
    # reference §2.3: YAML mocks with a top-level matcher are not converted (the keys are unknown)
    text = "mocks:\n  - id: old\n    matcher: {path: /x}\n"
    assert problems(tmp_path, text) == [
        "mocks.yaml:2:5: mocks[0].http: http spec is required for HTTP mocks",
        "mocks.yaml:3:5: mocks[0].matcher: warning: unknown key 'matcher' is ignored",
    ]


def test_several_files_merge_and_duplicate_ids_name_both_files(tmp_path):
    a = write(tmp_path, f"mocks:\n  - id: shared\n    {OK}\nstatefulResources: [{{name: users}}]\n", "a.yaml")
    b = write(
        tmp_path, '{"mocks": [{"id": "b", "http": {"matcher": {"path": "/b"}, "response": {}}}]}', "b.json"
    )
    plan = compile_files([a, b], env={}).plan
    assert [(m["mock"]["id"], m["source"]) for m in plan["mocks"]] == [("shared", 0), ("b", 1)]
    assert [(s["path"], s["baseDir"]) for s in plan["sources"]] == [
        (str(a), str(tmp_path)),
        (str(b), str(tmp_path)),
    ]
    assert [r["name"] for r in plan["resources"]] == ["users"]

    c = write(tmp_path, f"mocks:\n  - {OK}\n  - id: shared\n    {OK}\n", "c.yaml")
    with pytest.raises(ConfigError) as info:
        compile_files([a, c], env={})
    assert [d.render() for d in info.value.diagnostics] == [
        f"{c}:3:9: mocks[1].id: duplicate mock ID: shared (also defined at {a}:2:9)"
    ]


def test_an_import_of_a_missing_file_is_a_positioned_error(tmp_path):
    # issue 13: imports load now; a missing spec gets the Go tool's message (its joined path included)
    assert problems(tmp_path, "imports:\n  - path: stripe.yaml\n    as: stripe\n") == [
        "mocks.yaml:2:5: imports[0]: import stripe.yaml: read file stripe.yaml: open stripe.yaml: no such "
        "file or directory"
    ]


def test_top_level_must_be_an_object(tmp_path):
    assert problems(tmp_path, "[1, 2]", "m.json") == [
        "m.json:1:1: expected a mock collection (an object), got a list"
    ]


def test_empty_yaml_document_is_an_empty_collection(tmp_path):
    plan = compile_text(tmp_path, "# nothing yet\n").plan
    assert (plan["mocks"], plan["resources"]) == ([], [])


def test_yaml_floats_in_integer_fields_are_truncated_like_yaml_v3(tmp_path):
    text = "mocks:\n  - http: {matcher: {path: /x}, response: {statusCode: 201.9, delayMs: 1e3}}\n"
    response = compile_text(tmp_path, text).plan["mocks"][0]["action"]["response"]
    assert (response["status"], response["delayMs"]) == (201, 1000)


def test_x_keys_are_extension_keys_and_host_yaml_anchors_without_a_warning(tmp_path):
    # The Go tool's digital-twin guide hosts shared table settings on `x-` keys and merges them with `<<`.
    text = """
        version: "1.0"
        x-defaults: &defaults
          create: {status: 200}
        tables:
          - name: customers
            x-note: ours
            response:
              <<: *defaults
              delete: {status: 200}
        """
    assert problems(tmp_path, text) == []
