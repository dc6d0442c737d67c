"""MCP resources (`resources/list`, `resources/read`): read-only `mock://` views of the server (reference
§8.2, the Go tool's `pkg/mcp/resources.go` URIs): one per mock (`mock://<path>#<METHOD>` for HTTP,
`mock://websocket<path>`, `mock://grpc/<id>`, ...), one per stateful table (`mock://stateful/<name>`), and
`mock://chaos`, `mock://verification/<id>`, `mock://logs`, `mock://config`, `mock://context`.

A URI that names nothing raises `ResourceMissing` (JSON-RPC -32003 `Resource not found`, data `{uri}`);
an admin failure raises `ResourceFailed` (-32603 with the reason in `detail`).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from mockd import __version__
from mockd.cli import contexts
from mockd.mcp.results import Deep, GoMap, as_map, as_struct, encode
from mockd.mcp.session import AdminFailure, Session

JSON = "application/json"


class ResourceMissing(Exception):
    def __init__(self, uri: str) -> None:
        super().__init__(uri)
        self.uri = uri


class ResourceFailed(Exception):
    """The admin API failed while reading a resource."""


@dataclass(frozen=True)
class ResourceInfo:
    uri: str
    name: str
    description: str


def mock_resource(mock: dict[str, Any]) -> ResourceInfo | None:
    """The URI, name and description of a mock's resource (None for a mock without its protocol object)."""
    kind, label = mock.get("type", ""), mock.get("name") or ""
    spec = mock.get(kind)
    if not isinstance(spec, dict):
        return None
    if kind == "http":
        matcher = spec.get("matcher")
        if not isinstance(matcher, dict):
            return None
        method, path = matcher.get("method") or "GET", matcher.get("path", "")
        return ResourceInfo(
            f"mock://{path}#{method}", f"{method} {path}", label or f"Mock endpoint for {path}"
        )
    path, port, ident = spec.get("path", ""), spec.get("port", 0), mock.get("id", "")
    shapes = {
        "websocket": (f"mock://websocket{path}", f"WS {path}", f"WebSocket endpoint {path}"),
        "graphql": (f"mock://graphql{path}", f"GraphQL {path}", f"GraphQL endpoint {path}"),
        "grpc": (f"mock://grpc/{ident}", f"gRPC :{port}", f"gRPC mock on port {port}"),
        "soap": (f"mock://soap{path}", f"SOAP {path}", f"SOAP endpoint {path}"),
        "mqtt": (f"mock://mqtt/{ident}", f"MQTT :{port}", f"MQTT broker on port {port}"),
        "oauth": (
            f"mock://oauth/{ident}",
            f"OAuth {spec.get('issuer', '')}",
            f"OAuth provider {spec.get('issuer', '')}",
        ),
    }
    if kind not in shapes:
        return None
    uri, name, fallback = shapes[kind]
    return ResourceInfo(uri, name, label or fallback)


_FIXED = [
    ResourceInfo("mock://chaos", "Chaos Configuration", "Fault injection in force and its counters"),
    ResourceInfo(
        "mock://verification",
        "Mock Verification",
        "Call count and invocations of one mock: read mock://verification/{mockId}",
    ),
    ResourceInfo("mock://logs", "Request Logs", "Summary of the request log"),
    ResourceInfo("mock://config", "Server Configuration", "Version, mock and request counts of the server"),
    ResourceInfo("mock://context", "Current Context", "The contexts of contexts.yaml and the current one"),
]


async def _mocks(session: Session) -> list[dict[str, Any]]:
    reply = await session.call("GET", "/mocks", scoped=False)
    return [m for m in reply.get("mocks") or [] if isinstance(m, dict)]


async def _tables(session: Session) -> list[dict[str, Any]]:
    reply = await session.call("GET", "/state", scoped=False)
    return [r for r in reply.get("resources") or [] if isinstance(r, dict)]


async def list_resources(session: Session) -> list[ResourceInfo]:
    """Mocks and tables when the server answers (skipped when not), then the fixed resources."""
    out: list[ResourceInfo] = []
    with contextlib.suppress(AdminFailure):
        out += [info for m in await _mocks(session) if (info := mock_resource(m)) is not None]
    with contextlib.suppress(AdminFailure):
        for table in await _tables(session):
            name = table.get("name", "")
            count = table.get("itemCount", 0)
            out.append(ResourceInfo(f"mock://stateful/{name}", f"Stateful: {name}",
                                    f"CRUD operations on {name} ({count} items)"))  # fmt: skip
    return out + _FIXED


async def read_resource(session: Session, uri: str) -> str:
    """The resource's JSON text."""
    try:
        return await _read(session, uri)
    except AdminFailure as exc:
        raise ResourceFailed(exc.message) from None


async def _read(session: Session, uri: str) -> str:
    if not uri.startswith("mock://"):
        raise ResourceMissing(uri)
    rest = uri.removeprefix("mock://")
    if rest.startswith("stateful/"):
        return await _stateful(session, rest.removeprefix("stateful/"))
    if rest == "chaos":
        return await _chaos(session)
    if rest == "verification" or rest.startswith("verification/"):
        return await _verification(session, rest.removeprefix("verification").removeprefix("/"))
    if rest == "logs":
        return await _logs(session)
    if rest == "config":
        return await _config(session)
    if rest == "context":
        return _context()
    for mock in await _mocks(session):
        info = mock_resource(mock)
        if info is not None and info.uri == uri:
            return as_struct(mock).text
    raise ResourceMissing(uri)


async def _stateful(session: Session, name: str) -> str:
    found = next((t for t in await _tables(session) if t.get("name") == name), None)
    if found is None:
        raise ResourceMissing(f"mock://stateful/{name}")
    seeds = found.get("seedCount", 0)
    content = {"name": name, "idField": found.get("idField", ""), "itemCount": found.get("itemCount", 0),
               "hasSeedData": seeds > 0, "seedDataCount": seeds}  # fmt: skip
    if found.get("parentField"):
        content["parentField"] = found["parentField"]
    return as_map(content).text


async def _chaos(session: Session) -> str:
    content: dict[str, Any] = {"config": Deep(await session.call("GET", "/chaos", scoped=False))}
    for key, path in (("stats", "/chaos/stats"), ("statefulFaults", "/chaos/faults")):
        with contextlib.suppress(AdminFailure):
            content[key] = Deep(await session.call("GET", path, scoped=False))
    return as_map(content).text


async def _verification(session: Session, mock_id: str) -> str:
    if not mock_id:
        raise ResourceMissing("mock://verification — specify a mock ID: mock://verification/{mockId}")
    base = "/mocks/" + mock_id.replace("/", "%2F")
    try:
        verification = await session.call("GET", base + "/verify", scoped=False)
    except AdminFailure:
        raise ResourceMissing(f"mock://verification/{mock_id}") from None
    content: dict[str, Any] = {"mockId": mock_id, "verification": Deep(verification)}
    with contextlib.suppress(AdminFailure):
        content["invocations"] = Deep(await session.call("GET", base + "/invocations", scoped=False))
    return as_map(content).text


async def _logs(session: Session) -> str:
    reply = await session.call("GET", "/requests", scoped=False)
    entries = [e for e in reply.get("requests") or [] if isinstance(e, dict)]
    methods = Counter(str(e.get("method", "")) for e in entries)
    statuses = Counter(str(e.get("statusCode", 0)) for e in entries)
    content: dict[str, Any] = {
        "count": reply.get("count", len(entries)),
        "total": reply.get("total", len(entries)),
        "methodCounts": GoMap(methods),
        "statusCounts": GoMap(statuses),
    }
    if entries:
        content["oldestEntry"] = _seconds(entries[-1].get("timestamp", ""))
        content["newestEntry"] = _seconds(entries[0].get("timestamp", ""))
    return as_map(content).text


def _seconds(timestamp: str) -> str:
    """RFC 3339 without fractional seconds (the Go tool's `2006-01-02T15:04:05Z` layout)."""
    head, _, _ = timestamp.partition(".")
    return head if head.endswith("Z") or "+" in head[10:] else head + "Z"


async def _config(session: Session) -> str:
    content: dict[str, Any] = {"version": __version__}
    with contextlib.suppress(AdminFailure):
        content["mockCount"] = len(await _mocks(session))
    with contextlib.suppress(AdminFailure):
        stats = await session.call("GET", "/status", scoped=False)
        content |= {"totalRequests": stats.get("requestCount", 0), "uptime": stats.get("uptime", 0)}
    with contextlib.suppress(AdminFailure):
        overview = await session.call("GET", "/state", scoped=False)
        content["statefulResourceCount"] = overview.get("total", 0)
    return as_map(content).text


def _context() -> str:
    try:
        data = contexts.load()
    except contexts.ContextError:
        return encode(GoMap(currentContext=""))
    listed = GoMap()
    for name, ctx in data["contexts"].items():
        if isinstance(ctx, dict):
            info = GoMap(adminUrl=str(ctx.get("adminUrl") or ""))  # never the auth token
            for key in ("workspace", "description"):
                if ctx.get(key):
                    info[key] = str(ctx[key])
            listed[name] = info
    return encode(GoMap(currentContext=str(data.get("currentContext") or ""), contexts=listed))
