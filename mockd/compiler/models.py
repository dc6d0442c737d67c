"""The config and admin-API shapes as pydantic models: the one place that says which keys exist and types.

Field names are the JSON keys (camelCase) so error locations and positions line up with the user's file.
Every model is strict (a JSON string is not an integer, as for the Go decoder); the YAML decoder's extra
leniencies (a number where a string is expected, `yes` for a bool) are applied before validation by
`decode/coerce.py`, which also turns unknown keys into warnings and response bodies into strings.

Parts we keep but do not interpret (other protocols, SSE/chunked streams, request validation, serverConfig)
are typed `dict[str, Any]` and carried verbatim.

How a validated mock is shown by the admin API is `build/mock_view.py`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class BodyText:
    """Marks a field whose value may be any JSON/YAML value in the source and is stored as a string."""


Body = Annotated[str, BodyText()]
Int64 = Annotated[int, Field(ge=-(1 << 63), le=(1 << 63) - 1)]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)


# --------------------------------------------------------------------------------------------- HTTP mocks


class SANMatch(_Model):
    dns: str = ""
    email: str = ""
    ip: str = ""


class MTLSMatch(_Model):
    requireAuth: bool = False
    cn: str = ""
    cnPattern: str = ""
    ou: str = ""
    o: str = ""
    fingerprint: str = ""
    issuer: str = ""
    san: SANMatch | None = None


class HTTPMatcher(_Model):
    method: str = ""
    path: str = ""
    pathPattern: str = ""
    headers: dict[str, str] | None = None
    queryParams: dict[str, str] | None = None
    bodyContains: str = ""
    bodyEquals: str = ""
    bodyPattern: str = ""
    bodyJsonPath: dict[str, Any] | None = None
    mtls: MTLSMatch | None = None


class HTTPResponse(_Model):
    statusCode: Int64 | None = None  # None = absent: 200 (D7); an explicit 0 is still an error
    headers: dict[str, str] | None = None
    body: Body = ""
    bodyFile: str = ""
    delayMs: Int64 = 0
    seed: Int64 | None = None


class StatefulBinding(_Model):
    table: str = ""
    action: str = ""
    operation: str = ""


class HTTPPassthrough(_Model):
    """Ours, not the Go tool's: the matched request is forwarded to `upstream` and its answer relayed."""

    upstream: str = ""
    connectTimeoutMs: Int64 | None = None  # None: the server's --upstream-connect-timeout
    readTimeoutMs: Int64 | None = None  # None: the server's --upstream-read-timeout


class HTTPSpec(_Model):
    priority: Int64 = 0
    matcher: HTTPMatcher | None = None
    response: HTTPResponse | None = None
    sse: dict[str, Any] | None = None
    chunked: dict[str, Any] | None = None
    validation: dict[str, Any] | None = None
    statefulOperation: str = ""
    statefulBinding: StatefulBinding | None = None
    passthrough: HTTPPassthrough | None = None


class Mock(_Model):
    id: str = ""
    type: str = ""
    name: str = ""
    operationId: str = ""
    description: str = ""
    enabled: bool | None = None
    parentId: str = ""
    folderId: str = ""  # input alias of parentId (copied there, never echoed)
    metaSortKey: float = 0
    workspaceId: str = ""
    syncVersion: Int64 = 0
    createdAt: str | None = None
    updatedAt: str | None = None
    http: HTTPSpec | None = None
    websocket: dict[str, Any] | None = None
    graphql: dict[str, Any] | None = None
    grpc: dict[str, Any] | None = None
    soap: dict[str, Any] | None = None
    mqtt: dict[str, Any] | None = None
    oauth: dict[str, Any] | None = None


class LegacyMock(_Model):
    """The pre-`type` JSON shape: `matcher`/`response`/`priority` at the top (reference §2.3).

    `enabled` is a plain bool here, so an absent `enabled` means *disabled* — the Go tool's quirk, kept.
    """

    id: str = ""
    name: str = ""
    description: str = ""
    enabled: bool = False
    parentId: str = ""
    metaSortKey: float = 0
    workspaceId: str = ""
    syncVersion: Int64 = 0
    createdAt: str | None = None
    updatedAt: str | None = None
    priority: Int64 = 0
    matcher: HTTPMatcher | None = None
    response: HTTPResponse | None = None


PROTOCOLS = ("http", "websocket", "graphql", "grpc", "soap", "mqtt", "oauth")

# --------------------------------------------------------------------------------------- stateful resources


class TimestampTransform(_Model):
    format: str = ""
    fields: dict[str, str] | None = None


class ListWrapConfig(_Model):
    url: str = ""


class FieldTransform(_Model):
    inject: dict[str, Any] | None = None
    hide: list[str] | None = None
    rename: dict[str, str] | None = None
    wrapAsList: dict[str, ListWrapConfig | None] | None = None


class ListTransform(_Model):
    dataField: str = ""
    extraFields: dict[str, Any] | None = None
    metaFields: dict[str, str] | None = None
    hideMeta: bool = False
    format: str = ""  # D8: "envelope" (default, the Go shape) or "array" (a bare JSON array)


class VerbOverride(_Model):
    status: Int64 = 0
    body: dict[str, Any] | None = None
    preserve: bool = False


class ErrorTransform(_Model):
    wrap: str = ""
    fields: dict[str, str] | None = None
    inject: dict[str, Any] | None = None
    typeMap: dict[str, str] | None = None
    codeMap: dict[str, str] | None = None


class ResponseTransform(_Model):
    timestamps: TimestampTransform | None = None
    fields: FieldTransform | None = None
    list_: ListTransform | None = Field(None, alias="list")
    create: VerbOverride | None = None
    delete: VerbOverride | None = None
    errors: ErrorTransform | None = None


class Relationship(_Model):
    table: str = ""
    field: str = ""


class StatefulResourceConfig(_Model):
    name: str = ""
    workspace: str = ""
    idField: str = ""
    idStrategy: str = ""
    idPrefix: str = ""
    parentField: str = ""
    maxItems: Int64 = 0
    seedData: list[dict[str, Any] | None] | None = None
    validation: dict[str, Any] | None = None
    response: ResponseTransform | None = None
    relationships: dict[str, Relationship | None] | None = None
    basePath: str = ""  # v0.2.0-v0.5.1 routing (reference §4.6); ignored by current Go, honoured here


class TableConfig(_Model):
    name: str = ""
    idField: str = ""
    idStrategy: str = ""
    idPrefix: str = ""
    maxItems: Int64 = 0
    seedData: list[dict[str, Any] | None] | None = None
    validation: dict[str, Any] | None = None  # dropped, as by the Go tool (a warning says so)
    response: ResponseTransform | None = None
    parentField: str = ""
    relationships: dict[str, Relationship | None] | None = None


class ExtendBinding(_Model):
    mock: str = ""
    table: str = ""
    action: str = ""
    operation: str = ""
    response: ResponseTransform | None = None


class ImportEntry(_Model):
    path: str = ""
    url: str = ""
    as_: str = Field("", alias="as")
    format: str = ""
    seed: int = 0  # ours: generated bodies are the same bytes for the same seed
    example: str = ""  # ours: the OpenAPI named example to serve where an operation offers several
    validate_: bool = Field(False, alias="validate")  # ours: requests checked against the imported operation
    prefix: str = ""  # ours: every imported path goes under this one (e.g. an OpenAPI server's /v1)


class CustomStep(_Model):
    type: str = ""
    resource: str = ""
    id: str = ""
    as_: str = Field("", alias="as")
    set: dict[str, str] | None = None
    var: str = ""
    value: str = ""
    filter: dict[str, str] | None = None
    condition: str = ""
    errorMessage: str = ""
    errorStatus: Int64 = 0


class CustomOperation(_Model):
    name: str = ""
    workspace: str = ""
    consistency: str = ""
    steps: list[CustomStep | None] | None = None
    response: dict[str, str] | None = None


class CollectionMetadata(_Model):
    name: str = ""
    description: str = ""
    tags: list[str] | None = None


class MockCollection(_Model):
    version: str | None = None  # None = absent: "1.0" (D9)
    kind: str = ""
    metadata: CollectionMetadata | None = None
    name: str = ""
    imports: list[ImportEntry | None] | None = None
    tables: list[TableConfig | None] | None = None
    extend: list[ExtendBinding | None] | None = None
    mocks: list[Mock | None] | None = None
    serverConfig: dict[str, Any] | None = None
    statefulResources: list[StatefulResourceConfig | None] | None = None
    customOperations: list[CustomOperation | None] | None = None
    websocketEndpoints: list[dict[str, Any] | None] | None = None
