"""Admin API shapes as pydantic models: the one place that says what each request and reply looks like.

Go's `encoding/json` writes struct fields in declaration order and leaves out `omitempty` fields holding a
zero value; replies the Go tool builds from a `map` come out with their keys sorted. Each reply model
declares its fields in the order Go writes them (alphabetical for the map-backed ones, noted on each) and
marks `omitempty` fields with `OMIT`, so `model_dump()` is exactly the object the Go tool would encode and
`go_json()` returns its bytes. Field names are the JSON keys (`matchedMockId`, `statusCode`, ...).

Request models (`VerifyCriteria`, `ConfigImportRequest`) are read the way Go's decoder reads a struct: keys
match field names case-insensitively (a later spelling wins), unknown keys are ignored, and a value of the
wrong type fails the whole body (`invalid_json`): see `fold_keys` here and `http.decode_model`.

Mock objects themselves are the compiler's dicts (`CompiledMock["mock"]`, already in Go's shape); the
envelopes around them are models here.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from mockd.gocompat.gojson import encode, marshal


class _OmitEmpty:
    """Marker for Go's `omitempty`: the key is left out when the value is None, false, 0, "" or empty."""

    def __repr__(self) -> str:
        return "OMIT"


OMIT = _OmitEmpty()
GO_INT_MIN = -(2**63)
GO_INT_MAX = 2**63 - 1
GoInt = Annotated[int, Field(strict=True, ge=GO_INT_MIN, le=GO_INT_MAX)]  # Go `int` on 64-bit platforms


def _is_empty(value: Any) -> bool:
    if value is None or value is False or value == "":
        return True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value == 0
    return isinstance(value, list | dict) and not value


class GoModel(BaseModel):
    """Base of every reply: serialises in declaration order, leaving out empty `OMIT` fields."""

    model_config = ConfigDict(extra="forbid")
    _omit: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._omit = frozenset(
            name
            for name, info in cls.model_fields.items()
            if any(isinstance(m, _OmitEmpty) for m in info.metadata)
        )

    @model_serializer(mode="wrap")
    def _omit_empty(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        for name in self._omit:
            if name in data and _is_empty(data[name]):
                del data[name]
        return data

    def go_json(self, *, newline: bool = True) -> bytes:
        """Go's bytes: `json.NewEncoder(w).Encode` (trailing newline) or, without it, `json.Marshal`."""
        data = self.model_dump()
        return encode(data) if newline else marshal(data)


# ------------------------------------------------------------------------------------------------ errors


class ErrorReply(GoModel):
    """`{"error": code, "message": text}` plus optional extras (`conflicts`, `details`) after them."""

    model_config = ConfigDict(extra="allow")
    error: str
    message: str


# ------------------------------------------------------------------------------------------------- mocks


class MockList(GoModel):
    """`GET /mocks` (Go struct `MocksListResponse`)."""

    mocks: list[dict[str, Any]]
    total: int  # after filters, before paging
    count: int  # returned


class MockActionReply(GoModel):
    """Replies to POST/PUT/PATCH /mocks and toggle. A Go map: keys sorted."""

    action: str
    id: str
    message: str
    mock: dict[str, Any]


class BulkResult(GoModel):
    """`POST /mocks/bulk` (a Go map: keys sorted)."""

    created: int
    failedIds: Annotated[list[str], OMIT] = []
    mocks: list[dict[str, Any]]
    warnings: Annotated[list[str], OMIT] = []


# ---------------------------------------------------------------------------------------- verification


class VerifyCriteria(BaseModel):
    """Body of `POST /mocks/{id}/verify` (Go `VerifyRequest`: pointer fields, so `null` means absent)."""

    model_config = ConfigDict(extra="ignore", strict=True)
    atLeast: GoInt | None = None
    atMost: GoInt | None = None
    exactly: GoInt | None = None
    never: bool | None = None

    def is_empty(self) -> bool:
        return self.atLeast is None and self.atMost is None and self.exactly is None and self.never is None


class VerifyResult(GoModel):
    """Reply of `POST /mocks/{id}/verify`, HTTP 200 whether or not it passed (Go `VerifyResponse`)."""

    passed: bool
    actual: int
    expected: Annotated[str, OMIT] = ""
    message: Annotated[str, OMIT] = ""


class MockVerification(GoModel):
    """`GET /mocks/{id}/verify` (Go `MockVerification`)."""

    mockId: str
    callCount: int
    lastCalledAt: Annotated[str | None, OMIT] = None


class Invocation(GoModel):
    """One entry of `GET /mocks/{id}/invocations` (Go `MockInvocation`; `queryParams` is never filled)."""

    id: str
    timestamp: str
    method: str
    path: str
    headers: Annotated[dict[str, str], OMIT] = {}  # first value of each header, names sorted as Go's map
    queryParams: Annotated[dict[str, str], OMIT] = {}
    body: Annotated[str, OMIT] = ""
    # ours: what a GraphQL or SOAP call carried (operation, variables...) and a WebSocket connection's
    # messages in and out, so verification can assert on them
    graphql: Annotated[dict[str, Any], OMIT] = {}
    soap: Annotated[dict[str, Any], OMIT] = {}
    websocket: Annotated[dict[str, Any], OMIT] = {}


class InvocationList(GoModel):
    invocations: list[Invocation]
    count: int
    total: int  # the mock's true call count (D4), not the number of entries still in the log


class InvocationsCleared(GoModel):
    """`DELETE /mocks/{id}/invocations` (a Go map: keys sorted)."""

    cleared: int
    message: str = "Invocations cleared"
    mockId: str


class Cleared(GoModel):
    """`DELETE /verify` and `DELETE /requests` (Go maps: keys sorted)."""

    cleared: int
    message: str


# ------------------------------------------------------------------------------------------- request log


class NearMissSummary(GoModel):
    mockId: str
    mockName: Annotated[str, OMIT] = ""
    matchPercentage: int
    reason: str


class RequestLogEntry(GoModel):
    """One request-log entry (Go `types.RequestLogEntry`, reference §3.11).

    `bodyTruncated` is ours: the log keeps bodies up to `--log-body-cap` bytes, and `bodySize` is the real
    size, so a client can tell a cut body from a short one. It is left out when the body is whole, so the
    Go shape is unchanged for every body under the cap.
    """

    id: str
    workspaceId: Annotated[str, OMIT] = ""
    timestamp: str
    protocol: str = "http"
    method: Annotated[str, OMIT] = ""
    path: str
    queryString: Annotated[str, OMIT] = ""
    headers: Annotated[dict[str, list[str]], OMIT] = {}
    body: Annotated[str, OMIT] = ""
    bodySize: Annotated[int, OMIT] = 0
    bodyTruncated: Annotated[bool, OMIT] = False
    remoteAddr: Annotated[str, OMIT] = ""
    matchedMockId: Annotated[str, OMIT] = ""
    statusCode: Annotated[int, OMIT] = 0
    responseBody: Annotated[str, OMIT] = ""
    durationMs: int
    error: Annotated[str, OMIT] = ""
    nearMisses: Annotated[list[NearMissSummary], OMIT] = []
    chaosFault: Annotated[str, OMIT] = ""  # ours: the chaos faults this request got (docs/chaos.md)
    # Protocol detail, as the Go tool's GraphQL and SOAP loggers write it (docs/graphql.md, docs/soap.md);
    # ours for WebSocket: one entry per connection with its messages (docs/websocket.md).
    graphql: Annotated[dict[str, Any], OMIT] = {}
    soap: Annotated[dict[str, Any], OMIT] = {}
    grpc: Annotated[dict[str, Any] | None, OMIT] = None  # service, methodName, streamType, statusCode...
    mqtt: Annotated[dict[str, Any] | None, OMIT] = None  # clientId, topic, qos, retain, direction, messageId
    websocket: Annotated[dict[str, Any], OMIT] = {}


class RequestList(GoModel):
    requests: list[RequestLogEntry]
    count: int
    total: int  # entries matching the filters, before paging


# ---------------------------------------------------------------------------------------------- config


class ConfigImportRequest(BaseModel):
    """The wrapped body of `POST /config`: `{"config": {collection}, "replace": bool}`."""

    model_config = ConfigDict(extra="ignore", strict=True)
    replace: bool | None = None
    config: dict[str, Any] | None = None


class ConfigImportReply(GoModel):
    """`POST /config` success (a Go map: keys sorted; `statefulResources` only when some were given)."""

    imported: int
    message: str = "Configuration imported successfully"
    statefulResources: Annotated[int, OMIT] = 0
    total: int


class ConfigDryRunReply(GoModel):
    """`POST /config?dryRun=true` (a Go map: keys sorted)."""

    dryRun: bool = True
    mocks: int
    statefulResources: Annotated[int, OMIT] = 0


class CollectionMetadata(GoModel):
    name: Annotated[str, OMIT] = ""


class ConfigExport(GoModel):
    """`GET /config` (Go `config.MockCollection`, built from the store)."""

    version: str = "1.0"
    kind: Annotated[str, OMIT] = "MockCollection"
    metadata: CollectionMetadata | None = None
    name: Annotated[str, OMIT] = ""
    mocks: list[dict[str, Any]]
    statefulResources: Annotated[list[dict[str, Any]], OMIT] = []
    customOperations: Annotated[list[dict[str, Any]], OMIT] = []


# ------------------------------------------------------------------------------------------------ decode


def fold_keys(cls: type[BaseModel], value: dict[str, Any]) -> dict[str, Any]:
    """Keys matched to `cls`'s fields case-insensitively, unknown ones dropped, a later spelling winning:
    how Go's decoder fills a struct."""
    names = {name.casefold(): name for name in cls.model_fields}
    out: dict[str, Any] = {}
    for key, item in value.items():
        name = names.get(key.casefold())
        if name is not None:
            out[name] = item
    return out
