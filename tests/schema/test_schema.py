"""The config JSON Schema: up to date with the models, valid, accepting every config the repository ships or
tests with, and rejecting broken ones (each of which the loader refuses too)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from mockd.compiler import ConfigError, compile_files
from mockd.schema import SCHEMA_FILE, render, shipped
from tests.client.conftest import CONFIG as CLIENT_CONFIG
from tests.conftest import ROOT
from tests.harness import run_cli
from tests.state import configs as state_configs
from tests.testing.conftest import MOCKS_YAML

SCHEMA = json.loads(shipped())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

CONFIG_FILES = [
    "examples/quickstart.yaml",
    "examples/docker-compose/mocks.json",
    "examples/integration-testing/test-mocks.json",
    "examples/integration-testing/seed-data.json",
    "examples/pytest-plugin/test-mocks.json",
    "tests/cli/golden/explain.yaml",
    "tests/imports/fixtures/twin.yaml",
]
CONFIG_DATA: dict[str, Any] = {
    "tests/client": CLIENT_CONFIG,
    "tests/testing": yaml.safe_load(MOCKS_YAML),
    "tests/state legacy": state_configs.legacy(),
    "tests/state current": state_configs.current(),
}


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text())  # YAML 1.1 reads JSON too, as an editor's YAML server would


def _errors(data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)]


def test_the_shipped_schema_is_up_to_date() -> None:
    # After changing mockd/compiler/models.py: `python -m mockd schema > mockd/schema/mockd-config.schema.json`
    assert shipped() == render()
    assert (ROOT / "mockd" / "schema" / SCHEMA_FILE).read_text() == render()


def test_mockd_schema_prints_it() -> None:
    out = run_cli("schema")
    assert (out.returncode, out.stderr) == (0, "")
    assert out.stdout == shipped()


def test_it_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$ref"] == "#/$defs/MockCollection"
    assert set(SCHEMA["$defs"]["MockCollection"]["properties"]) == {
        "version", "kind", "metadata", "name", "imports", "tables", "extend", "mocks", "serverConfig",
        "statefulResources", "customOperations", "websocketEndpoints",
    }  # fmt: skip
    # aliases are the keys users write
    assert "list" in SCHEMA["$defs"]["ResponseTransform"]["properties"]
    assert "as" in SCHEMA["$defs"]["ImportEntry"]["properties"]


@pytest.mark.parametrize("name", CONFIG_FILES)
def test_every_shipped_and_fixture_config_file_validates(name: str) -> None:
    assert _errors(_load(ROOT / name)) == []


@pytest.mark.parametrize("name", CONFIG_DATA)
def test_every_fixture_config_validates(name: str) -> None:
    assert _errors(CONFIG_DATA[name]) == []


def test_the_loaders_leniencies_are_accepted() -> None:
    lenient = yaml.safe_load(
        """
version: 1.0                      # a number where a string goes: "1.0"
mocks:
  - id: a
    type: http
    enabled: yes                   # YAML 1.1 bool
    http:
      matcher: {method: GET, path: /a, headers: {X-Count: 5}}
      response:
        statusCode: 200
        body: {users: [1, 2]}      # any value: served as JSON text
        headers: {X-Flag: true}
  - id: legacy
    matcher: {path: /legacy}       # the legacy JSON shape
    response: {statusCode: 200}
    unknownKey: 1                  # ignored with a warning by the loader
  - null
"""
    )
    assert _errors(lenient) == []


BROKEN = {
    "status as words": ({"mocks": [{"id": "a", "type": "http", "http": {"response": {"statusCode": "ok"}}}]},
                        "mocks/0/http/response/statusCode: 'ok' is not of type 'integer', 'null'"),
    "mocks not a list": ({"mocks": {"id": "a"}}, "mocks: {'id': 'a'} is not of type 'array', 'null'"),
    "a mock as a string": ({"mocks": ["GET /a"]}, "mocks/0: 'GET /a' is not of type 'object', 'null'"),
    "matcher as a list": ({"mocks": [{"id": "a", "type": "http", "http": {"matcher": ["GET", "/a"]}}]},
                          "mocks/0/http/matcher: ['GET', '/a'] is not of type 'object', 'null'"),
    "header value as a list": (
        {"mocks": [{"id": "a", "type": "http", "http": {"matcher": {"headers": {"X": ["a", "b"]}}}}]},
        "mocks/0/http/matcher/headers/X: ['a', 'b'] is not of type 'string', 'number', 'boolean', 'null'",
    ),
    "seed data not a list": ({"tables": [{"name": "t", "seedData": {"id": 1}}]},
                             "tables/0/seedData: {'id': 1} is not of type 'array', 'null'"),
    "not a mapping": (["mocks"], "$: ['mocks'] is not of type 'object', 'null'"),
}  # fmt: skip


@pytest.mark.parametrize("name", BROKEN)
def test_broken_configs_are_rejected_by_the_schema_and_the_loader(name: str, tmp_path: Path) -> None:
    data, expected = BROKEN[name]
    errors = _errors(data)
    assert [e.replace(": ", "$: ", 1) if e.startswith(": ") else e for e in errors] == [expected]
    path = tmp_path / "mocks.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError):
        compile_files([path])


def test_the_broken_golden_yaml_is_rejected() -> None:
    errors = _errors(_load(ROOT / "tests/compiler/golden/broken.yaml"))
    assert "mocks/2/http/response/statusCode: 'two hundred' is not of type 'integer', 'null'" in errors


def test_the_yaml_bool_words_are_the_loaders() -> None:
    from mockd.compiler.decode.coerce import _YAML_BOOLS

    words = SCHEMA["$defs"]["Mock"]["properties"]["enabled"]["anyOf"][1]["enum"]
    assert sorted(words) == sorted(_YAML_BOOLS)
