"""The compiled plan: the plain data that the compiler hands to the runtime and to the Rust matcher.

This module is the contract between the three parts. The compiler produces these shapes (from config files or
from one admin-API mock at a time); the runtime consumes them without knowing anything of YAML or pydantic;
the Rust matcher sees only `RouteSpec`. Everything here is JSON-serialisable, so `mockd compile` can write a
plan file that `mockd start --plan` loads without re-parsing or re-validating the sources.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NotRequired, TypedDict

if TYPE_CHECKING:
    from mockd.chaos.spec import ChaosSpec

PLAN_KIND = "mockd-plan"
# Bump when any shape below changes incompatibly; a plan with another format number is refused.
PLAN_FORMAT = 4  # 2: `chaos`; 3: `protocol` actions; 4: `passthrough` actions

JsonPathOp = Literal["eq", "exists", "absent"]


class RouteSpec(TypedDict):
    """What the Rust matcher is built from: one HTTP route and its predicates.

    Routes are passed to the matcher as a list; a route's index in that list is its definition order (the
    last tie-breaker, earliest first) and the value `Matcher.match` returns.
    """

    id: str  # mock id; "stateful:<name>" for routes generated from a legacy `basePath` resource
    name: str | None  # mock name, reported in near-miss facts
    method: str | None  # upper-case; None matches any method (and scores nothing)
    path: str | None  # `matcher.path` exactly as configured; the matcher URL-unescapes it (Go semantics)
    pathPattern: str | None  # RE2 regex, "find" semantics
    strict: bool  # generated resource routes: no trailing-slash tolerance, `{param}` segments non-empty
    headers: list[tuple[str, str]]  # (name as configured, expected value or `*` glob)
    query: list[tuple[str, str]]  # (name, expected first value); expected "" also matches an absent param
    bodyEquals: str | None
    bodyContains: str | None
    bodyPattern: str | None
    # (JSONPath, op, expected value as JSON text for "eq", None for "exists"/"absent")
    bodyJsonPath: list[tuple[str, JsonPathOp, str | None]]
    priority: int
    tier: int  # 0 for explicit mocks, 1 for generated routes: on an exact tie the explicit mock wins (D3)
    captures: bool  # the runtime needs path captures when this route wins (templates, stateful actions)


class ResponseSpec(TypedDict):
    """A static or templated HTTP response, encoded as far as the compiler can."""

    status: int
    # In configured order. For a non-templated inline body without a configured Content-Type, the compiler
    # appends the inferred `content-type` here, so the runtime serves it without looking at the body.
    headers: list[tuple[str, str]]
    body: str
    bodyFile: str | None  # as configured; resolved against the mock's source baseDir at request time
    delayMs: int
    seed: int | None
    templated: bool  # body or some header value contains "{{"
    contentTypeSet: bool  # the response carries a Content-Type (configured or inferred at compile time)


class ResponseAction(TypedDict):
    kind: Literal["response"]
    response: ResponseSpec


class BindingAction(TypedDict):
    kind: Literal["binding"]
    table: str
    action: str  # list | get | create | update | patch | delete | custom
    operation: str | None
    response: NotRequired[dict | None]  # binding-level response transform (overrides the table's)


class OperationAction(TypedDict):
    kind: Literal["operation"]
    operation: str


class ResourceAction(TypedDict):
    """A route generated from a legacy `basePath` resource."""

    kind: Literal["resource"]
    resource: str
    role: Literal["collection", "item"]


class UnsupportedAction(TypedDict):
    """A mock we accept and keep (so nothing is lost) but cannot serve: SSE, chunked, non-HTTP types."""

    kind: Literal["unsupported"]
    reason: str


class ProtocolAction(TypedDict):
    """A mock served by a protocol module (mockd.protocols): SSE, chunked, WebSocket, GraphQL, SOAP, OAuth."""

    kind: Literal["protocol"]
    protocol: str  # a key of mockd.protocols.registry.SERVED
    spec: dict  # what that module's `build` returned; opaque to everyone else


class PassthroughAction(TypedDict):
    """A mock with `http.passthrough` (ours): the matched request is forwarded to `upstream` (a checked base
    URL without a trailing slash) and the answer relayed. None timeouts: the server's --upstream-* flags."""

    kind: Literal["passthrough"]
    upstream: str
    connectTimeoutMs: int | None
    readTimeoutMs: int | None


Action = (
    ResponseAction
    | BindingAction
    | OperationAction
    | ResourceAction
    | UnsupportedAction
    | ProtocolAction
    | PassthroughAction
)


class CompiledMock(TypedDict):
    mock: dict  # the mock exactly as the admin API serves it (Go field names, order and omissions)
    source: int  # index into CompiledPlan.sources; -1 for mocks created through the admin API
    enabled: bool
    route: RouteSpec | None  # None for non-HTTP mocks
    action: Action


class ResourceSpec(TypedDict):
    """A stateful resource definition in canonical form (legacy statefulResources and current tables
    alike)."""

    name: str
    idField: str
    idStrategy: str  # uuid | prefix | ulid | sequence | short
    idPrefix: str
    parentField: str
    maxItems: int
    seedData: list[dict]
    basePath: str | None  # legacy routing when set (reference §4.6)
    response: dict | None  # response transform (reference §4.7), including D8 `list.format`
    validation: dict | None
    relationships: dict | None
    source: int
    # The workspace it belongs to (operations reference §5): tables are keyed by (workspace, name). Left out
    # for the default workspace "", so plans and data dirs written before it read the same.
    workspace: NotRequired[str]


class SourceInfo(TypedDict):
    path: str  # the config file as given on the command line
    baseDir: str  # folder that relative `bodyFile` paths resolve against


class CompiledPlan(TypedDict):
    kind: str  # PLAN_KIND
    planFormat: int  # PLAN_FORMAT
    mockdVersion: str
    sources: list[SourceInfo]
    mocks: list[CompiledMock]
    resources: list[ResourceSpec]
    customOperations: list[dict]
    warnings: list[str]
    # `serverConfig` kept verbatim (only `chaos` is honoured by the Go tool's start/serve); absent when unset.
    serverConfig: NotRequired[dict | None]
    # `serverConfig.chaos`, validated (mockd.chaos); None when absent or disabled.
    chaos: NotRequired[ChaosSpec | None]


# ------------------------------------------------------------------------------------------------ builders
# Keyword-only constructors with the defaults every producer would otherwise repeat. They exist so a new key
# added above gets its default in one place, and so tests and the runtime can build specs tersely.


def route_spec(
    *,
    id: str,
    name: str | None = None,
    method: str | None = None,
    path: str | None = None,
    pathPattern: str | None = None,
    strict: bool = False,
    headers: list[tuple[str, str]] | None = None,
    query: list[tuple[str, str]] | None = None,
    bodyEquals: str | None = None,
    bodyContains: str | None = None,
    bodyPattern: str | None = None,
    bodyJsonPath: list[tuple[str, JsonPathOp, str | None]] | None = None,
    priority: int = 0,
    tier: int = 0,
    captures: bool = False,
) -> RouteSpec:
    """A RouteSpec with every key present (the Rust side reads required keys strictly).

    >>> route_spec(id="ping", method="GET", path="/ping")["headers"]
    []
    """
    return {
        "id": id,
        "name": name,
        "method": method,
        "path": path,
        "pathPattern": pathPattern,
        "strict": strict,
        "headers": headers or [],
        "query": query or [],
        "bodyEquals": bodyEquals,
        "bodyContains": bodyContains,
        "bodyPattern": bodyPattern,
        "bodyJsonPath": bodyJsonPath or [],
        "priority": priority,
        "tier": tier,
        "captures": captures,
    }


def response_spec(
    *,
    status: int = 200,
    headers: list[tuple[str, str]] | None = None,
    body: str = "",
    bodyFile: str | None = None,
    delayMs: int = 0,
    seed: int | None = None,
    templated: bool = False,
    contentTypeSet: bool = False,
) -> ResponseSpec:
    """A ResponseSpec as given (no inference: `mockd.compiler.build.routes.build_response` does that)."""
    return {
        "status": status,
        "headers": headers or [],
        "body": body,
        "bodyFile": bodyFile,
        "delayMs": delayMs,
        "seed": seed,
        "templated": templated,
        "contentTypeSet": contentTypeSet,
    }


def resource_spec(
    *,
    name: str,
    idField: str = "id",
    idStrategy: str = "uuid",
    idPrefix: str = "",
    parentField: str = "",
    maxItems: int = 0,
    seedData: list[dict] | None = None,
    basePath: str | None = None,
    response: dict | None = None,
    validation: dict | None = None,
    relationships: dict | None = None,
    source: int = -1,
    workspace: str = "",
) -> ResourceSpec:
    """A ResourceSpec with the Go defaults (idField "id", idStrategy "uuid")."""
    spec: ResourceSpec = {
        "name": name,
        "idField": idField,
        "idStrategy": idStrategy,
        "idPrefix": idPrefix,
        "parentField": parentField,
        "maxItems": maxItems,
        "seedData": seedData or [],
        "basePath": basePath,
        "response": response,
        "validation": validation,
        "relationships": relationships,
        "source": source,
    }
    if workspace:
        spec["workspace"] = workspace
    return spec


def empty_plan() -> CompiledPlan:
    """The plan of a server started without configs: no mocks, no resources."""
    from mockd import __version__

    return {
        "kind": PLAN_KIND,
        "planFormat": PLAN_FORMAT,
        "mockdVersion": __version__,
        "sources": [],
        "mocks": [],
        "resources": [],
        "customOperations": [],
        "warnings": [],
        "chaos": None,
    }
