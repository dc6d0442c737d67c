"""issue 14: `start --watch` re-reads the config files on change and swaps the result in at once."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from tests.harness import MockdProcess, request

BASE = """\
version: "1.0"
mocks:
  - id: a
    http: {{matcher: {{path: /a}}, response: {{statusCode: 200, body: "{a}"}}}}
  - id: gone
    http: {{matcher: {{path: /gone}}, response: {{statusCode: 200, body: here}}}}
tables:
  - name: users
    seedData: [{{id: "1", name: Ada}}]
  - name: notes
    seedData: [{{id: "n1", text: "{note}"}}]
extend: []
"""


def _write(path: Path, text: str) -> None:
    """Replace the file as editors do: a new file renamed over the old one."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _until(check, what: str, timeout: float = 15.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"never saw {what}")


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "mocks.yaml"
    path.write_text(BASE.format(a="one", note="first"))
    return path


def test_a_saved_change_is_served_and_named_in_the_log(mockd_server, config: Path) -> None:
    server: MockdProcess = mockd_server("--config", str(config), "--watch")
    made = request(server.admin + "/mocks", "POST", {"id": "made", "type": "http", "http": {"matcher": {"path": "/made"},
                                                                       "response": {"statusCode": 201}}})  # fmt: skip
    assert made.status == 201
    request(server.url + "/a")  # one call before the edit
    text = BASE.format(a="two", note="first").replace(
        "  - id: gone\n    http: {matcher: {path: /gone}, response: {statusCode: 200, body: here}}\n",
        "  - id: new\n    http: {matcher: {path: /new}, response: {statusCode: 200, body: fresh}}\n",
    )
    _write(config, text)
    _until(lambda: request(server.url + "/a").body == b"two", "the edited body")
    assert request(server.url + "/new").body == b"fresh"
    assert request(server.url + "/gone").status == 404
    assert request(server.url + "/made").status == 201  # made over the admin API: not the file's to remove
    # the edited mock keeps its count: the call before the edit plus the polls (all but /new, /gone, /made)
    calls_to_a = request(server.admin + "/requests").json()["count"] - 3
    assert request(server.admin + "/mocks/a/verify").json()["callCount"] == calls_to_a
    line = _until(lambda: [ln for ln in server.printed().splitlines() if ln.startswith("config reloaded")],
                  "the reload line")  # fmt: skip
    assert line == [f"config reloaded ({config}): mocks added: new; mocks changed: a; mocks removed: gone"]


def test_tables_keep_their_items_unless_their_definition_changed(mockd_server, config: Path) -> None:
    server: MockdProcess = mockd_server("--config", str(config), "--watch")
    created = request(server.admin + "/state/resources/users/items", "POST", {"name": "Grace"})
    assert created.status == 201
    request(server.admin + "/state/resources/notes/items", "POST", {"text": "mine"})
    _write(config, BASE.format(a="one", note="second"))
    _until(lambda: "config reloaded" in server.printed(), "the reload")
    users = request(server.admin + "/state/resources/users/items").json()["data"]
    assert sorted(u["name"] for u in users) == ["Ada", "Grace"]  # unchanged table: items kept
    notes = request(server.admin + "/state/resources/notes/items").json()["data"]
    assert [n["text"] for n in notes] == ["second"]  # new definition: back to its (new) seed
    assert "tables changed: notes" in server.printed()


def test_a_file_that_fails_validation_keeps_the_running_set(mockd_server, config: Path) -> None:
    server: MockdProcess = mockd_server("--config", str(config), "--watch")
    _write(config, BASE.format(a="one", note="first").replace("statusCode: 200", "statusCode: 99", 1))
    _until(lambda: "config not reloaded" in server.printed(), "the refusal")
    assert "mocks.yaml:4:" in server.printed()  # the error names the file and line
    assert request(server.url + "/a").body == b"one"
    _write(config, BASE.format(a="fixed", note="first"))
    _until(lambda: request(server.url + "/a").body == b"fixed", "the fixed file")


def test_no_request_fails_or_is_misrouted_while_the_set_is_swapped(mockd_server, config: Path) -> None:
    server: MockdProcess = mockd_server("--config", str(config), "--watch")
    bad: list[tuple[int, bytes]] = []
    seen: set[bytes] = set()
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            r = request(server.url + "/a")
            seen.add(r.body)
            if r.status != 200 or not r.body.startswith(b"v"):
                bad.append((r.status, r.body))

    _write(config, BASE.format(a="v0", note="first"))
    _until(lambda: request(server.url + "/a").body == b"v0", "v0")
    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    try:
        for n in range(1, 6):
            _write(config, BASE.format(a=f"v{n}", note="first"))
            _until(lambda n=n: request(server.url + "/a").body == f"v{n}".encode(), f"v{n}")
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert bad == []
    assert {b"v0", b"v5"} <= seen


def test_watch_needs_a_config_file() -> None:
    from tests.harness import free_port, run_cli

    done = run_cli("start", "-p", str(free_port()), "-a", str(free_port()), "--watch", timeout=30)
    assert (done.returncode, done.stderr) == (
        1,
        "--watch needs --config: it re-reads the config files when they change\n",
    )
