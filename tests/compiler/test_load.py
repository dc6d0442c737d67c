"""Reading config files: the Go loader's file checks and messages, format choice, expansion, NativeV1."""

from __future__ import annotations

import os

import pytest

from mockd.compiler import ConfigError, compile_files
from mockd.compiler.decode.load import format_for, load_file
from mockd.compiler.errors import Diagnostic

from .helpers import problems, write


def _diagnostics(path) -> list[Diagnostic]:
    with pytest.raises(ConfigError) as info:
        compile_files([path])
    return info.value.diagnostics


def test_missing_file_uses_the_go_message(tmp_path):
    # mockd-reference §2.1 step 1
    missing = tmp_path / "nope.yaml"
    assert _diagnostics(missing) == [
        Diagnostic(f"configuration file not found: {missing}", "file_not_found", file=str(missing))
    ]


def test_directory_uses_the_go_message(tmp_path):
    assert [d.message for d in _diagnostics(tmp_path)] == [f"path is a directory, not a file: {tmp_path}"]


def test_empty_file_uses_the_go_message(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    assert [d.message for d in _diagnostics(empty)] == [f"configuration file is empty: {empty}"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_uses_the_go_message(tmp_path):
    path = write(tmp_path, "version: '1.0'\n")
    path.chmod(0)
    assert [d.message for d in _diagnostics(path)] == [f"permission denied: {path}"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.yaml", "yaml"), ("a.YML", "yaml"), ("a.json", "json"), ("a.conf", "json"), ("noext", "json")],
)
def test_format_is_chosen_by_extension_like_go(name, expected):
    # mockd-reference §2.1 step 3: .yaml/.yml => YAML, anything else => JSON
    assert format_for(name) == expected


def test_json_syntax_errors_are_positioned(tmp_path):
    assert problems(tmp_path, '{\n  "mocks": [\n    {"id": "a",}\n  ]\n}\n', "mocks.json") == [
        "mocks.json:3:16: invalid JSON syntax: "
        "invalid character '}' looking for beginning of object key string"
    ]


def test_yaml_syntax_errors_are_positioned(tmp_path):
    assert problems(tmp_path, "mocks:\n  - id: a\n   bad: [\n") == [
        "mocks.yaml:3:4: invalid YAML syntax: did not find expected '-' indicator"
    ]


def test_yaml_duplicate_keys_are_errors(tmp_path):
    assert problems(tmp_path, "version: '1.0'\nmocks: []\nmocks: []\n") == [
        'mocks.yaml:3:1: invalid YAML syntax: mapping key "mocks" already defined at line 2'
    ]


def test_environment_is_expanded_before_parsing(tmp_path):
    # mockd-reference §2.1 step 2: inside bodies too, unset => empty
    path = write(tmp_path, """
        mocks:
          - http:
              matcher: {path: /$PREFIX/x}
              response: {body: 'host=${HOST} missing=[$MISSING] jsonpath=$.a'}
        """)  # fmt: skip
    doc = load_file(path, env={"PREFIX": "api", "HOST": "h"})
    assert doc.data["mocks"][0]["http"] == {
        "matcher": {"path": "/api/x"},
        "response": {"body": "host=h missing=[] jsonpath=$.a"},
    }


def test_yaml_space_separated_timestamps_get_a_t(tmp_path):
    # mockd-reference §2.1 step 4: Python's yaml.dump writes "2026-02-25 18:36:41+00:00"
    path = write(tmp_path, "a: 2026-02-25 18:36:41+00:00\nb: 'x 2026-02-25 18:36:41.5-03:00'\n")
    assert load_file(path, env={}).data == {"a": "2026-02-25T18:36:41Z", "b": "x 2026-02-25T18:36:41.5-03:00"}


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("export.json", '{"version": "1.0", "endpoints": [{"path": "/x"}]}'),
        ("export.yaml", "version: '1.0'\nendpoints:\n  - path: /x\n"),
        ("empty-mocks.json", '{"mocks": [], "endpoints": []}'),
    ],
)
def test_native_v1_exports_are_refused(tmp_path, name, text):
    # mockd-reference §2.1 step 6
    [message] = problems(tmp_path, text, name)
    assert "appears to be in NativeV1 export format" in message
    assert "mockd import" in message


def test_endpoints_key_is_fine_when_there_are_mocks(tmp_path):
    text = "mocks:\n  - http: {matcher: {path: /x}, response: {statusCode: 200}}\nendpoints: []\n"
    assert problems(tmp_path, text) == [
        "mocks.yaml:3:1: endpoints: warning: unknown key 'endpoints' is ignored. "
        "Did you mean 'websocketEndpoints'?"
    ]


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b'\xef\xbb\xbf{"version": "1.0"}')
    assert load_file(path, env={}).data == {"version": "1.0"}
