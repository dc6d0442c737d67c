"""Hostile admin bodies and query values (issue 12 part B): each is a 400 in the Go tool's shape (or ignored,
as Go ignores a bad query value), answered fast, and the server keeps serving."""

from __future__ import annotations

import time

import pytest
import requests

from tests.admin.helpers import answer, create, error, http_mock
from tests.harness import MockdProcess

pytestmark = pytest.mark.usefixtures("clean")

BIG = "1" + "0" * 5000  # past Python's 4300-digit int conversion limit
OVER = "9223372036854775808"  # 2^63: one past Go's int
INVALID_JSON = error(400, "invalid_json", "Invalid JSON in request body")
INVALID_YAML = error(400, "invalid_yaml", "Invalid YAML in request body")


def laughs(levels: int, fanout: int = 9) -> str:
    lines = ['a0: &a0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * fanout) + "]")
    return "\n".join(lines) + "\n"


def mock_text(priority: str, mock_id: str = "") -> str:
    head = f'"id": "{mock_id}", ' if mock_id else ""
    return (
        f'{{{head}"type": "http", "http": {{"priority": {priority}, "matcher": {{"path": "/p"}}, '
        '"response": {"statusCode": 200}}}'
    )


def post_yaml(server: MockdProcess, text: str) -> requests.Response:
    return requests.post(
        server.admin + "/config",
        data=text.encode(),
        headers={"Content-Type": "application/x-yaml"},
        timeout=30,
    )


@pytest.mark.parametrize("levels", [7, 9])
def test_a_yaml_alias_bomb_is_refused_fast_and_the_server_survives(server, levels):
    # issue 12: 7 levels took 29 s on the event loop (mock port frozen); 9 levels killed the server
    create(server.admin, http_mock("/alive", id="alive"))
    started = time.monotonic()
    reply = post_yaml(
        server, "config:\n  mocks: []\n" + laughs(levels).replace("\n", "\n  ").replace("a0:", "  a0:", 1)
    )
    assert answer(reply) == INVALID_YAML
    assert time.monotonic() - started < 3
    assert requests.get(server.url + "/alive", timeout=5).text == "ok"


def test_a_recursive_yaml_anchor_is_refused(server):
    assert answer(post_yaml(server, "config: &c\n  mocks: [*c]\n")) == INVALID_YAML


def test_deep_yaml_is_refused(server):
    assert answer(post_yaml(server, "config:\n  mocks: " + "[" * 900 + "]" * 900 + "\n")) == INVALID_YAML


@pytest.mark.parametrize("priority", [OVER, "-9223372036854775809", BIG])
def test_out_of_range_integers_are_the_go_decoders_400_everywhere(server, priority):
    # issue 12: these answered 500; Go's decoder refuses the body (`cannot unmarshal number ... of type
    # int`), which its admin API answers as invalid_json
    create(server.admin, http_mock("/p", id="p"))
    body = mock_text(priority)
    headers = {"Content-Type": "application/json"}
    for method, path, data in [
        ("POST", "/mocks", body),
        ("PUT", "/mocks/p", body),
        ("PATCH", "/mocks/p", f'{{"http": {{"priority": {priority}}}}}'),
        ("POST", "/mocks/bulk", f"[{body}]"),
        ("POST", "/config", f'{{"config": {{"mocks": [{body}]}}}}'),
    ]:
        reply = requests.request(method, server.admin + path, data=data, headers=headers, timeout=10)
        assert (method, path, answer(reply)) == (method, path, INVALID_JSON)
    yaml_reply = post_yaml(server, f"config:\n  mocks:\n  - {mock_text(priority, 'y')}\n")
    assert answer(yaml_reply)[0] == 400


def test_int64_max_is_accepted(server):
    reply = requests.post(server.admin + "/mocks", data=mock_text("9223372036854775807", "max"), timeout=10)
    assert reply.status_code == 201, reply.text
    stored = requests.get(server.admin + "/mocks/max", timeout=10).json()
    assert stored["http"]["priority"] == 9223372036854775807
    assert requests.get(server.url + "/p", timeout=5).status_code == 200  # the matcher took it


@pytest.mark.parametrize("path", ["/mocks", "/requests", "/mocks/p/invocations"])
@pytest.mark.parametrize("value", [BIG, "-" + BIG, OVER])
def test_huge_paging_values_are_ignored_as_go_does(server, path, value):
    # issue 12: a 5000-digit ?limit= or ?offset= answered 500; Go's Atoi fails and the value is ignored
    create(server.admin, http_mock("/p", id="p"))
    plain = requests.get(server.admin + path, timeout=10)
    for name in ("limit", "offset"):
        reply = requests.get(f"{server.admin}{path}?{name}={value}", timeout=10)
        assert (name, reply.status_code, reply.json()) == (name, 200, plain.json())


def test_control_characters_in_a_response_header_are_a_validation_error(server):
    # issue 12: they were accepted and the header silently dropped when served
    mock = http_mock("/h", id="h")
    mock["http"]["response"]["headers"] = {"X-A": "a\r\nSet-Cookie: x"}
    reply = requests.post(server.admin + "/mocks", json=mock, timeout=10)
    assert answer(reply) == error(
        400,
        "validation_error",
        "validation error on response.headers: invalid header value for X-A: control character '\\r' is not allowed",
    )
    bulk = requests.post(server.admin + "/mocks/bulk", json=[mock], timeout=10)
    assert bulk.status_code == 400
