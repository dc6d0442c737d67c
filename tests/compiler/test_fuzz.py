"""Fuzzing config text (issue 12 part B): valid configs, mutated with hostile values, through `mockd validate`
in-process and through the admin API of one real server.

Whatever the input, the outcome is a verdict: exit 0 or 1 (never 70), no traceback in the output, no 5xx
answer, and each call within a deadline. Mutations: integers past Go's int64 and Python's 4300-digit limit,
overflowing floats, odd Unicode and control characters, deep nesting, wrong types, YAML anchors, aliases,
recursive anchors, alias bombs and tags, and raw byte damage (a stray byte, a truncation).

`MOCKD_HYPOTHESIS_PROFILE=ci` (the default) keeps this to well under a minute; `slow` runs many more
examples.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockd.cli.app import main
from tests.harness import MockdProcess, free_port

_SLOW = os.environ.get("MOCKD_HYPOTHESIS_PROFILE", "ci") == "slow"
CLI_SETTINGS = settings(
    max_examples=3000 if _SLOW else 150,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=False,
)
ADMIN_SETTINGS = settings(
    max_examples=600 if _SLOW else 50,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=False,
)
DEADLINE = 5.0  # seconds for one validate run or one admin request; the honest ones take milliseconds

# ------------------------------------------------------------------------------------------------ seeds

SEEDS: list[dict[str, Any]] = [
    {
        "version": "1.0",
        "mocks": [
            {
                "id": "get-user",
                "type": "http",
                "http": {
                    "priority": 5,
                    "matcher": {
                        "method": "GET",
                        "path": "/api/users/{id}",
                        "headers": {"Authorization": "Bearer *"},
                        "queryParams": {"page": "1"},
                    },
                    "response": {
                        "statusCode": 200,
                        "headers": {"X-Source": "mockd"},
                        "body": {"id": 42, "name": "Ada", "tags": ["a", "b"]},
                        "delayMs": 10,
                    },
                },
            },
            {
                "id": "post-order",
                "type": "http",
                "http": {
                    "matcher": {
                        "method": "POST",
                        "pathPattern": "^/orders/[0-9]+$",
                        "bodyPattern": "item-\\d{2}",
                        "bodyJsonPath": {"$.qty": 2},
                    },
                    "response": {"statusCode": 201, "body": "created {{request.path}}"},
                },
            },
        ],
    },
    {
        "version": "1.0",
        "mocks": [
            {"id": "legacy", "enabled": True, "matcher": {"path": "/old"}, "response": {"statusCode": 204}}
        ],
        "statefulResources": [
            {
                "name": "users",
                "basePath": "/users",
                "idField": "id",
                "maxItems": 100,
                "seedData": [{"id": "1", "name": "Ada", "age": 36}],
            }
        ],
        "customOperations": [
            {
                "name": "rename",
                "steps": [{"type": "update", "resource": "users", "id": "1", "set": {"name": "B"}}],
            }
        ],
    },
]

# ------------------------------------------------------------------------------------------- mutations

BIG_DIGITS = "1" + "0" * 5000  # past Python's int conversion limit
_RAW = {  # placeholders replaced in the serialised text by what json/yaml dumpers cannot write
    "@@BIGINT@@": BIG_DIGITS,
    "@@NEGBIGINT@@": "-" + BIG_DIGITS,
    "@@HUGEFLOAT@@": "1e400",
    "@@DEEP300@@": "[" * 300 + "]" * 300,
    "@@DEEP2000@@": "[" * 2000 + "]" * 2000,
}
_YAML_RAW = {  # YAML-only constructs, in flow style so they fit any position
    "@@BOMB@@": "{"
    + ", ".join(
        ["a0: &a0 lol"] + [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    )
    + "}",
    "@@SELF@@": "&self [*self]",
    "@@UNKNOWN_ALIAS@@": "*nowhere",
    "@@ANCHORED@@": "&shared {x: 1}",
    "@@BADTAG@@": "!!int not-a-number",
    "@@BINARY@@": "!!binary '***'",
    "@@MERGE@@": "{<<: 5}",
    "@@TIMESTAMP@@": "2024-02-30T25:61:61Z",
}

odd_text = st.one_of(
    st.sampled_from(
        [
            "\r\n",
            "a\x00b",
            "\u2028",
            "\ufeff",
            "\uffff",
            "\U0010ffff",
            "a{1001}",
            "(?P<1>x)",
            "[",
            "{{",
            "}}",
            "{{request.body.",
            "$HOME",
            "${X:-y}",
            "..",
            "../../etc/passwd",
            "/dev/zero",
            "",
            " ",
            "\t",
            "é",
            "<<",
        ]
    ),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
)
hostile = st.one_of(
    st.sampled_from([2**63, -(2**63) - 1, 2**64, 2**63 - 1, -1, 0, 10**30, 1.5, -0.0, 1e308]),
    st.sampled_from(sorted(_RAW)),
    odd_text,
    st.sampled_from([None, True, False, [], {}, [None], {"": None}]),
    st.integers(),
)
yaml_hostile = st.one_of(hostile, st.sampled_from(sorted(_YAML_RAW)))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))


def _mutate(data: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    """`data` with the node at `path` replaced, given a new key, or removed."""
    if not path:
        return value if action == "replace" else data
    head, rest = path[0], path[1:]
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    if rest:
        copy[head] = _mutate(copy[head], rest, action, value)
    elif action == "replace":
        copy[head] = value
    elif action == "add" and isinstance(copy[head], dict):
        copy[head] = {**copy[head], "extra" if head != "extra" else "x": value}
    elif action == "remove" and isinstance(copy, dict):
        del copy[head]
    return copy


@st.composite
def documents(draw: st.DrawFn, fmt: str) -> bytes:
    data: Any = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "replace", "add", "remove"]))
        data = _mutate(data, path, action, draw(yaml_hostile if fmt == "yaml" else hostile))
    if fmt == "json":
        text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    else:
        text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), default_flow_style=draw(st.booleans()))
    for marker, raw in {**_RAW, **(_YAML_RAW if fmt == "yaml" else {})}.items():
        text = text.replace(f'"{marker}"', raw).replace(f"'{marker}'", raw).replace(marker, raw)
    raw_bytes = text.encode("utf-8", "surrogatepass")
    damage = draw(st.sampled_from(["none", "none", "byte", "truncate"]))
    if damage == "byte" and raw_bytes:
        at = draw(st.integers(0, len(raw_bytes)))
        stray = draw(
            st.sampled_from([b"\x00", b"\xff", b"\r", b"\t", b"\x1b", b"\xe2\x80\xa8", b"&", b"*", b"{"])
        )
        raw_bytes = raw_bytes[:at] + stray + raw_bytes[at:]
    elif damage == "truncate" and raw_bytes:
        raw_bytes = raw_bytes[: draw(st.integers(1, len(raw_bytes)))]
    return raw_bytes


# ----------------------------------------------------------------------------------------- the CLI side


def _validate_in_process(path: str) -> tuple[int, str]:
    """`mockd validate path` through the real entry point (exit 70 and its message included)."""
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["mockd", "validate", path]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def workdir() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="mockd-fuzz-") as tmp:
        yield tmp


def _check_cli(workdir: str, text: bytes, name: str) -> None:
    path = os.path.join(workdir, name)
    with open(path, "wb") as f:
        f.write(text)
    started = time.monotonic()
    code, output = _validate_in_process(path)
    elapsed = time.monotonic() - started
    assert code in (0, 1), output
    assert "Traceback" not in output
    assert "internal error" not in output
    assert elapsed < DEADLINE, f"validate took {elapsed:.1f}s"


@CLI_SETTINGS
@given(text=documents("json"))
def test_validate_survives_mutated_json(workdir, text):
    _check_cli(workdir, text, "mocks.json")


@CLI_SETTINGS
@given(text=documents("yaml"))
def test_validate_survives_mutated_yaml(workdir, text):
    _check_cli(workdir, text, "mocks.yaml")


# --------------------------------------------------------------------------------------- the admin side


@pytest.fixture(scope="module")
def server() -> Iterator[MockdProcess]:
    proc = MockdProcess([], free_port(), free_port()).start()
    yield proc
    code = proc.stop()
    _out, err = proc.output()
    assert "Traceback" not in err, err[-4000:]
    assert code == 0


def _send(server: MockdProcess, method: str, path: str, body: bytes, content_type: str) -> None:
    started = time.monotonic()
    reply = requests.request(
        method, server.admin + path, data=body, headers={"Content-Type": content_type}, timeout=DEADLINE * 2
    )
    elapsed = time.monotonic() - started
    assert reply.status_code < 500, (method, path, reply.status_code, reply.text[:500])
    assert elapsed < DEADLINE, f"{method} {path} took {elapsed:.1f}s"


def _first_mock(text: bytes) -> bytes:
    """The first mock of a JSON document, when it still parses; else the text itself (a broken body)."""
    try:
        data = json.loads(text)
        return json.dumps(data["mocks"][0]).encode()
    except (ValueError, KeyError, IndexError, TypeError, RecursionError):
        return text


@ADMIN_SETTINGS
@given(text=documents("json"), yaml_text=documents("yaml"))
def test_admin_api_survives_mutated_bodies(server, text, yaml_text):
    mock = _first_mock(text)
    _send(server, "POST", "/mocks", mock, "application/json")
    _send(server, "PUT", "/mocks/fuzz", mock, "application/json")
    _send(server, "PATCH", "/mocks/get-user", mock, "application/json")
    _send(server, "POST", "/mocks/bulk", b"[" + mock + b"]", "application/json")
    _send(server, "POST", "/config", text, "application/json")
    _send(server, "POST", "/config", yaml_text, "application/x-yaml")
    _send(server, "POST", "/state/resources", text, "application/json")
    assert requests.get(server.admin + "/health", timeout=DEADLINE).status_code == 200
    assert requests.delete(server.admin + "/mocks", timeout=DEADLINE).status_code == 204
