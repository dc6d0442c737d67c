"""`mockd mcp` against a real server, driven by the `mcp` SDK's client: every tool, exact result shapes,
bad arguments as tool errors (reference §8)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import anyio
import httpx
import pytest

from mockd.mcp.schemas import TOOLS
from tests.harness import free_port
from tests.mcp.client import Agent, agent

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
GO_ORDER = [
    "manage_mock", "manage_context", "manage_workspace", "import_mocks", "export_mocks", "get_server_status",
    "get_request_logs", "clear_request_logs", "get_chaos_config", "set_chaos_config", "reset_chaos_stats",
    "get_stateful_faults", "manage_circuit_breaker", "verify_mock", "get_mock_invocations",
    "reset_verification", "manage_state", "manage_custom_operation",
]  # fmt: skip


def run(admin: str, scenario: Callable[[Agent], Awaitable[None]], *flags: str) -> None:
    async def main() -> None:
        async with agent("--admin-url", admin, *flags) as a:
            await scenario(a)

    anyio.run(main)


def test_initialize_and_the_18_tools_in_the_go_order(mockd_server):
    server = mockd_server()

    async def main() -> None:
        async with agent("--admin-url", server.admin) as a:
            listed = (await a.session.list_tools()).tools
            assert [t.name for t in listed] == GO_ORDER
            by_name = {t.name: t for t in listed}
            assert by_name["verify_mock"].input_schema["required"] == ["id"]
            assert by_name["manage_mock"].input_schema["properties"]["type"]["enum"] == [
                "http", "websocket", "graphql", "grpc", "soap", "mqtt", "oauth"]  # fmt: skip
            assert by_name["get_request_logs"].input_schema["properties"]["limit"]["default"] == 100
            hints = {
                t.name: t.annotations.model_dump(by_alias=True, exclude_none=True) if t.annotations else None
                for t in listed
            }
            read_only = {"readOnlyHint": True, "idempotentHint": True}
            destructive = {"destructiveHint": True, "idempotentHint": True}
            assert hints == {
                "manage_mock": None, "manage_context": None, "manage_workspace": None, "import_mocks": None,
                "export_mocks": read_only, "get_server_status": read_only, "get_request_logs": read_only,
                "clear_request_logs": destructive, "get_chaos_config": read_only,
                "set_chaos_config": {"idempotentHint": True}, "reset_chaos_stats": destructive,
                "get_stateful_faults": read_only, "manage_circuit_breaker": {"idempotentHint": True},
                "verify_mock": read_only, "get_mock_invocations": read_only, "reset_verification": destructive,
                "manage_state": None, "manage_custom_operation": None,
            }  # fmt: skip
            assert all(t.input_schema == d.input_schema() for t, d in zip(listed, TOOLS, strict=True))

    anyio.run(main)


def test_mock_lifecycle_traffic_and_verification(mockd_server):
    server = mockd_server()

    async def scenario(a: Agent) -> None:
        hello = {
            "matcher": {"method": "GET", "path": "/hello"},
            "response": {"statusCode": 200, "body": "hi"},
        }
        created = await a.ok("manage_mock", {"action": "create", "id": "hello", "type": "http", "name": "Hello",
                                              "http": hello})  # fmt: skip
        assert created == {"action": "created", "id": "hello"}
        async with httpx.AsyncClient() as http:
            assert (await http.get(server.url + "/hello")).text == "hi"
            assert (await http.get(server.url + "/nothing")).status_code == 404

        status = await a.ok("get_server_status")
        assert status["uptime"] >= 0
        assert status | {"uptime": 0} == {
            "version": status["version"], "adminUrl": server.admin, "reachable": True, "healthy": True,
            "uptime": 0, "totalRequests": 2, "mockCount": 1,
            "ports": [
                {"port": server.admin_port, "protocol": "HTTP", "component": "Admin API", "status": "running"},
                {"port": server.port, "protocol": "HTTP", "component": "Mock Engine", "status": "running"},
            ],
        }  # fmt: skip

        mock = await a.ok("manage_mock", {"action": "get", "id": "hello"})
        assert (mock["id"], mock["name"], mock["http"]) == ("hello", "Hello", hello)
        listed = await a.call("manage_mock", {"action": "list"})
        assert (
            listed.text
            == '[{"id":"hello","type":"http","name":"Hello","enabled":true,"summary":"GET /hello"}]'
        )

        verified = await a.call("verify_mock", {"id": "hello", "at_least": 1, "expected_count": 1})
        assert verified.text == (
            '{"actualCount":1,"expected":{"atLeast":1,"exactCount":1},"mockId":"hello","verified":true}'
        )
        failed = await a.ok("verify_mock", {"id": "hello", "at_most": 0})
        assert failed == {"mockId": "hello", "verified": False, "actualCount": 1, "expected": {"atMost": 0}}

        invocations = await a.ok("get_mock_invocations", {"id": "hello"})
        assert (invocations["count"], invocations["total"]) == (1, 1)
        assert [(i["method"], i["path"]) for i in invocations["invocations"]] == [("GET", "/hello")]
        cut = await a.ok("get_mock_invocations", {"id": "hello", "limit": 0})
        assert (cut["invocations"], cut["truncated"], cut["totalCount"]) == ([], True, 1)

        logs = await a.ok("get_request_logs")
        assert [(e["method"], e["path"], e["status"], e.get("mockId")) for e in logs] == [
            ("GET", "/nothing", 404, None), ("GET", "/hello", 200, "hello")]  # fmt: skip
        assert all(TIMESTAMP.match(e["timestamp"]) and re.fullmatch(r"\d+ms", e["duration"]) for e in logs)
        assert list(logs[0]) == ["id", "method", "path", "status", "duration", "timestamp", "nearMisses"]
        assert logs[0]["nearMisses"] == [{"mockId": "hello", "mockName": "Hello", "matchPercentage": 40,
            "reason": 'method matched, but path expected "/hello", got "/nothing"'}]  # fmt: skip
        unmatched = await a.ok("get_request_logs", {"unmatchedOnly": True})
        assert [e["path"] for e in unmatched] == ["/nothing"]
        assert [e["path"] for e in await a.ok("get_request_logs", {"mockId": "hello"})] == ["/hello"]

        # update replaces http.response as a whole (the Go tool's decoder): the body is gone
        assert await a.ok("manage_mock", {"action": "update", "id": "hello", "name": "Renamed",
                                          "http": {"response": {"statusCode": 201}}}) == {"updated": True, "id": "hello"}  # fmt: skip
        async with httpx.AsyncClient() as http:
            reply = await http.get(server.url + "/hello")
        assert (reply.status_code, reply.text) == (201, "")
        toggled = await a.call("manage_mock", {"action": "toggle", "id": "hello", "enabled": False})
        assert toggled.text == '{"enabled":false,"id":"hello","toggled":true}'
        assert await a.ok("manage_mock", {"action": "list", "enabled": True}) == []
        assert await a.ok("manage_mock", {"action": "list", "type": "http", "enabled": False}) == [
            {"id": "hello", "type": "http", "name": "Renamed", "enabled": False, "summary": "GET /hello"}]  # fmt: skip
        assert await a.ok("manage_mock", {"action": "toggle", "id": "hello"}) == {
            "toggled": True, "id": "hello", "enabled": True}  # fmt: skip

        assert await a.ok("reset_verification", {"id": "hello"}) == {"reset": True, "mockId": "hello"}
        assert (await a.ok("verify_mock", {"id": "hello"}))["actualCount"] == 0
        assert await a.ok("reset_verification") == {
            "reset": True, "scope": "all", "message": "verification data cleared for all mocks"}  # fmt: skip
        async with httpx.AsyncClient() as http:
            await http.get(server.url + "/hello")
        assert await a.ok("clear_request_logs") == {"cleared": 1}
        assert await a.ok("get_request_logs") == []

        assert await a.ok("manage_mock", {"action": "delete", "id": "hello"}) == {
            "deleted": True,
            "id": "hello",
        }
        assert await a.error("manage_mock", {"action": "get", "id": "hello"}) == "mock not found: hello"
        assert await a.error("get_mock_invocations", {"id": "hello"}) == "mock not found: hello"

    run(server.admin, scenario)


def test_state_tables_extend_binding_and_custom_operations(mockd_server):
    server = mockd_server()

    async def scenario(a: Agent) -> None:
        added = await a.call("manage_state", {"action": "add_resource", "resource": "todos",
                                              "seed_data": [{"id": "t1", "title": "seeded"}]})  # fmt: skip
        assert added.text == '{"created":true,"idField":"id","resource":"todos"}'
        assert await a.error("manage_state", {"action": "add_resource", "resource": "todos"}) == (
            "failed to create stateful resource: resource already exists: todos"
        )
        overview = await a.ok("manage_state", {"action": "overview"})
        assert overview["resources"] == [{"name": "todos", "itemCount": 1, "seedCount": 1, "idField": "id"}]
        item = await a.ok("manage_state", {"action": "create_item", "resource": "todos",
                                           "data": {"id": "t2", "title": "new"}})  # fmt: skip
        assert (item["id"], item["title"]) == ("t2", "new")
        assert (
            await a.ok("manage_state", {"action": "get_item", "resource": "todos", "item_id": "t2"}) == item
        )
        page = await a.ok("manage_state", {"action": "list_items", "resource": "todos", "sort": "id",
                                           "order": "asc"})  # fmt: skip
        assert [row["id"] for row in page["data"]] == ["t1", "t2"]
        assert page["meta"] == {"total": 2, "limit": 100, "offset": 0, "count": 2}

        bound = await a.ok("manage_mock", {"action": "create", "type": "http",
                                           "http": {"matcher": {"method": "GET", "path": "/todos"}},
                                           "extend": {"table": "todos", "action": "list"}})  # fmt: skip
        assert bound["action"] == "created"
        async with httpx.AsyncClient() as http:
            listed = (await http.get(server.url + "/todos")).json()
        assert [row["id"] for row in listed["data"]] == ["t2", "t1"]

        assert await a.ok("manage_state", {"action": "reset", "resource": "todos"}) == {
            "reset": True, "resource": "todos", "message": "resource reset to seed data"}  # fmt: skip
        assert (await a.ok("manage_state", {"action": "list_items", "resource": "todos"}))["meta"][
            "total"
        ] == 1

        assert await a.ok("manage_custom_operation", {"action": "list"}) == {"count": 0, "operations": []}
        definition = {"name": "Retitle", "steps": [{"type": "update", "resource": "todos", "id": "input.id",
                                                    "set": {"title": "input.title"}}]}  # fmt: skip
        assert await a.ok("manage_custom_operation", {"action": "register", "definition": definition}) == {
            "registered": True}  # fmt: skip
        got = await a.ok("manage_custom_operation", {"action": "get", "name": "Retitle"})
        assert (got["name"], got["steps"]) == ("Retitle", definition["steps"])
        assert (await a.ok("manage_custom_operation", {"action": "list"}))["count"] == 1
        await a.ok("manage_custom_operation", {"action": "execute", "name": "Retitle",
                                               "input": {"id": "t1", "title": "changed"}})  # fmt: skip
        changed = await a.ok("manage_state", {"action": "get_item", "resource": "todos", "item_id": "t1"})
        assert changed["title"] == "changed"
        assert await a.ok("manage_custom_operation", {"action": "delete", "name": "Retitle"}) == {
            "deleted": True, "name": "Retitle"}  # fmt: skip
        assert await a.error("manage_custom_operation", {"action": "get", "name": "Retitle"}) == (
            "operation not found: Retitle"
        )

        assert await a.ok("manage_state", {"action": "delete_resource", "resource": "todos"}) == {
            "deleted": True, "resource": "todos", "message": "resource fully unregistered"}  # fmt: skip
        assert await a.error("manage_state", {"action": "list_items", "resource": "todos"}) == (
            "failed to list stateful items: stateful resource not found: todos"
        )

    run(server.admin, scenario)


def test_chaos_tools(mockd_server):
    server = mockd_server()

    async def scenario(a: Agent) -> None:
        config = await a.ok("get_chaos_config")
        assert config["enabled"] is False
        assert config["availableProfiles"] == sorted(config["availableProfiles"])
        assert "flaky" in config["availableProfiles"]
        assert config["stats"]["totalRequests"] == 0

        applied = await a.call("set_chaos_config", {"enabled": True, "latency_ms": 2000, "error_rate": 0.5,
                                                    "error_codes": [503], "bandwidth_bytes_per_sec": 1000})  # fmt: skip
        assert applied.text == (
            '{"applied":true,"config":{"bandwidth":{"bytesPerSecond":1000,"probability":1},"enabled":true,'
            '"errorRate":{"probability":0.5,"statusCodes":[503]},"latency":{"max":"2s","min":"2s","probability":1}}}'
        )
        ranged = await a.ok(
            "set_chaos_config", {"enabled": True, "latency_min_ms": 10, "latency_max_ms": 1500}
        )
        assert ranged["config"]["latency"] == {"min": "10ms", "max": "1500ms", "probability": 1}
        assert (await a.ok("get_chaos_config"))["enabled"] is True
        assert await a.ok("set_chaos_config", {"enabled": True, "profile": "flaky"}) == {
            "applied": True, "profile": "flaky"}  # fmt: skip

        rules = [{"probability": 1, "pathPattern": "^/cb", "faults": [
            {"type": "circuit_breaker", "probability": 1, "config": {"failureThreshold": 2}}]}]  # fmt: skip
        assert await a.ok("set_chaos_config", {"enabled": True, "rules": rules}) == {
            "applied": True, "config": {"enabled": True, "rules": rules}}  # fmt: skip
        faults = await a.ok("get_stateful_faults")
        assert faults["circuitBreakers"]["0:0"]["state"] == "closed"
        assert await a.ok("manage_circuit_breaker", {"action": "trip", "key": "0:0"}) == {
            "action": "tripped", "key": "0:0", "message": 'circuit breaker "0:0" manually tripped to OPEN state'}  # fmt: skip
        assert (await a.ok("get_stateful_faults"))["circuitBreakers"]["0:0"]["state"] == "open"
        assert await a.ok("manage_circuit_breaker", {"action": "reset", "key": "0:0"}) == {
            "action": "reset", "key": "0:0", "message": 'circuit breaker "0:0" manually reset to CLOSED state'}  # fmt: skip
        assert await a.error("manage_circuit_breaker", {"action": "trip", "key": "9:9"}) == (
            "failed to trip circuit breaker: circuit breaker not found: 9:9"
        )
        assert await a.ok("reset_chaos_stats") == {
            "reset": True, "message": "chaos statistics counters reset to zero"}  # fmt: skip
        assert await a.ok("set_chaos_config", {"enabled": False}) == {
            "applied": True,
            "config": {"enabled": False},
        }
        assert (await a.ok("get_chaos_config"))["enabled"] is False

    run(server.admin, scenario)


def test_workspaces_import_and_export(mockd_server, tmp_path):
    server = mockd_server()
    spec = tmp_path / "items.sh"
    spec.write_text("curl -X POST http://example.com/api/items -d '{\"a\":1}'\n")

    async def scenario(a: Agent) -> None:
        workspaces = await a.ok("manage_workspace", {"action": "list"})
        assert workspaces == {"currentWorkspace": "", "workspaces": [{"id": "", "name": "Default",
            "type": "local", "description": "Default workspace", "basePath": "", "active": True}]}  # fmt: skip
        created = await a.ok("manage_workspace", {"action": "create", "name": "Team A"})
        ws_id = created["id"]
        assert created == {"created": True, "id": ws_id, "name": "Team A", "type": "local", "basePath": "/team-a",
            "hint": "Mocks in this workspace are served under the base path /team-a (e.g., /team-a/v1/resource). "
                    "Use 'manage_workspace switch' to route subsequent MCP operations to this workspace."}  # fmt: skip
        assert await a.error("manage_workspace", {"action": "switch", "id": "ws_nope"}) == (
            "workspace not found: ws_nope"
        )
        assert await a.ok("manage_workspace", {"action": "switch", "id": ws_id}) == {
            "switched": True, "workspace": ws_id, "name": "Team A", "basePath": "/team-a",
            "hint": "Mocks in this workspace are served under /team-a (e.g., /team-a/v1/resource)"}  # fmt: skip
        # the session's workspace scopes what it creates and lists
        await a.ok("manage_mock", {"action": "create", "type": "http", "id": "in-ws",
                                   "http": {"matcher": {"method": "GET", "path": "/ws"}, "response": {"body": "w"}}})  # fmt: skip
        assert [m["id"] for m in await a.ok("manage_mock", {"action": "list"})] == ["in-ws"]
        switched = await a.ok("manage_workspace", {"action": "list"})
        assert switched["currentWorkspace"] == ws_id
        assert [w["active"] for w in switched["workspaces"]] == [False, True]

    async def portability(a: Agent) -> None:
        dry = await a.ok("import_mocks", {"file": str(spec), "dryRun": True})
        assert dry == {"dryRun": True, "format": "curl", "mockCount": 1, "wouldReplace": False}
        imported = await a.call("import_mocks", {"content": spec.read_text(), "format": "curl"})
        assert imported.text == (
            '{"format":"curl","imported":1,"message":"Import completed successfully","replaced":false}'
        )
        async with httpx.AsyncClient() as http:
            assert (await http.post(server.url + "/api/items", content='{"a":1}')).status_code == 201
        yaml_out = await a.session.call_tool("export_mocks", {})
        assert yaml_out.content[0].text.startswith("version: '1.0'\n")
        assert "path: /api/items" in yaml_out.content[0].text
        json_out = await a.ok("export_mocks", {"format": "json"})
        assert {m["http"]["matcher"]["path"] for m in json_out["mocks"]} == {"/api/items", "/ws"}
        assert await a.error("import_mocks", {}) == "either content or file is required"
        assert await a.error("import_mocks", {"content": "x", "file": "y"}) == (
            "content and file are mutually exclusive — provide one or the other, not both"
        )
        assert await a.error("import_mocks", {"file": str(tmp_path / "missing.yaml")}) == (
            f"file not found: {tmp_path / 'missing.yaml'}"
        )
        assert (await a.error("import_mocks", {"content": "not a spec"})).startswith(
            "import parse error: import request body: could not detect format"
        )

    run(server.admin, scenario)
    run(server.admin, portability)


def test_contexts_are_read_and_switched_per_session(mockd_server, tmp_path):
    server = mockd_server()
    other = mockd_server()
    config = tmp_path / "cfg" / "mockd"
    config.mkdir(parents=True)
    (config / "contexts.yaml").write_text(
        "version: 1\ncurrentContext: main\ncontexts:\n"
        f"  main: {{adminUrl: '{server.admin}', description: Main server}}\n"
        f"  other: {{adminUrl: '{other.admin}', authToken: secret}}\n"
    )
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "MOCKD_ADMIN_URL": ""}

    async def main() -> None:
        async with agent(env=env) as a:  # no --admin-url: the current context's server, already running
            assert await a.ok("manage_context", {"action": "get"}) == {
                "current": "main", "adminUrl": server.admin, "contexts": [
                    {"name": "main", "adminUrl": server.admin, "description": "Main server"},
                    {"name": "other", "adminUrl": other.admin}]}  # fmt: skip
            await a.ok("manage_mock", {"action": "create", "type": "http", "id": "on-main",
                                       "http": {"matcher": {"path": "/m"}, "response": {"body": "m"}}})  # fmt: skip
            assert await a.ok("manage_context", {"action": "switch", "name": "other"}) == {
                "current": "other", "adminUrl": other.admin}  # fmt: skip
            assert await a.ok("manage_mock", {"action": "list"}) == []
            assert (
                await a.error("manage_context", {"action": "switch", "name": "nope"})
                == "context not found: nope"
            )
            assert await a.error("manage_context", {"action": "switch"}) == "name is required"

    anyio.run(main)
    assert httpx.get(server.admin + "/mocks/on-main").status_code == 200


BAD_ARGUMENTS = [
    ("manage_mock", {}, "invalid action: . Use: list, get, create, update, delete, toggle"),
    ("manage_mock", {"action": "explode"}, "invalid action: explode. Use: list, get, create, update, delete, toggle"),
    ("manage_mock", {"action": "get"}, "id is required"),
    ("manage_mock", {"action": "get", "id": 42}, "id is required"),
    ("manage_mock", {"action": "create"}, "type is required"),
    ("manage_mock", {"action": "create", "type": "http", "extend": "todos"},
     "extend must be an object with table and action"),
    ("manage_mock", {"action": "create", "type": "http", "extend": {"table": "t"}},
     "extend requires both 'table' and 'action'"),
    ("manage_mock", {"action": "create", "type": "http", "extend": {"table": "t", "action": "drop"}},
     "invalid extend action: drop. Must be: list, get, create, update, patch, delete, custom"),
    ("manage_mock", {"action": "create", "type": "http", "extend": {"table": "t", "action": "custom"}},
     "extend with action 'custom' requires 'operation' name"),
    ("manage_mock", {"action": "create", "type": "grpc", "extend": {"table": "t", "action": "list"}},
     "extend bindings are supported for http and soap mocks, not grpc"),
    ("manage_mock", {"action": "update", "id": "ghost"}, "mock not found: ghost"),
    ("manage_mock", {"action": "toggle"}, "id is required"),
    ("manage_context", {"action": "delete"}, "invalid action: delete. Use: get, switch"),
    ("manage_workspace", {}, "invalid action: . Use: list, switch, create"),
    ("manage_workspace", {"action": "create"}, "name is required"),
    ("manage_workspace", {"action": "switch"}, "id is required"),
    ("manage_state", {"action": "wipe"},
     "invalid action: wipe. Use: overview, add_resource, list_items, get_item, create_item, reset, delete_resource"),
    ("manage_state", {"action": "add_resource"}, "resource name is required"),
    ("manage_state", {"action": "reset"}, "resource is required — specify which resource to reset"),
    ("manage_state", {"action": "get_item", "resource": "t"}, "item_id is required"),
    ("manage_state", {"action": "create_item", "resource": "t", "data": [1]}, "data is required"),
    ("manage_custom_operation", {}, "action is required (list, get, register, delete, execute)"),
    ("manage_custom_operation", {"action": "run"}, "unknown action: run. Use list, get, register, delete, or execute"),
    ("manage_custom_operation", {"action": "register"}, "definition is required for action=register"),
    ("manage_custom_operation", {"action": "execute"}, "name is required for action=execute"),
    ("manage_circuit_breaker", {"key": "0:0"}, "action is required (trip or reset)"),
    ("manage_circuit_breaker", {"action": "trip"}, 'key is required (e.g., "0:0")'),
    ("manage_circuit_breaker", {"action": "open", "key": "0:0"}, "invalid action: open (must be 'trip' or 'reset')"),
    ("verify_mock", {}, "id is required"),
    ("verify_mock", {"id": "ghost"}, "mock not found: ghost"),
    ("get_mock_invocations", {}, "id is required"),
    ("reset_verification", {"id": "ghost"}, "mock not found: ghost"),
    ("no_such_tool", {}, "tool not found: no_such_tool"),
]  # fmt: skip


def test_bad_arguments_come_back_as_tool_errors(mockd_server):
    server = mockd_server()

    async def scenario(a: Agent) -> None:
        got = [(name, args, await a.call(name, args)) for name, args, _ in BAD_ARGUMENTS]
        assert [(n, r.is_error, r.text) for n, _, r in got] == [
            (n, True, text) for n, _, text in BAD_ARGUMENTS
        ]
        rejected = await a.error("manage_mock", {"action": "create", "type": "http",
                                                 "http": {"matcher": {"path": 7}}})  # fmt: skip
        assert rejected.startswith("failed to create mock: ")
        assert (await a.ok("get_server_status"))["healthy"] is True  # the session survived all of it

    run(server.admin, scenario)


def test_an_unreachable_server_is_reported_not_fatal():
    admin = f"http://127.0.0.1:{free_port()}"
    down = f"mockd server unreachable at {admin} — start it with: mockd serve"

    async def scenario(a: Agent) -> None:
        assert await a.ok("get_server_status") == {
            "version": (await a.ok("get_server_status"))["version"], "adminUrl": admin, "reachable": False,
            "healthy": False, "error": down, "hint": "Run 'mockd serve' to start the mockd server"}  # fmt: skip
        assert await a.error("manage_mock", {"action": "list"}) == f"failed to list mocks: {down}"
        assert await a.error("manage_mock", {"action": "get", "id": "x"}) == f"failed to get mock: {down}"
        assert await a.error("clear_request_logs") == f"failed to clear logs: {down}"

    run(admin, scenario)


@pytest.mark.parametrize("level", ["verbose"])
def test_a_bad_log_level_is_refused(level):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "mockd", "mcp", "--log-level", level], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=60)  # fmt: skip
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"invalid --log-level '{level}': expected one of debug, info, warn, error\n"


def test_the_mcp_workflow_sample_a_crud_api_from_a_table(mockd_server):
    """The public MCP-workflow sample's flow: status, a table, five bound mocks, then plain HTTP CRUD."""
    server = mockd_server()
    routes = [("GET", "/api/todos", "list"), ("POST", "/api/todos", "create"), ("GET", "/api/todos/{id}", "get"),
              ("PUT", "/api/todos/{id}", "update"), ("DELETE", "/api/todos/{id}", "delete")]  # fmt: skip

    async def scenario(a: Agent) -> None:
        status = await a.ok("get_server_status")
        engine = [p["port"] for p in status["ports"] if p["component"] == "Mock Engine"]
        assert (status["healthy"], status["mockCount"], engine) == (True, 0, [server.port])
        await a.ok("manage_state", {"action": "add_resource", "resource": "todos"})
        for method, path, action in routes:
            created = await a.ok("manage_mock", {"action": "create", "type": "http",
                "http": {"matcher": {"method": method, "path": path}},
                "extend": {"table": "todos", "action": action}})  # fmt: skip
            assert created["action"] == "created"
        async with httpx.AsyncClient(base_url=server.url) as http:
            made = (await http.post("/api/todos", json={"title": "write tests"})).json()
            todo = f"/api/todos/{made['id']}"
            assert (await http.get(todo)).json()["title"] == "write tests"
            assert (await http.put(todo, json={"title": "done"})).json()["title"] == "done"
            assert [t["title"] for t in (await http.get("/api/todos")).json()["data"]] == ["done"]
            assert (await http.delete(todo)).status_code == 204
            assert (await http.get(todo)).status_code == 404
        listed = await a.ok("manage_mock", {"action": "list"})
        assert [m["summary"] for m in listed] == [f"{m} {p}" for m, p, _ in routes]

    run(server.admin, scenario)
