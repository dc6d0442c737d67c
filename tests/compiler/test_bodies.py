"""`response.body` normalisation (mockd-reference §2.4): the exact string the Go tool serves and stores."""

from __future__ import annotations

import pytest

from mockd.compiler import compile_mock

from .helpers import only_mock, problems


def _yaml_body(tmp_path, body: str) -> str:
    text = f"mocks:\n  - http:\n      matcher: {{path: /x}}\n      response:\n        body: {body}\n"
    return only_mock(tmp_path, text)["mock"]["http"]["response"]["body"]


def _json_body(tmp_path, body: str) -> str:
    text = '{"mocks": [{"http": {"matcher": {"path": "/x"}, "response": {"body": ' + body + "}}}]}"
    return only_mock(tmp_path, text, "mocks.json")["mock"]["http"]["response"]["body"]


@pytest.mark.parametrize(
    ("body", "served"),
    [
        ('"plain text"', "plain text"),
        ('"{\\"a\\": 1}"', '{"a": 1}'),
        # non-string JSON keeps its source text: spacing, key order, number spelling
        ('{ "b" : 1,\n   "a": [1, 2.50] }', '{ "b" : 1,\n   "a": [1, 2.50] }'),
        ("[3, 1]", "[3, 1]"),
        ("1.50", "1.50"),
        ("true", "true"),
        ("null", ""),  # Go decodes a JSON null body as the empty string
    ],
)
def test_json_bodies(tmp_path, body, served):
    assert _json_body(tmp_path, body) == served


@pytest.mark.parametrize(
    ("body", "served"),
    [
        # mappings and sequences: Go's json.Marshal of the decoded value (sorted keys, compact, HTML-escaped)
        ("{b: 1, a: [x, 2.0, null, true]}", '{"a":["x",2,null,true],"b":1}'),
        ("{html: '<a href=\"x\">&</a>'}", '{"html":"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"}'),
        ("{big: 1e21, small: 0.0000001, n: 1_000}", '{"big":1e+21,"n":1000,"small":1e-7}'),
        (
            "{when: 2024-01-15, flag: yes, octal: 017}",
            '{"flag":"yes","octal":15,"when":"2024-01-15T00:00:00Z"}',
        ),
        ("[{z: 1, a: {y: 2, b: 3}}]", '[{"a":{"b":3,"y":2},"z":1}]'),
        ("{}", "{}"),
        # scalars keep their literal text (yaml.v3 node value)
        ("1.50", "1.50"),
        ("0x1F", "0x1F"),
        ("true", "true"),
        ("yes", "yes"),
        ("null", "null"),
        ("~", "~"),
        ("2024-01-15", "2024-01-15"),
        ("'quoted: yes'", "quoted: yes"),
        ('"line\\nbreak"', "line\nbreak"),
    ],
)
def test_yaml_bodies(tmp_path, body, served):
    assert _yaml_body(tmp_path, body) == served


def test_yaml_block_scalar_body(tmp_path):
    text = (
        'mocks:\n  - http:\n      matcher: {path: /x}\n      response:\n        body: |\n          {"a": 1}\n'
    )
    assert only_mock(tmp_path, text)["mock"]["http"]["response"]["body"] == '{"a": 1}\n'


def test_yaml_body_with_nan_is_an_error(tmp_path):
    # Go: `failed to marshal body to JSON: json: unsupported value: NaN`
    text = "mocks:\n  - http:\n      matcher: {path: /x}\n      response:\n        body: {n: .nan}\n"
    assert problems(tmp_path, text) == [
        "mocks.yaml:5:15: mocks[0].http.response.body: "
        "failed to marshal body to JSON: json: unsupported value: NaN"
    ]


def test_missing_body_is_the_empty_string(tmp_path):
    assert _json_body(tmp_path, '""') == ""
    text = '{"mocks": [{"http": {"matcher": {"path": "/x"}, "response": {"statusCode": 204}}}]}'
    assert only_mock(tmp_path, text, "m.json")["mock"]["http"]["response"]["body"] == ""


def test_admin_bytes_keep_raw_body_text_and_dicts_are_re_encoded():
    raw = b'{"type": "http", "http": {"matcher": {"path": "/x"}, "response": {"body": {"b": 1,  "a": 2}}}}'
    as_bytes = compile_mock(raw, id_style="admin")["mock"]["http"]["response"]["body"]
    as_dict = compile_mock(
        {"type": "http", "http": {"matcher": {"path": "/x"}, "response": {"body": {"b": 1, "a": "<"}}}},
        id_style="admin",
    )["mock"]["http"]["response"]["body"]
    assert (as_bytes, as_dict) == ('{"b": 1,  "a": 2}', '{"a":"\\u003c","b":1}')
