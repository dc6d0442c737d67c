"""Untrusted config text and numbers (issue 12 part B): every hostile input is a positioned config error,
found fast, never a traceback, an exit 70, a hang or a runaway allocation."""

from __future__ import annotations

import os
import threading
import time

import pytest

from mockd.compiler import ConfigError, compile_files
from mockd.compiler.errors import Diagnostic
from mockd.gocompat.yamlbudget import allowed_alias_ratio, excessive
from tests.harness import run_cli

from .helpers import problems, write

INT64 = "expected an integer from -9223372036854775808 to 9223372036854775807"


def laughs(levels: int, fanout: int, top: str = "") -> str:
    """A "billion laughs" document: each level is a list of `fanout` aliases of the level below."""
    lines = [top, 'a0: &a0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * fanout) + "]")
    return "\n".join(lines) + "\n"


MOCK = """\
version: "1.0"
mocks:
  - id: a
    type: http
    http:
      matcher: {method: GET, path: /a}
      response: {statusCode: 200}
"""


# ------------------------------------------------------------------------------------------ YAML aliases


@pytest.mark.parametrize("levels", [7, 9])
def test_alias_bombs_are_refused_fast_at_the_alias(tmp_path, levels):
    # issue 12: 7 levels of 9 aliases were accepted after 16.7 s and 1.8 GB; 9 levels ended in MemoryError.
    started = time.monotonic()
    found = problems(tmp_path, laughs(levels, 9))
    assert time.monotonic() - started < 2
    # the first alias whose expansion tips go-yaml's ratio: the second `*a3` of `a4` (line 5), where 5087 of
    # 5126 decoded nodes would come from aliases (over 99%)
    assert found == ["mocks.yaml:5:14: invalid YAML syntax: document contains excessive aliasing"]


def test_moderate_alias_use_is_accepted(tmp_path):
    # a shared defaults block merged into many mocks is what aliases are for
    mocks = "".join(
        f"  - id: m{i}\n    type: http\n    http:\n      <<: *defaults\n      matcher: {{path: /m{i}}}\n"
        for i in range(300)
    )
    text = (
        'version: "1.0"\nx-defaults: &defaults\n  priority: 3\n  response: {statusCode: 201, '
        "headers: {A: b}, body: hello}\nmocks:\n" + mocks
    )
    plan = compile_files([write(tmp_path, text)]).plan
    assert len(plan["mocks"]) == 300
    assert plan["mocks"][299]["action"]["response"]["status"] == 201


@pytest.mark.parametrize(
    ("aliased", "decoded", "expected"),
    [
        (100, 100_000, False),  # at most 100 aliased nodes are always allowed
        (1000, 1000, False),  # ... and documents of at most 1000 nodes
        (990, 1001, False),  # 99% up to 400,000 nodes
        (991, 1001, True),
        (2_000_000 * 10 // 100, 2_000_000, False),  # 10% at 2,000,000 would still be allowed (~59%)
        (400_001, 4_000_000, True),  # just over 10% from 4,000,000 on
        (399_999, 4_000_000, False),
    ],
)
def test_the_alias_ratio_is_go_yamls(aliased, decoded, expected):
    # gopkg.in/yaml.v3 decode.go allowedAliasRatio and the check in `unmarshal`
    assert (allowed_alias_ratio(400_000), allowed_alias_ratio(4_000_000)) == (0.99, 0.10)
    assert excessive(aliased, decoded) is expected


def test_an_anchor_that_contains_itself_is_refused(tmp_path):
    # issue 12: the recursive alias used to end in RecursionError (exit 70)
    text = 'version: "1.0"\nmocks:\n  - &m {id: x, more: [*m]}\n'
    assert problems(tmp_path, text) == [
        "mocks.yaml:3:23: invalid YAML syntax: anchor 'm' value contains itself"
    ]


def test_deep_yaml_nesting_is_refused_with_its_position(tmp_path):
    # issue 12: under libyaml's limit of 1000 levels, our recursion overflowed (exit 70)
    body = "[" * 990 + "]" * 990
    text = MOCK.replace("response: {statusCode: 200}", f"response: {{statusCode: 200, body: {body}}}")
    # the response is at depth 5: its body's 296th bracket is the 301st level
    column = len("      response: {statusCode: 200, body: ") + 296
    assert problems(tmp_path, text) == [
        f"mocks.yaml:7:{column}: invalid YAML syntax: exceeded max depth of 300"
    ]


def test_yaml_nesting_up_to_the_limit_is_accepted(tmp_path):
    body = "[" * 290 + "1" + "]" * 290
    text = MOCK.replace("response: {statusCode: 200}", f"response: {{statusCode: 200, body: {body}}}")
    plan = compile_files([write(tmp_path, text)]).plan
    assert plan["mocks"][0]["action"]["response"]["body"] == body


# -------------------------------------------------------------------------------- characters and UTF-8


def test_control_characters_in_yaml_have_a_position(tmp_path):
    # issue 12: the reader error said `position 32` of "<unicode string>"
    path = tmp_path / "mocks.yaml"
    path.write_bytes(b'version: "1.0"\nmocks:\n  - id: "\xc3\xa9a\x01b"\n')
    assert _diagnostics(path) == [
        Diagnostic(
            "invalid YAML syntax: control characters are not allowed", "invalid_yaml", str(path), 3, 12
        )
    ]


def test_invalid_utf8_in_yaml_has_a_position(tmp_path):
    path = tmp_path / "mocks.yaml"
    path.write_bytes(b'version: "1.0"\nmocks:\n  - id: \xc3\xa9"a\xffb"\n')
    assert _diagnostics(path) == [
        Diagnostic("invalid YAML syntax: invalid UTF-8 at byte 34", "invalid_yaml", str(path), 3, 12)
    ]


# ---------------------------------------------------------------------------------------------- integers


@pytest.mark.parametrize("name", ["mocks.yaml", "mocks.json"])
def test_out_of_range_integers_name_the_field_and_the_range(tmp_path, name):
    # issue 12: priority 2^63 passed `validate` and `start` exited 70 (MatcherBuildError)
    text = (
        '{"version": "1.0", "mocks": [{"id": "a", "type": "http", "http": {"priority": 9223372036854775808, '
        '"matcher": {"path": "/a"}, "response": {"statusCode": 18446744073709551616, "delayMs": '
        '18446744073709551615}}}], "statefulResources": [{"name": "r", "maxItems": 9223372036854775808}]}'
    )
    at = [
        text.index(key) + len(key) + 1
        for key in ('"priority": ', '"statusCode": ', '"delayMs": ', 'Items": ')
    ]
    assert problems(tmp_path, text, name) == [
        f"{name}:1:{at[0]}: mocks[0].http.priority: number out of range: 9223372036854775808 ({INT64})",
        f"{name}:1:{at[1]}: mocks[0].http.response.statusCode: number out of range: 18446744073709551616 "
        f"({INT64})",
        f"{name}:1:{at[2]}: mocks[0].http.response.delayMs: number out of range: 18446744073709551615 ({INT64})",
        f"{name}:1:{at[3]}: statefulResources[0].maxItems: number out of range: 9223372036854775808 ({INT64})",
    ]


def test_int64_bounds_themselves_are_accepted_by_the_type(tmp_path):
    text = MOCK.replace("matcher:", "priority: 9223372036854775807\n      matcher:")
    plan = compile_files([write(tmp_path, text)]).plan
    assert plan["mocks"][0]["route"]["priority"] == 9223372036854775807


def test_a_5000_digit_json_integer_is_a_config_error(tmp_path):
    # issue 12: Python's 4300-digit limit escaped as "Exceeds the limit (4300 digits)", exit 70
    text = '{"version": "1.0", "mocks": [{"id": "a", "type": "http", "http": {"priority": 1' + "0" * 5000
    text += ', "matcher": {"path": "/a"}, "response": {"statusCode": 200}}}]}'
    at = text.index('"priority": ') + len('"priority": ') + 1
    assert problems(tmp_path, text, "mocks.json") == [
        f"mocks.json:1:{at}: mocks[0].http.priority: number out of range: {INT64}"
    ]


def test_a_5000_digit_yaml_integer_is_a_string_as_for_yaml_v3(tmp_path):
    # yaml.v3 keeps a plain scalar that overflows every number type as a string
    text = MOCK.replace("matcher:", "priority: 1" + "0" * 5000 + "\n      matcher:")
    assert problems(tmp_path, text) == [
        "mocks.yaml:6:17: mocks[0].http.priority: expected an integer, got a string"
    ]


# ----------------------------------------------------------------------------------------- regex, headers


def test_regex_repeat_counts_over_1000_are_refused_like_re2(tmp_path):
    # issue 12: `a{1001}` was accepted; RE2 says `invalid repeat count`
    text = MOCK.replace("path: /a}", 'pathPattern: "^/a{1001}$"}')
    assert problems(tmp_path, text) == [
        "mocks.yaml:6:43: mocks[0].http.matcher.pathPattern: invalid regex pattern: invalid repeat count: `{1001}`"
    ]


def test_control_characters_in_response_headers_are_refused(tmp_path):
    # issue 12: CR/LF/NUL passed validation and the header vanished at run time
    headers = '{"X-A": "a\\r\\nSet-Cookie: x", "X\\nB": "v", "X-C": "a\\0b", "X-T": "tab\\tok"}'
    text = MOCK.replace("response: {statusCode: 200}", f"response: {{statusCode: 200, headers: {headers}}}")
    line = text.splitlines()[6]
    at = [line.index(key) + len(key) + 3 for key in ('"X-A"', '"X-C"')]
    key_at = line.index('"X\\nB"') + 1
    assert problems(tmp_path, text) == [
        f"mocks.yaml:7:{at[0]}: mocks[0].http.response.headers.X-A: invalid header value for X-A: "
        "control character '\\r' is not allowed",
        f'mocks.yaml:7:{key_at}: mocks[0].http.response.headers["X\\nB"]: invalid header name: "X\\nB"',
        f"mocks.yaml:7:{at[1]}: mocks[0].http.response.headers.X-C: invalid header value for X-C: "
        "control character '\\x00' is not allowed",
    ]


# ------------------------------------------------------------------------------------------- file types


def _diagnostics(path) -> list[Diagnostic]:
    with pytest.raises(ConfigError) as info:
        compile_files([path])
    return info.value.diagnostics


def _not_regular(path) -> list[Diagnostic]:
    message = (
        f"not a regular file: {path} (config files must be regular files, not devices, pipes or sockets)"
    )
    return [Diagnostic(message, "not_regular_file", file=str(path))]


def test_a_device_is_not_read_as_a_config():
    # issue 12: `mockd validate /dev/zero` read until memory ran out
    assert _diagnostics("/dev/zero") == _not_regular("/dev/zero")


def test_a_fifo_config_does_not_block(tmp_path):
    # issue 12: a FIFO config hung for ever (open() waits for a writer)
    fifo = tmp_path / "mocks.yaml"
    os.mkfifo(fifo)
    outcome: list[list[Diagnostic]] = []
    worker = threading.Thread(target=lambda: outcome.append(_diagnostics(fifo)), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # unblock the open so the thread ends, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO config blocked")
    assert outcome == [_not_regular(fifo)]


def test_cli_refuses_a_device_config_with_exit_1():
    result = run_cli("validate", "/dev/zero", timeout=30)
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        "/dev/zero: not a regular file: /dev/zero (config files must be regular files, not devices, pipes or "
        "sockets)\nvalidation failed: 1 error\n",
    )


def test_a_plan_that_is_a_device_is_refused():
    result = run_cli("start", "--plan", "/dev/zero", timeout=30)
    assert (result.returncode, result.stderr.strip()) == (
        1,
        "/dev/zero is not a regular file, so not a mockd plan",
    )


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "dir"])
def test_a_body_file_that_is_not_a_regular_file_is_a_load_error(tmp_path, target):
    # issue 12: it would be read per request until memory runs out (a device) or block for ever (a FIFO)
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")
    elif target == "dir":
        (tmp_path / "dir").mkdir()
    text = MOCK.replace("response: {statusCode: 200}", f"response: {{statusCode: 200, bodyFile: {target}}}")
    assert problems(tmp_path, text) == [
        f"mocks.yaml:7:45: mocks[0].http.response.bodyFile: bodyFile '{target}' is not a regular file "
        "(devices, pipes and directories are refused)"
    ]
