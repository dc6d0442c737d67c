"""`mockd health` and `mockd verify …` against a real server (reference §6, T1): the Go CLI's output and
exit codes, so CI scripts written for it keep working."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import EXAMPLES
from tests.harness import MockdProcess, free_port, request, run_cli

CONNECTION_HINTS = [
    "",
    "Suggestions:",
    "  • Start the server: mockd start",
    "  • Check if the server is running on the expected port",
    "  • Verify the admin URL with: mockd config",
]


@pytest.fixture
def server(mockd_server: Callable[..., MockdProcess]) -> MockdProcess:
    return mockd_server("--config", str(EXAMPLES / "quickstart.yaml"))


def cli(server: MockdProcess, *args: str):
    return run_cli(*args, env={"MOCKD_ADMIN_URL": server.admin})


def test_health_of_a_running_server(server: MockdProcess) -> None:
    r = cli(server, "health")
    assert (r.returncode, r.stdout, r.stderr) == (0, "healthy\n", "")
    r = cli(server, "health", "--json")
    assert json.loads(r.stdout) == {"status": "healthy", "adminUrl": server.admin}
    assert list(json.loads(r.stdout)) == ["status", "adminUrl"]  # Go struct order, not sorted


def test_health_when_nothing_listens() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    r = run_cli("health", "--admin-url", url)
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.splitlines() == [
        f"unhealthy: Error: cannot connect to admin API at {url}: connection refused",
        *CONNECTION_HINTS,
        "server is not healthy",
    ]
    r = run_cli("health", "--admin-url", url, "--json")
    assert r.returncode == 1
    assert json.loads(r.stdout) == {
        "status": "unhealthy",
        "adminUrl": url,
        "error": f"cannot connect to admin API at {url}: connection refused",
    }
    assert r.stderr == "server is not healthy\n"


def test_verify_check_passes_and_fails_with_exit_codes(server: MockdProcess) -> None:
    for _ in range(2):
        assert request(server.url + "/api/hello").status == 200
    r = cli(server, "verify", "check", "hello", "--exactly", "2")
    assert (r.returncode, r.stdout, r.stderr) == (
        0, "PASS: Mock was called exactly 2 time(s) as expected (called 2 time(s))\n", ""
    )  # fmt: skip
    r = cli(server, "verify", "check", "hello", "--at-least", "3")
    assert (r.returncode, r.stdout, r.stderr) == (
        1, "FAIL: Verification failed: expected at least 3 call(s) but got 2\n", "verification failed\n"
    )  # fmt: skip
    r = cli(server, "verify", "check", "slow", "--never")
    assert (r.returncode, r.stdout) == (0, "PASS: Mock was never called as expected (called 0 time(s))\n")
    r = cli(server, "verify", "check", "hello", "--at-least", "1", "--at-most", "2", "--json")
    assert r.returncode == 0
    assert r.stdout == (
        '{\n  "actual": 2,\n  "expected": "at least 1 time(s) and at most 2 time(s)",\n'
        '  "message": "Mock was called 2 time(s), matching expectations",\n  "passed": true\n}\n'
    )


def test_verify_check_needs_a_criterion(server: MockdProcess) -> None:
    r = cli(server, "verify", "check", "hello")
    assert (r.returncode, r.stdout, r.stderr) == (
        1, "", "at least one assertion flag is required (--exactly, --at-least, --at-most, --never)\n"
    )  # fmt: skip


def test_verify_status_before_and_after_a_call(server: MockdProcess) -> None:
    r = cli(server, "verify", "status", "hello")
    assert (r.returncode, r.stdout) == (0, "Mock: hello\n  Call count: 0\n  Last called: never\n")
    request(server.url + "/api/hello")
    data = json.loads(cli(server, "verify", "status", "hello", "--json").stdout)
    assert sorted(data) == ["callCount", "lastCalledAt", "mockId"]
    assert (data["callCount"], data["mockId"]) == (1, "hello")
    # RFC 3339 from the server, shown to the second as Go's "2006-01-02 15:04:05"
    day, clock = data["lastCalledAt"].split("T")
    r = cli(server, "verify", "status", "hello")
    assert r.stdout == f"Mock: hello\n  Call count: 1\n  Last called: {day} {clock[:8]}\n"


def test_verify_invocations_newest_first_with_bodies(server: MockdProcess) -> None:
    r = cli(server, "verify", "invocations", "create-order")
    assert (r.returncode, r.stdout) == (
        0,
        "Mock: create-order (0 invocation(s))\n\n  No invocations recorded.\n",
    )
    long_body = {"items": ["x" * 200]}
    for body in ({"items": [1]}, long_body):
        assert request(server.url + "/api/orders", "POST", body).status == 201
    lines = cli(server, "verify", "invocations", "create-order").stdout.splitlines()
    assert lines[:2] == ["Mock: create-order (2 invocation(s))", ""]
    assert [line.split(" ", 4)[-1] for line in (lines[2], lines[4])] == [
        "POST /api/orders at create-order"
    ] * 2
    assert lines[3] == "      Body: " + json.dumps(long_body)[:120] + "..."
    assert lines[5] == '      Body: {"items": [1]}'
    assert len(lines) == 6


def test_verify_reset_one_and_all(server: MockdProcess) -> None:
    request(server.url + "/api/hello")
    request(server.url + "/api/admin", headers={"Authorization": "Bearer t"})
    r = cli(server, "verify", "reset", "hello")
    assert (r.returncode, r.stdout) == (0, "Verification data cleared for mock: hello\n")
    assert cli(server, "verify", "check", "hello", "--never").returncode == 0
    assert cli(server, "verify", "check", "admin-only", "--exactly", "1").returncode == 0
    r = cli(server, "verify", "reset", "--json")
    assert (r.returncode, r.stdout) == (0, '{\n  "message": "All verification data cleared"\n}\n')
    assert cli(server, "verify", "check", "admin-only", "--never").returncode == 0


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["verify", "status", "nope"], "failed to get verification status"),
        (["verify", "check", "nope", "--never"], "failed to verify mock"),
        (["verify", "invocations", "nope"], "failed to list invocations"),
        (["verify", "reset", "nope"], "failed to reset verification for nope"),
    ],
)
def test_an_unknown_mock_is_named(server: MockdProcess, args: list[str], what: str) -> None:
    r = cli(server, *args)
    assert (r.returncode, r.stdout, r.stderr) == (1, "", f"{what}: mock not found: nope\n")


@pytest.fixture
def fake_admin() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A stand-in admin API answering 401 with the admin error envelope, recording each request's headers:
    a real server exempts loopback callers from the key, so only a stand-in shows the key is sent."""
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append({k.lower(): v for k, v in self.headers.items()})
            body = b'{"error":"unauthorized","message":"Invalid or missing API key"}'
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_the_key_comes_from_mockd_api_key_and_server_messages_are_shown(
    fake_admin: tuple[str, list[dict[str, str]]],
) -> None:
    url, seen = fake_admin
    r = run_cli("verify", "status", "hello", "--admin-url", url, env={"MOCKD_API_KEY": "k-123"})
    assert (r.returncode, r.stdout, r.stderr) == (
        1, "", "failed to get verification status: Invalid or missing API key\n"
    )  # fmt: skip
    assert (seen[0]["x-api-key"], seen[0]["accept"]) == ("k-123", "application/json")
