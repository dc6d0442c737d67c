"""What a `bodyFile` may name and how much of it is read (issue 12, docs/security.md "What the admin port
trusts"): admin-created mocks are confined to the body-file root; every mock reads only regular files, at
most --max-body-file-bytes of them."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from mockd.bodyfile import DEFAULT_MAX_BYTES, BodyFilePolicy
from mockd.validation import RequestRules, Validator, stateful_validator
from tests.admin.helpers import answer, error
from tests.harness import MockdProcess, request


def file_mock(mock_id: str, body_file: str) -> dict:
    return {"id": mock_id, "type": "http", "http": {"matcher": {"method": "GET", "path": "/" + mock_id},
            "response": {"statusCode": 200, "bodyFile": body_file}}}  # fmt: skip


def body_file_error(message: str) -> tuple[int, dict]:
    return 502, {"error": "body_file_error", "message": "failed to read bodyFile: " + message}


def outside(name: str, root: Path) -> tuple[int, dict]:
    return error(
        400, "validation_error",
        f"validation error on response.bodyFile: {name} is outside the body-file root {root.resolve()} "
        "(set --body-file-root to serve it)",
    )  # fmt: skip


def served(server: MockdProcess, mock_id: str) -> tuple[int, object]:
    r = request(server.url + "/" + mock_id)
    return r.status, (r.json() if r.status == 502 else r.body)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "small.txt").write_text("0123456789")  # 10 bytes: the cap below
    (tmp_path / "big.txt").write_text("0123456789A")
    # Regular at load (a config naming a FIFO or a device is now refused then: tests/compiler), swapped
    # for a FIFO and a link to /dev/zero once the server runs, so the run-time check is what is tested.
    (tmp_path / "pipe").write_text("x")
    (tmp_path / "zero").symlink_to(tmp_path / "small.txt")
    return tmp_path


@pytest.fixture
def server(folder: Path, mockd_server: Callable[..., MockdProcess]) -> MockdProcess:
    mocks = [file_mock("small", "small.txt"), file_mock("big", "big.txt"), file_mock("fifo", "pipe"),
             file_mock("zero", str(folder / "zero")), file_mock("proc", "/proc/self/status")]  # fmt: skip
    config = folder / "mocks.json"
    config.write_text(json.dumps({"version": "1.0", "mocks": mocks}))
    proc = mockd_server("--config", str(config), "--max-body-file-bytes", "10", cwd=Path("/"))
    (folder / "pipe").unlink()
    os.mkfifo(folder / "pipe")
    (folder / "zero").unlink()
    (folder / "zero").symlink_to("/dev/zero")
    return proc


def test_admin_body_files_must_lie_under_the_config_folder(server: MockdProcess, folder: Path) -> None:
    # issue 12: {"bodyFile": "/proc/self/environ"} over the admin API served the server's environment
    (folder / "leak").symlink_to("/proc/self/environ")
    for name in ("/proc/self/environ", "../../../../proc/self/environ", "leak"):
        r = requests.post(server.admin + "/mocks", json=file_mock("env", name))
        if ".." in name:
            assert answer(r) == error(400, "validation_error", "validation error on response.bodyFile: "
                                      "path cannot contain '..'")  # fmt: skip
        else:
            assert answer(r) == outside(name, folder)
    assert requests.get(server.admin + "/mocks/env").status_code == 404
    # a relative name resolves against the config folder, as before; an absolute one inside it is fine too
    for mock_id, name in (("rel", "small.txt"), ("abs", str(folder / "small.txt"))):
        assert requests.post(server.admin + "/mocks", json=file_mock(mock_id, name)).status_code == 201
        assert served(server, mock_id) == (200, b"0123456789")


def test_the_root_is_checked_again_on_every_read(server: MockdProcess, folder: Path) -> None:
    # the file may be swapped for a symlink after the mock was accepted
    (folder / "swap.txt").write_text("ok")
    assert requests.post(server.admin + "/mocks", json=file_mock("swap", "swap.txt")).status_code == 201
    assert served(server, "swap") == (200, b"ok")
    (folder / "swap.txt").unlink()
    (folder / "swap.txt").symlink_to("/etc/hostname")
    target = folder / "swap.txt"
    assert served(server, "swap") == body_file_error(
        f"{target} is outside the body-file root {folder.resolve()} (--body-file-root)"
    )
    # a config-file mock changed over the admin API is an admin mock from then on
    r = requests.put(server.admin + "/mocks/proc", json=file_mock("proc", "/proc/self/status"))
    assert answer(r) == outside("/proc/self/status", folder)


def test_non_regular_body_files_are_refused_without_blocking(server: MockdProcess, folder: Path) -> None:
    # issue 12: a FIFO held a worker thread (and the shutdown) until a writer came; /dev/zero was read to ~1 GB
    assert served(server, "fifo") == body_file_error(f"{folder / 'pipe'} is not a regular file")
    assert served(server, "zero") == body_file_error(
        f"{folder / 'zero'} is not a regular file"
    )  # -> /dev/zero
    r = requests.post(server.admin + "/mocks", json=file_mock("pipe2", "pipe"))
    assert answer(r) == error(400, "validation_error", "validation error on response.bodyFile: pipe is not a "
                              "regular file")  # fmt: skip
    assert server.stop(timeout=10) == 0


def test_body_files_over_the_cap_are_a_502(server: MockdProcess, folder: Path) -> None:
    assert served(server, "small") == (200, b"0123456789")
    too_big = "is larger than 10 bytes (--max-body-file-bytes)"
    assert served(server, "big") == body_file_error(f"{folder / 'big.txt'} {too_big}")
    # /proc files report a size of 0: the read itself stops at the cap
    assert served(server, "proc") == body_file_error(f"/proc/self/status {too_big}")


def test_body_file_root_option(tmp_path: Path, mockd_server: Callable[..., MockdProcess]) -> None:
    root = tmp_path / "fixtures"
    root.mkdir()
    (root / "user.json").write_text('{"id": 1}')
    server = mockd_server("--body-file-root", str(root), cwd=tmp_path)
    assert requests.post(server.admin + "/mocks", json=file_mock("user", "user.json")).status_code == 201
    assert served(server, "user") == (200, b'{"id": 1}')
    r = requests.post(server.admin + "/mocks", json=file_mock("up", str(tmp_path / "x.json")))
    assert answer(r) == outside(str(tmp_path / "x.json"), root)


def test_schema_files_are_read_within_the_same_limits(tmp_path: Path) -> None:
    # issue 12: `validation.schemaRef` was opened on the event loop with no checks: a FIFO stalled the whole
    # mock port, /dev/zero was read until memory ran out
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "big.json").write_text('{"type": "object", "description": "more than ten bytes"}')
    failed = "schema compilation error: failed to read schema file: "
    cases = [
        ("pipe", None, f"{tmp_path / 'pipe'} is not a regular file"),
        ("/dev/zero", None, "/dev/zero is not a regular file"),
        ("big.json", BodyFilePolicy(10), f"{tmp_path / 'big.json'} is larger than 10 bytes (--max-body-file-bytes)"),
        ("/etc/hostname", BodyFilePolicy(DEFAULT_MAX_BYTES, str(tmp_path.resolve())),
         f"/etc/hostname is outside the body-file root {tmp_path.resolve()} (--body-file-root)"),
    ]  # fmt: skip
    for ref, files, message in cases:
        errors = Validator(RequestRules(schema_ref=ref), str(tmp_path), files).validate_body({})
        assert [e.message for e in errors] == [failed + message]
    ok = Validator(RequestRules(schema_ref="big.json"), str(tmp_path), BodyFilePolicy(100)).validate_body({})
    assert ok == []


def test_resource_schema_files_get_the_same_policy(tmp_path: Path) -> None:
    # a resource created over the admin API is confined like a mock (Registry passes Runtime.file_access)
    root = str(tmp_path.resolve())
    validator = stateful_validator({"schemaRef": "/etc/hostname"}, [], "", root, BodyFilePolicy(100, root))
    assert validator is not None
    assert [e.message for e in validator.create({}, None)] == [
        "schema compilation error: failed to read schema file: "
        f"/etc/hostname is outside the body-file root {root} (--body-file-root)"
    ]
