"""`mockd add|http add|list|get|delete|stateful …|logs|ports` against a real server: the Go CLI's output
and exit codes (operations reference §4), and the same clear error when no server answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.harness import MOCKD, MockdProcess, free_port, request, run_cli

HINTS = [
    "",
    "Suggestions:",
    "  • Start the server: mockd start",
    "  • Check if the server is running on the expected port",
    "  • Verify the admin URL with: mockd config",
]


@pytest.fixture
def server(mockd_server: Callable[..., MockdProcess]) -> MockdProcess:
    return mockd_server("--config", str(EXAMPLES / "quickstart.yaml"))


def cli(server: MockdProcess, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    if stdin is None:
        return run_cli(*args, env={"MOCKD_ADMIN_URL": server.admin})
    return subprocess.run([*MOCKD, *args], input=stdin, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "MOCKD_ADMIN_URL": server.admin}, check=False)  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [["list"], ["get", "x"], ["delete", "x"], ["add", "--path", "/x"], ["stateful", "list"],
     ["logs", "--requests"]],
)  # fmt: skip
def test_every_client_command_says_plainly_that_no_server_answers(args: list[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    r = run_cli(*args, "--admin-url", url)
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.splitlines() == [
        f"Error: cannot connect to admin API at {url}: connection refused",
        *HINTS,
    ]


def test_list_table_and_json(server: MockdProcess) -> None:
    r = cli(server, "list")
    assert r.returncode == 0
    assert r.stdout.splitlines() == [
        "ID            TYPE  PATH             METHOD  STATUS  ENABLED",
        "hello         http  /api/hello       GET     200     true",
        "get-user      http  /api/users/{id}  GET     200     true",
        "admin-only    http  /api/admin       GET     200     true",
        "create-order  http  /api/orders      POST    201     true",
        "slow          http  /api/slow        GET     200     true",
        "broken        http  /api/broken      GET     503     true",
    ]
    js = json.loads(cli(server, "list", "--json").stdout)
    assert js[0] == {"id": "hello", "name": "Say hello", "type": "http", "path": "/api/hello", "method": "GET",
                     "status": 200, "enabled": True}  # fmt: skip
    r = cli(server, "list", "extra")
    assert (r.returncode, r.stderr) == (1, "unexpected arguments: [extra]\n")


def test_add_creates_then_updates_the_same_route(server: MockdProcess) -> None:
    r = cli(server, "add", "--path", "/api/new", "-b", "hi", "-H", "X-A: b", "--match-query", "q=1")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Created mock: http_")
    assert lines[1:] == ["  Type: http", "  Method: GET", "  Path:   /api/new", "  Status: 200"]
    mock_id = lines[0].removeprefix("Created mock: ")
    reply = request(server.url + "/api/new?q=1")
    assert (reply.status, reply.body, reply.headers["x-a"]) == (200, b"hi", "b")

    r = cli(server, "http", "add", "--path", "/api/new", "-s", "201", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"id": mock_id, "type": "http", "action": "updated", "method": "GET",
                                    "path": "/api/new", "statusCode": 201}  # fmt: skip
    assert request(server.url + "/api/new").status == 201

    r = cli(server, "add", "--path", "/api/new", "--allow-duplicate", "--json")
    assert json.loads(r.stdout)["action"] == "created"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add"], "--path or --path-pattern is required for HTTP mocks\n\nUsage: mockd add --path /api/endpoint "
                  "[flags]\n\nRun 'mockd add --help' for more options\n"),
        (["add", "--path", "/a", "--path-pattern", "^/a"], "--path and --path-pattern are mutually exclusive\n"),
        (["add", "-t", "ftp", "--path", "/a"],
         "invalid mock type: ftp\n\nValid types: http, websocket, graphql, grpc, mqtt, soap, oauth\n"),
        (["add", "--path", "/a", "-H", "nocolon"], "invalid header format: nocolon (expected key:value)\n"),
        (["add", "--path", "/a", "--table", "users"],
         "--table and --bind must be used together\n\nUsage: mockd add http --path /api/users --table users "
         "--bind list\n"),
    ],
)  # fmt: skip
def test_add_refuses_bad_flags_with_the_go_messages(
    server: MockdProcess, args: list[str], message: str
) -> None:
    r = cli(server, *args)
    assert (r.returncode, r.stdout, r.stderr) == (1, "", message)


def test_get_shows_a_mock_or_says_it_is_missing(server: MockdProcess) -> None:
    r = cli(server, "get", "hello")
    assert r.returncode == 0
    assert r.stdout.splitlines() == [
        "Mock: hello", "  Name:     Say hello", "  Method:   GET", "  Path:     /api/hello", "  Status:   200",
        "  Enabled:  true", "  Priority: 0", "  Body:", '    {"message":"Hello from mockd"}',
    ]  # fmt: skip
    assert json.loads(cli(server, "get", "hello", "--json").stdout)["id"] == "hello"
    r = cli(server, "get", "nope")
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        "Error: mock not found: nope", "", "Suggestions:", "  • Check the ID with: mockd list",
        "  • Verify you're connected to the right server",
    ]  # fmt: skip
    r = cli(server, "get")
    assert (r.returncode, r.stderr.splitlines()[0]) == (1, "mock ID is required")


def test_delete_by_id_prefix_and_path(server: MockdProcess) -> None:
    r = cli(server, "delete", "hello")
    assert (r.returncode, r.stdout) == (0, "Deleted mock: hello\n")
    r = cli(server, "delete", "create", "--json")
    assert json.loads(r.stdout) == {"deleted": True, "id": "create-order", "method": "POST",
                                    "path": "/api/orders", "statusCode": 201}  # fmt: skip
    r = cli(server, "delete", "--path", "/api/broken")
    assert (r.returncode, r.stdout) == (0, "Deleted mock: broken (GET /api/broken → 503)\n")
    r = cli(server, "delete", "--path", "/nowhere", "--method", "post")
    assert (r.returncode, r.stderr) == (1, "no mocks found matching POST /nowhere\n")
    for _ in range(2):
        assert cli(server, "add", "--path", "/twice", "--allow-duplicate").returncode == 0
    r = cli(server, "delete", "--path", "/twice", stdin="n\n")
    assert r.returncode == 0
    assert r.stdout.endswith("Delete all 2 mocks? [y/N]: Cancelled\n")
    r = cli(server, "delete", "--path", "/twice", "-y")
    assert r.stdout.endswith("Deleted 2 mock(s)\n")
    r = cli(server, "rm", "nope")
    assert r.returncode == 1
    assert r.stderr.splitlines()[0] == "Error: mock not found: nope"
    r = cli(server, "delete")
    assert (r.returncode, r.stderr.splitlines()[0]) == (1, "mock ID or --path is required")
    assert [m["id"] for m in request(server.admin + "/mocks").json()["mocks"]] == [
        "get-user",
        "admin-only",
        "slow",
    ]


def test_stateful_commands(server: MockdProcess, tmp_path: Path) -> None:
    r = cli(server, "stateful", "list")
    assert r.stdout == ("No stateful resources configured.\n\nCreate one with: mockd stateful add <name> "
                        "[--path /api/<name>]\n")  # fmt: skip
    assert json.loads(cli(server, "stateful", "list", "--json").stdout) == {"resources": [], "total": 0}
    seed = tmp_path / "seed.json"
    seed.write_text('[{"id": "1", "name": "Ada"}, {"id": "2", "name": "Grace"}]')
    r = cli(server, "stateful", "add", "users", "--seed-data", f"@{seed}")
    assert (r.returncode, r.stdout) == (0, "Created stateful resource: users\n  Access via: extend bindings or "
                                           "protocol integrations (SOAP, GraphQL, gRPC)\n")  # fmt: skip
    r = cli(server, "stateful", "add", "users")
    assert (r.returncode, r.stderr) == (1, "resource already exists: users\n")
    r = cli(server, "stateful", "add", "notes", "--id-field", "key", "--json")
    assert json.loads(r.stdout) == {"resource": "notes", "idField": "key", "action": "created"}
    r = cli(server, "stateful", "list")
    assert r.stdout.splitlines() == [
        "Stateful Resources (2):", "", "NAME   ITEMS  SEED  ID FIELD", "----   -----  ----  --------",
        "notes  0      0     key", "users  2      2     id", "", "Total items across all resources: 2",
    ]  # fmt: skip
    r = cli(server, "stateful", "items", "users", "--limit", "1")
    assert r.stdout.splitlines()[:2] == ["Items in users (2 total, showing 1):", ""]
    assert r.stdout.splitlines()[-1] == "  Use --offset 1 to see more"
    r = cli(server, "stateful", "reset", "users")
    assert r.stdout == "Reset stateful resource: users\n  All items replaced with seed data.\n"
    r = cli(server, "stateful", "reset", "nope")
    assert (r.returncode, r.stderr) == (1, "stateful resource not found: nope\n")
    r = cli(server, "stateful", "delete", "notes", "--json")
    assert json.loads(r.stdout) == {"resource": "notes", "action": "deleted"}
    assert cli(server, "stateful", "delete", "notes").returncode == 1


def test_logs_of_requests(server: MockdProcess) -> None:
    assert cli(server, "logs", "--requests").stdout == "No request logs\n"
    request(server.url + "/api/hello")
    request(server.url + "/api/nothing-here")
    r = cli(server, "logs", "--requests")
    lines = r.stdout.splitlines()
    assert lines[0] == "TIMESTAMP            PROTOCOL  METHOD  PATH               MATCHED         DURATION"
    assert lines[1][19:].split()[:-1] == ["http", "GET", "/api/nothing-here", "(none,", "3", "near)"]
    assert lines[2][19:].split()[:-1] == ["http", "GET", "/api/hello", "hello"]
    assert lines[1].endswith("ms")  # the duration, whatever it was
    js = json.loads(cli(server, "logs", "--requests", "--matched", "--json").stdout)
    assert [e["path"] for e in js] == ["/api/hello"]
    js = json.loads(cli(server, "logs", "--requests", "--unmatched", "--json").stdout)
    assert [e["path"] for e in js] == ["/api/nothing-here"]
    assert cli(server, "logs", "--requests", "--clear").stdout == "Cleared 2 log entries\n"


def test_logs_follow_streams_requests_as_they_arrive(server: MockdProcess) -> None:
    proc = subprocess.Popen([*MOCKD, "logs", "--requests", "-f", "--admin-url", server.admin],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "Streaming logs (press Ctrl+C to stop)...\n"
        assert proc.stdout.readline() == "\n"
        # The stream is open once the server lists it as a client; a request made now is streamed.
        request(server.url + "/api/hello")
        line = proc.stdout.readline()
        assert line[19:].split()[:-1] == ["http", "GET", "/api/hello", "hello"]
    finally:
        proc.kill()
        proc.wait()


def test_logs_without_requests_reads_the_log_files(tmp_path: Path) -> None:
    r = run_cli("logs", env={"HOME": str(tmp_path)})
    assert (r.returncode, r.stdout) == (0, f"No logs found at {tmp_path}/.mockd/logs\nLogs are created when "
                                           "running 'mockd up -d' in detached mode.\n")  # fmt: skip
    (tmp_path / ".mockd").mkdir()
    (tmp_path / ".mockd" / "daemon.log").write_text("one\ntwo\nthree\n")
    r = run_cli("logs", "-n", "2", env={"HOME": str(tmp_path)})
    assert (r.returncode, r.stdout) == (0, "two\nthree\n")


def test_ports(server: MockdProcess, tmp_path: Path) -> None:
    r = cli(server, "ports")
    first, second = sorted([server.port, server.admin_port])
    names = {server.port: "Mock Engine", server.admin_port: "Admin API"}
    assert r.stdout.splitlines() == [
        "", "PORT    PROTOCOL   COMPONENT       STATUS", "------- ---------- --------------- --------",
        f"{first:<7} HTTP       {names[first]:<15} running", f"{second:<7} HTTP       {names[second]:<15} running",
        "",
    ]  # fmt: skip
    js = json.loads(cli(server, "ports", "--json").stdout)
    assert js["running"] is True
    assert len(js["ports"]) == 2
    r = run_cli(
        "ports", "--admin-url", f"http://127.0.0.1:{free_port()}", "--pid-file", str(tmp_path / "none")
    )
    assert (r.returncode, r.stdout) == (0, "mockd is not running\n\nTo start: mockd serve\n")


def test_help_lists_the_client_commands() -> None:
    r = subprocess.run([sys.executable, "-m", "mockd", "--help"], capture_output=True, text=True, check=False)
    for name in ("add", "list", "get", "delete", "logs", "ports", "stateful", "status", "http"):
        assert f" {name} " in r.stdout or f" {name}\n" in r.stdout


def test_logs_follow_prints_lines_as_the_log_file_grows(tmp_path: Path) -> None:
    log = tmp_path / ".mockd" / "daemon.log"
    log.parent.mkdir()
    log.write_text("old line\n")
    proc = subprocess.Popen([*MOCKD, "logs", "-f"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "HOME": str(tmp_path)})  # fmt: skip
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "old line\n"
        assert proc.stdout.readline() == "Following logs (press Ctrl+C to stop)...\n"
        assert proc.stdout.readline() == "\n"
        with log.open("a") as f:
            f.write("new line\n")
        assert proc.stdout.readline() == "new line\n"
    finally:
        proc.kill()
        proc.wait()


def test_doctor_always_exits_0_and_reports_each_check(server: MockdProcess, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('version: "1.0"\nmocks: [{id: x}]\n')
    r = run_cli("doctor", "-p", str(server.port), "-a", str(server.admin_port), "--config", str(bad),
                env={"HOME": str(tmp_path)}, cwd=tmp_path)  # fmt: skip
    assert r.returncode == 0
    assert r.stdout.splitlines() == [
        "mockd doctor", "============", "",
        f"  ✗ port_{server.port}_mock_server: in use", f"  ✗ port_{server.admin_port}_admin_api: in use",
        f"  ✗ config_file: {bad}:2:9: mocks[0].http: http spec is required for HTTP mocks",
        f"  ✓ mockd_running: responding on :{server.admin_port}", "  • default_configs: none found",
        "  • pid_file: not found", "  • data_directory: not used: nothing persists without --data-dir", "",
        "Some checks failed. See above for details.",
    ]  # fmt: skip
    js = json.loads(run_cli("doctor", "--json", "-p", str(server.port), env={"HOME": str(tmp_path)}).stdout)
    assert list(js) == ["allPassed", "checks"]
    assert js["allPassed"] is False
    assert js["checks"][0] == {
        "name": f"port_{server.port}_mock_server",
        "status": "fail",
        "detail": "in use",
    }


def test_update_changes_only_the_given_fields(server: MockdProcess) -> None:
    r = cli(server, "update", "hello", "-s", "201", "-b", "changed", "-H", "X-Y: z")
    assert (r.returncode, r.stdout) == (0, "Updated mock: hello\n  GET /api/hello\n  Status: 201\n")
    reply = request(server.url + "/api/hello")
    assert (reply.status, reply.body, reply.headers["x-y"]) == (201, b"changed", "z")
    r = cli(server, "update", "hello", "--enabled", "false", "--json")
    assert json.loads(r.stdout) == {"id": "hello", "action": "updated"}
    assert request(server.url + "/api/hello").status == 404
    r = cli(server, "update", "hello", "--enabled", "maybe")
    assert (r.returncode, r.stderr) == (1, "--enabled must be 'true' or 'false', got \"maybe\"\n")
    r = cli(server, "update", "hello")
    assert (r.returncode, r.stderr.splitlines()[0]) == (1, "no update flags specified")
    r = cli(server, "update", "nope", "-s", "200")
    assert (r.returncode, r.stderr) == (1, "mock not found\n")
