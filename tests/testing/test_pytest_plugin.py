"""The pytest plugin in real inner pytest runs: fixtures, isolation, failure reports, xdist, bad configs."""

from __future__ import annotations

import tomllib

import pytest

from tests.testing.conftest import ROOT, run

PASSING = """
import httpx

def test_user(mockd_url, mockd):
    reply = httpx.get(mockd_url + "/api/users/1")
    assert reply.json() == {"id": 1, "name": "Alice"}
    mockd.verify("get-user", exactly=1)

def test_counts_start_from_zero(mockd):
    mockd.verify("get-user", never=True)
    assert mockd.requests().total == 0

def test_state_is_reset(mockd_url, mockd):
    assert httpx.post(mockd_url + "/api/tasks", json={"id": "task-2", "title": "x"}).status_code == 201
    assert mockd.resource("tasks").itemCount == 2

def test_state_was_reset(mockd):
    assert mockd.resource("tasks").itemCount == 1

def test_adds_a_mock(mockd):
    mockd.create_mock({"id": "temp", "type": "http",
                       "http": {"matcher": {"method": "GET", "path": "/t"}, "response": {"statusCode": 204}}})

def test_mock_from_the_last_test_is_gone(mockd):
    assert [m["id"] for m in mockd.list_mocks().mocks] == ["get-user"]
"""


def test_fixtures_give_a_reset_server_per_test(suite: pytest.Pytester) -> None:
    suite.makepyfile(test_app=PASSING)
    result = run(suite, "-v")
    result.assert_outcomes(passed=6)


def test_the_same_server_serves_every_test(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_pids="""
PIDS = []

def test_a(mockd_service):
    PIDS.append(mockd_service.pid)

def test_b(mockd_service):
    PIDS.append(mockd_service.pid)
    assert PIDS[0] == PIDS[1]
"""
    )
    run(suite).assert_outcomes(passed=2)


def test_a_failed_test_reports_requests_and_near_misses(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_fail="""
import httpx

def test_wrong_path(mockd_url, mockd):
    assert httpx.get(mockd_url + "/api/users/1").status_code == 200
    assert httpx.get(mockd_url + "/api/user/1?x=1").status_code == 200
"""
    )
    result = run(suite)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- mockd requests -*",
            "2 request(s) reached mockd at http://127.0.0.1:*, oldest first:",
            "  GET /api/users/1 -> 200 (mock get-user)",
            "  GET /api/user/1?x=1 -> 404 (no mock matched)",
            "      near miss get-user (Get user), *%: *",
        ]
    )


def test_a_failed_verify_shows_expected_actual_and_invocations(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_verify="""
import httpx

def test_called_twice(mockd_url, mockd):
    httpx.get(mockd_url + "/api/users/1")
    httpx.get(mockd_url + "/api/users/1")
    mockd.verify("get-user", exactly=1)
"""
    )
    result = run(suite)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            '>       mockd.verify("get-user", exactly=1)',
            "E       *VerificationError: mock 'get-user': expected exactly 1 time(s), was called 2 time(s)",
            "E         server: Expected mock to be called exactly 1 time(s), but it was called 2 time(s)",
            "E         last 2 invocation(s), newest first:",
            "E           * GET /api/users/1",
            "E           * GET /api/users/1",
            "",
            "test_verify.py:6: VerificationError",
        ]
    )


def test_a_marker_picks_another_config(suite: pytest.Pytester) -> None:
    suite.makefile(
        ".json",
        other='{"mocks": [{"id": "ping", "type": "http", "http": {"matcher": {"path": "/ping"}, '
        '"response": {"statusCode": 200, "body": "pong"}}}]}',
    )
    suite.makepyfile(
        test_marker="""
import httpx
import pytest

@pytest.mark.mockd(config="other.json")
def test_other(mockd_url, mockd):
    assert httpx.get(mockd_url + "/ping").text == "pong"
    assert [m["id"] for m in mockd.list_mocks().mocks] == ["ping"]

def test_default(mockd):
    assert [m["id"] for m in mockd.list_mocks().mocks] == ["get-user"]
"""
    )
    run(suite).assert_outcomes(passed=2)


def test_a_module_marker_can_merge_several_configs(suite: pytest.Pytester) -> None:
    suite.makefile(
        ".json",
        extra='{"mocks": [{"id": "ping", "type": "http", "http": {"matcher": {"path": "/ping"}, '
        '"response": {"statusCode": 200, "body": "pong"}}}]}',
    )
    suite.makepyfile(
        test_merged="""
import pytest

pytestmark = pytest.mark.mockd(config=["mocks.yaml", "extra.json"])

def test_both(mockd):
    assert [m["id"] for m in mockd.list_mocks().mocks] == ["get-user", "ping"]
"""
    )
    run(suite).assert_outcomes(passed=1)


def test_config_mocks_a_test_changed_or_deleted_are_put_back(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_restore="""
import httpx

def test_changes_them(mockd, mockd_url):
    mockd.patch_mock("get-user", {"http": {"response": {"statusCode": 500}}})
    mockd.toggle_mock("get-user")
    mockd.set_chaos({"enabled": True, "errorRate": {"probability": 1.0}})

def test_sees_the_config(mockd, mockd_url):
    assert httpx.get(mockd_url + "/api/users/1").json() == {"id": 1, "name": "Alice"}
    assert mockd.chaos()["enabled"] is False

def test_deletes_it(mockd):
    mockd.delete_mock("get-user")

def test_has_it_back(mockd, mockd_url):
    assert httpx.get(mockd_url + "/api/users/1").status_code == 200
    assert mockd.get_mock("get-user")["name"] == "Get user"
"""
    )
    run(suite).assert_outcomes(passed=4)


def test_the_config_can_be_named_in_pyproject_toml(suite: pytest.Pytester) -> None:
    (suite.path / "tox.ini").unlink()
    suite.makepyprojecttoml('[tool.pytest.ini_options]\nmockd_config = ["mocks.yaml"]\n')
    suite.makepyfile(
        test_py="def test_a(mockd):\n    assert mockd.list_mocks().mocks[0]['id'] == 'get-user'\n"
    )
    run(suite).assert_outcomes(passed=1)


def test_no_config_gives_an_empty_server(pytester: pytest.Pytester, suite: pytest.Pytester) -> None:
    suite.makeini("[pytest]\n")
    suite.makepyfile(test_empty="def test_empty(mockd):\n    assert mockd.list_mocks().total == 0\n")
    run(suite).assert_outcomes(passed=1)


def test_a_broken_config_fails_at_setup_with_positioned_errors(suite: pytest.Pytester) -> None:
    suite.makefile(".yaml", mocks="mocks:\n  - id: a\n    type: http\n    http:\n      matcher: {path: /x}\n")
    suite.makepyfile(test_broken="def test_a(mockd):\n    pass\n\ndef test_b(mockd_url):\n    pass\n")
    result = run(suite)
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*mockd could not start from */mocks.yaml",
            "mockd exited with code 1 before it was ready:",
            "*/mocks.yaml:4:5: mocks[[]0].http.response: one of response, sse, chunked, * is required",
        ]
    )
    assert "During handling" not in result.stdout.str()


def test_a_missing_config_is_named(suite: pytest.Pytester) -> None:
    suite.makeini("[pytest]\nmockd_config = nowhere.yaml\n")
    suite.makepyfile(test_missing="def test_a(mockd):\n    pass\n")
    result = run(suite)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*mockd config not found: */nowhere.yaml"])


def test_a_server_that_died_fails_the_next_test_with_its_exit_code(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_died="""
import os
import signal

def test_kills_it(mockd_service):
    os.kill(mockd_service.pid, signal.SIGKILL)
    mockd_service.proc.wait()

def test_next(mockd):
    pass
"""
    )
    result = run(suite)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*mockd (pid *) exited with code -9 during the session; last lines:"])


XDIST_TEST = """
import os
from pathlib import Path

import httpx

def test_{n}(mockd_service, mockd_url, mockd):
    assert httpx.get(mockd_url + "/api/users/1").status_code == 200
    mockd.verify("get-user", exactly=1)  # the worker's own server, reset before each test
    seen = Path(os.environ["SEEN_DIR"]) / "{n}"
    seen.write_text(f"{{os.environ['PYTEST_XDIST_WORKER']}} {{mockd_service.pid}} {{mockd_service.port}}")
"""


def test_xdist_runs_one_server_per_worker(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    seen_dir = suite.mkdir("seen")
    monkeypatch.setenv("SEEN_DIR", str(seen_dir))
    suite.makepyfile(**{f"test_x{n}": XDIST_TEST.format(n=n) for n in range(8)})
    result = run(suite, "-p", "xdist", "-n", "2")
    result.assert_outcomes(passed=8)
    seen = {tuple(p.read_text().split()) for p in seen_dir.iterdir()}
    workers = {worker for worker, _pid, _port in seen}
    assert workers == {"gw0", "gw1"}
    assert len(seen) == 2  # one server (pid, port) per worker, kept for the worker's whole session
    assert len({pid for _w, pid, _p in seen}) == len({port for _w, _pid, port in seen}) == 2


def test_the_plugin_is_declared_as_a_pytest11_entry_point() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["pytest11"] == {"mockd": "mockd.testing.pytest_plugin"}
