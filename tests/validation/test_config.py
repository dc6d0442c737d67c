"""Validation rules in config files: checked at load (the compiler keeps them verbatim otherwise)."""

from __future__ import annotations

from pathlib import Path

from tests.compiler.helpers import compile_text, problems

CONFIG = """
version: "1.0"
mocks:
  - id: a
    type: http
    http:
      matcher: {method: POST, path: "/a/{id}"}
      validation:
        fields:
          age: {type: integer, min: "0", typo: 1}
      response: {statusCode: 200, body: ok}
statefulResources:
  - name: u
    validation: {required: [1], onCreate: {fields: {x: {maxLength: 1.5}}}}
customOperations:
  - name: Op
    consistency: strong
    steps: [{type: set, var: x, value: "1"}]
"""


def test_mistyped_rules_are_errors_and_unknown_keys_warnings(tmp_path: Path):
    assert problems(tmp_path, CONFIG) == [
        "mocks.yaml:9:37: mocks[0].http.validation.fields.age.min: expected a number, got string",
        "mocks.yaml:9:42: mocks[0].http.validation.fields.age.typo: warning: unknown validation key 'typo'; "
        "did you mean 'type'?",
        "mocks.yaml:13:28: statefulResources[0].validation.required: expected a list of strings, got array",
        "mocks.yaml:13:68: statefulResources[0].validation.onCreate.fields.x.maxLength: expected an integer, "
        "got number",
        "mocks.yaml:16:18: customOperations[0].consistency: warning: custom operation 'Op': unsupported "
        "consistency mode 'strong' (valid: best_effort, atomic): the operation is skipped, as the Go tool "
        "refuses to register it",
    ]


def test_a_validated_mock_asks_for_its_path_captures(tmp_path: Path):
    text = CONFIG.split("statefulResources")[0].replace('min: "0", typo: 1', "min: 0")
    mock = compile_text(tmp_path, text).plan["mocks"][0]
    assert mock["route"]["captures"] is True
    assert mock["mock"]["http"]["validation"] == {"fields": {"age": {"type": "integer", "min": 0}}}
