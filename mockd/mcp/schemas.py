"""The 18 tools as an MCP client sees them in `tools/list`: names, order, input schemas and hints.

Names, order, property names, types, enums, defaults and `required` lists are the Go tool's
(`pkg/mcp/tool_defs.go`), since agents and scripts written against it send exactly those arguments. The
description texts are written for this implementation (docs/differences.md). Kept as plain data so the
handlers (`mockd.mcp.tools_*`) and the SDK wiring (`mockd.mcp.server`) share one source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

READ_ONLY = {"readOnlyHint": True, "idempotentHint": True}
DESTRUCTIVE = {"destructiveHint": True, "idempotentHint": True}
IDEMPOTENT = {"idempotentHint": True}

MOCK_TYPES = ["http", "websocket", "graphql", "grpc", "soap", "mqtt", "oauth"]
CHAOS_PROFILES = ["slow-api", "degraded", "flaky", "offline", "timeout", "rate-limited", "mobile-3g",
                  "satellite", "dns-flaky", "overloaded"]  # fmt: skip


@dataclass(frozen=True)
class ToolDef:
    name: str
    description: str
    properties: dict[str, Any]
    required: list[str] = field(default_factory=list)
    annotations: dict[str, bool] | None = None

    def input_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object", "properties": self.properties}
        if self.required:
            schema["required"] = self.required
        return schema


def _s(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


def _i(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "integer", "description": description, **extra}


def _b(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "boolean", "description": description, **extra}


def _o(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "object", "description": description, **extra}


def _action(*names: str) -> dict[str, Any]:
    return _s("What to do", enum=list(names))


_NO_ARGS: dict[str, Any] = {}

_HTTP_SPEC = _o(
    "The HTTP mock (for type http): matcher, response, priority",
    properties={
        "matcher": _o(
            "Which requests match",
            properties={
                "method": _s("HTTP method, e.g. GET or POST"),
                "path": _s("Path; {name} segments capture path parameters, e.g. /api/users/{id}"),
                "headers": _o("Headers that must be present with these values"),
                "queryParams": _o("Query parameters that must be present with these values"),
            },
        ),
        "response": _o(
            "What is sent back",
            properties={
                "statusCode": {"type": "integer", "default": 200},
                "headers": {"type": "object"},
                "body": {"description": "Body: a string, or a JSON value sent as JSON"},
                "delayMs": _i("Wait this many milliseconds before answering", default=0),
            },
        ),
        "priority": _i("Higher priority wins when several mocks match", default=0),
    },
)

MANAGE_MOCK = ToolDef(
    "manage_mock",
    "List, get, create, update, delete or toggle mocks. 'action' picks the operation; get, update, delete "
    "and toggle need 'id'; create needs 'type' and that protocol's object (e.g. 'http'). 'extend' binds an "
    "HTTP or SOAP mock to a stateful table (create the table first with manage_state add_resource).\n\n"
    'Example: {"action":"create","type":"http","http":{"matcher":{"method":"GET","path":"/hello"},'
    '"response":{"statusCode":200,"body":"hi"}}}',
    {
        "action": _action("list", "get", "create", "update", "delete", "toggle"),
        "id": _s("Mock id (get, update, delete, toggle)"),
        "type": _s("Protocol of the mock to create, or the type to list", enum=MOCK_TYPES),
        "enabled": _b("toggle: the state to set (default true); list: keep only mocks in this state"),
        "name": _s("Mock name (create, update)"),
        "http": _HTTP_SPEC,
        "websocket": _o("WebSocket mock (create, update)"),
        "graphql": _o("GraphQL mock (create, update)"),
        "grpc": _o("gRPC mock (create, update)"),
        "soap": _o("SOAP mock (create, update)"),
        "mqtt": _o("MQTT mock (create, update)"),
        "oauth": _o("OAuth/OIDC mock (create, update)"),
        "extend": _o(
            "Serve this mock from a stateful table (HTTP and SOAP mocks)",
            properties={
                "table": _s("Name of an existing stateful table"),
                "action": _s("Table operation", enum=["list", "get", "create", "update", "delete", "custom"]),
                "operation": _s("Custom operation name (action custom)"),
            },
            required=["table", "action"],
        ),
    },
    ["action"],
)

MANAGE_CONTEXT = ToolDef(
    "manage_context",
    "Show the admin server this session talks to and the contexts of contexts.yaml ('get'), or point the "
    "session at another context ('switch', by 'name').",
    {"action": _action("get", "switch"), "name": _s("Context name (switch)")},
    ["action"],
)

MANAGE_WORKSPACE = ToolDef(
    "manage_workspace",
    "List the server's workspaces, switch the workspace this session's calls go to, or create one.",
    {
        "action": _action("list", "switch", "create"),
        "id": _s("Workspace id (switch)"),
        "name": _s("Workspace name (create)"),
    },
    ["action"],
)

IMPORT_MOCKS = ToolDef(
    "import_mocks",
    "Import mocks from 'content' or from a 'file' on this machine: mockd YAML/JSON, OpenAPI, Postman, HAR, "
    "WireMock or curl commands (detected unless 'format' says). dryRun=true only reports what would be "
    "imported.",
    {
        "content": _s("The text to import"),
        "file": _s("Path of a file to import instead of content"),
        "format": _s(
            "Format of the input",
            enum=["auto", "mockd", "openapi", "postman", "har", "wiremock", "curl"],
            default="auto",
        ),
        "replace": _b("Delete every existing mock first", default=False),
        "dryRun": _b("Parse and report without importing", default=False),
    },
)

EXPORT_MOCKS = ToolDef(
    "export_mocks",
    "Export every mock as a mockd config, YAML or JSON.",
    {"format": _s("Output format", enum=["yaml", "json"], default="yaml")},
    annotations=READ_ONLY,
)

GET_SERVER_STATUS = ToolDef(
    "get_server_status",
    "Whether the mockd server answers, its uptime, request and mock counts, and the ports it listens on. "
    "Start here when something cannot connect.",
    _NO_ARGS,
    annotations=READ_ONLY,
)

GET_REQUEST_LOGS = ToolDef(
    "get_request_logs",
    "The request log, newest first, filtered by method, path prefix, mock, protocol, or unmatched requests "
    "only (with the mocks that nearly matched and why).",
    {
        "limit": _i("Most entries to return", default=100),
        "offset": _i("Entries to skip", default=0),
        "method": _s("Only this HTTP method"),
        "pathPrefix": _s("Only paths starting with this"),
        "mockId": _s("Only requests this mock answered"),
        "protocol": _s(
            "Only this protocol", enum=["http", "grpc", "mqtt", "soap", "graphql", "websocket", "sse"]
        ),
        "unmatchedOnly": _b("Only requests no mock matched, with near misses"),
    },
    annotations=READ_ONLY,
)

CLEAR_REQUEST_LOGS = ToolDef(
    "clear_request_logs",
    "Empty the request log (between test runs). Cannot be undone.",
    _NO_ARGS,
    annotations=DESTRUCTIVE,
)

GET_CHAOS_CONFIG = ToolDef(
    "get_chaos_config",
    "The fault injection in force, its counters, and the names of the built-in profiles.",
    _NO_ARGS,
    annotations=READ_ONLY,
)

_RULE = {
    "type": "object",
    "properties": {
        "probability": {"type": "number", "description": "Share of matching requests the rule applies to"},
        "pathPattern": _s("Regular expression over the path (empty: every path)"),
        "methods": {"type": "array", "description": "Methods (empty: all)", "items": {"type": "string"}},
        "faults": {
            "type": "array",
            "description": "Faults to inject",
            "items": {
                "type": "object",
                "properties": {
                    "type": _s("Fault type"),
                    "probability": {"type": "number", "description": "Share of requests that get it"},
                    "config": _o("Settings of this fault type"),
                },
            },
        },
    },
}

SET_CHAOS_CONFIG = ToolDef(
    "set_chaos_config",
    "Turn fault injection on or off: latency, an error rate, a bandwidth cap, a named profile, or raw rules "
    "(circuit_breaker, retry_after, progressive_degradation, chunked_dribble, ...).",
    {
        "enabled": _b("Inject faults (false turns chaos off)"),
        "latency_ms": _i("Fixed added latency in milliseconds"),
        "latency_min_ms": _i("Lower bound of a random latency in milliseconds"),
        "latency_max_ms": _i("Upper bound of a random latency in milliseconds"),
        "error_rate": {"type": "number", "description": "Share of requests answered with an error, 0.0-1.0"},
        "error_codes": {
            "type": "array",
            "description": "Status codes to answer with",
            "items": {"type": "integer"},
        },
        "bandwidth_bytes_per_sec": _i("Response bandwidth cap in bytes per second"),
        "profile": _s("Apply this built-in profile instead", enum=CHAOS_PROFILES),
        "rules": {"type": "array", "description": "Raw chaos rules (the admin API's shape)", "items": _RULE},
    },
    ["enabled"],
    IDEMPOTENT,
)

RESET_CHAOS_STATS = ToolDef(
    "reset_chaos_stats",
    "Set the fault injection counters back to zero; the configuration stays.",
    _NO_ARGS,
    annotations=DESTRUCTIVE,
)

GET_STATEFUL_FAULTS = ToolDef(
    "get_stateful_faults",
    "State of the stateful faults: circuit breakers, retry-after trackers, progressive degradation.",
    _NO_ARGS,
    annotations=READ_ONLY,
)

MANAGE_CIRCUIT_BREAKER = ToolDef(
    "manage_circuit_breaker",
    'Open (trip) or close (reset) a chaos circuit breaker by its key "rule:fault", e.g. "0:0"; '
    "get_stateful_faults lists the keys.",
    {"action": _s("trip or reset", enum=["trip", "reset"]), "key": _s('Breaker key, e.g. "0:0"')},
    ["action", "key"],
    IDEMPOTENT,
)

VERIFY_MOCK = ToolDef(
    "verify_mock",
    "How often a mock was called, checked against expected_count, at_least and at_most when given.",
    {
        "id": _s("Mock id"),
        "expected_count": _i("Exact number of calls expected"),
        "at_least": _i("Fewest calls expected"),
        "at_most": _i("Most calls expected"),
    },
    ["id"],
    READ_ONLY,
)

GET_MOCK_INVOCATIONS = ToolDef(
    "get_mock_invocations",
    "The requests a mock answered: method, path, headers, body and time of each.",
    {"id": _s("Mock id"), "limit": _i("Most invocations to return", default=50)},
    ["id"],
    READ_ONLY,
)

RESET_VERIFICATION = ToolDef(
    "reset_verification",
    "Forget the recorded calls of one mock ('id') or of every mock (no id).",
    {"id": _s("Mock id; leave out to reset every mock")},
    annotations=DESTRUCTIVE,
)

MANAGE_STATE = ToolDef(
    "manage_state",
    "Stateful tables (CRUD collections kept between requests): 'overview', 'add_resource', 'list_items', "
    "'get_item', 'create_item', 'reset' (back to the seed data) or 'delete_resource'.\n\n"
    'Example: {"action":"add_resource","resource":"users","seed_data":[{"name":"Ada"}]}',
    {
        "action": _action(
            "overview", "add_resource", "list_items", "get_item", "create_item", "reset", "delete_resource"
        ),
        "resource": _s("Table name (every action but overview)"),
        "id_field": _s("Name of the id field (add_resource; default id)"),
        "id_strategy": _s("How new ids are made", enum=["uuid", "prefix", "ulid", "sequence", "short"]),
        "id_prefix": _s("Prefix of new ids when id_strategy is prefix, e.g. cus_"),
        "parent_field": _s("Field holding the parent's id, for nested tables"),
        "max_items": _i("Most items the table holds (0: no limit)"),
        "seed_data": {
            "type": "array",
            "description": "Items the table starts with",
            "items": {"type": "object"},
        },
        "response": _o("How list and get replies are shaped (envelope, pagination, field names)"),
        "relationships": _o("Fields that ?expand[] resolves: field name to {table, field}"),
        "item_id": _s("Item id (get_item)"),
        "data": _o("The new item (create_item)"),
        "limit": _i("Most items to return (list_items)", default=50),
        "offset": _i("Items to skip (list_items)", default=0),
        "sort": _s("Field to sort by (list_items)", default="createdAt"),
        "order": _s("Sort order (list_items)", enum=["asc", "desc"], default="desc"),
    },
    ["action"],
)

MANAGE_CUSTOM_OPERATION = ToolDef(
    "manage_custom_operation",
    "Custom operations over stateful tables: 'list', 'get', 'register' (a definition with name and steps), "
    "'delete', or 'execute' with an input object.",
    {
        "action": _s("What to do", enum=["list", "get", "register", "delete", "execute"]),
        "name": _s("Operation name (get, delete, execute)"),
        "definition": _o("The operation to register: name, steps, optional consistency and response"),
        "input": _o("Input of execute"),
    },
    ["action"],
)

# The Go tool's tools/list order.
TOOLS: list[ToolDef] = [
    MANAGE_MOCK,
    MANAGE_CONTEXT,
    MANAGE_WORKSPACE,
    IMPORT_MOCKS,
    EXPORT_MOCKS,
    GET_SERVER_STATUS,
    GET_REQUEST_LOGS,
    CLEAR_REQUEST_LOGS,
    GET_CHAOS_CONFIG,
    SET_CHAOS_CONFIG,
    RESET_CHAOS_STATS,
    GET_STATEFUL_FAULTS,
    MANAGE_CIRCUIT_BREAKER,
    VERIFY_MOCK,
    GET_MOCK_INVOCATIONS,
    RESET_VERIFICATION,
    MANAGE_STATE,
    MANAGE_CUSTOM_OPERATION,
]
