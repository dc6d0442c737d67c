"""Every admin call as data: method, path, query, body and how to read the reply (no I/O here).

The sync and async clients only send a `Call` and hand the reply to its `parse`, so the two can never
disagree on a route or a shape. Replies are read into the server's own pydantic models
(`mockd.runtime.admin.models` and the state models), so a shape the server stops producing fails loudly
here instead of drifting.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from mockd.client.errors import BadRequestError
from mockd.runtime.admin.models import (
    BulkResult,
    Cleared,
    ConfigDryRunReply,
    ConfigExport,
    ConfigImportReply,
    InvocationList,
    InvocationsCleared,
    MockActionReply,
    MockList,
    MockVerification,
    RequestList,
    RequestLogEntry,
    VerifyResult,
)
from mockd.runtime.admin.state import (
    ItemsPage,
    ResourceCleared,
    ResourceDetail,
    ResourceReset,
    StateOverview,
    StateReset,
    TablesReset,
)

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Reply:
    """What `parse` sees of a successful reply (2xx)."""

    status: int
    body: bytes
    json: Any


@dataclass(frozen=True)
class Call(Generic[T]):
    method: str
    path: str
    parse: Callable[[Reply], T]
    params: dict[str, str] = field(default_factory=dict)
    json: Any = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _model(cls: type[M]) -> Callable[[Reply], M]:
    return lambda reply: cls.model_validate(reply.json)


def _raw(reply: Reply) -> Any:
    return reply.json


def _none(reply: Reply) -> None:
    return None


def _seg(value: str) -> str:
    """One path segment: an id with `/` or `?` in it must not change the route."""
    return urllib.parse.quote(value, safe="")


def _params(**values: object) -> dict[str, str]:
    """Query parameters left out when None; booleans as Go's `strconv.ParseBool` reads them."""
    out: dict[str, str] = {}
    for key, value in values.items():
        if value is None:
            continue
        out[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


# ------------------------------------------------------------------------------------------------ health


def health() -> Call[dict[str, Any]]:
    return Call("GET", "/health", _raw)


# ------------------------------------------------------------------------------------------------- mocks


def list_mocks(
    *,
    type: str | None = None,
    enabled: bool | None = None,
    search: str | None = None,
    offset: int | None = None,
    limit: int | None = None,
) -> Call[MockList]:
    params = _params(type=type, enabled=enabled, search=search, offset=offset, limit=limit)
    return Call("GET", "/mocks", _model(MockList), params)


def create_mock(mock: dict[str, Any]) -> Call[MockActionReply]:
    return Call("POST", "/mocks", _model(MockActionReply), json=mock)


def create_mocks(mocks: list[dict[str, Any]], *, replace: bool = False) -> Call[BulkResult]:
    return Call("POST", "/mocks/bulk", _model(BulkResult), _params(replace=replace or None), json=mocks)


def get_mock(mock_id: str) -> Call[dict[str, Any]]:
    return Call("GET", f"/mocks/{_seg(mock_id)}", _raw)


def update_mock(mock_id: str, mock: dict[str, Any]) -> Call[MockActionReply]:
    return Call("PUT", f"/mocks/{_seg(mock_id)}", _model(MockActionReply), json=mock)


def patch_mock(mock_id: str, changes: dict[str, Any]) -> Call[MockActionReply]:
    return Call("PATCH", f"/mocks/{_seg(mock_id)}", _model(MockActionReply), json=changes)


def toggle_mock(mock_id: str) -> Call[MockActionReply]:
    return Call("POST", f"/mocks/{_seg(mock_id)}/toggle", _model(MockActionReply))


def delete_mock(mock_id: str) -> Call[None]:
    return Call("DELETE", f"/mocks/{_seg(mock_id)}", _none)


def delete_mocks(*, type: str | None = None) -> Call[None]:
    return Call("DELETE", "/mocks", _none, _params(type=type))


# ---------------------------------------------------------------------------------------- verification


def verification(mock_id: str) -> Call[MockVerification]:
    return Call("GET", f"/mocks/{_seg(mock_id)}/verify", _model(MockVerification))


def verify(
    mock_id: str,
    *,
    exactly: int | None = None,
    at_least: int | None = None,
    at_most: int | None = None,
    never: bool | None = None,
) -> Call[VerifyResult]:
    criteria = {"exactly": exactly, "atLeast": at_least, "atMost": at_most, "never": never}
    body = {k: v for k, v in criteria.items() if v is not None}
    if not body:
        # Refused here rather than by the server: a test that forgot its criterion is a bug in the test.
        raise BadRequestError(
            400, "missing_criteria", "give at least one of exactly, at_least, at_most or never"
        )
    return Call("POST", f"/mocks/{_seg(mock_id)}/verify", _model(VerifyResult), json=body)


def invocations(mock_id: str, *, limit: int | None = None, offset: int | None = None) -> Call[InvocationList]:
    params = _params(limit=limit, offset=offset)
    return Call("GET", f"/mocks/{_seg(mock_id)}/invocations", _model(InvocationList), params)


def clear_invocations(mock_id: str) -> Call[InvocationsCleared]:
    return Call("DELETE", f"/mocks/{_seg(mock_id)}/invocations", _model(InvocationsCleared))


def reset_verification() -> Call[Cleared]:
    return Call("DELETE", "/verify", _model(Cleared))


# ------------------------------------------------------------------------------------------- request log


def requests(
    *,
    limit: int | None = None,
    offset: int | None = None,
    method: str | None = None,
    path: str | None = None,
    matched: str | None = None,
    status: int | None = None,
    unmatched_only: bool | None = None,
    protocol: str | None = None,
) -> Call[RequestList]:
    params = _params(
        limit=limit,
        offset=offset,
        method=method,
        path=path,
        matched=matched,
        status=status,
        unmatchedOnly=unmatched_only,
        protocol=protocol,
    )
    return Call("GET", "/requests", _model(RequestList), params)


def request(request_id: str) -> Call[RequestLogEntry]:
    return Call("GET", f"/requests/{_seg(request_id)}", _model(RequestLogEntry))


def clear_requests() -> Call[Cleared]:
    return Call("DELETE", "/requests", _model(Cleared))


# ------------------------------------------------------------------------------------------------- state


def state() -> Call[StateOverview]:
    return Call("GET", "/state", _model(StateOverview))


def reset_state(resource: str | None = None) -> Call[StateReset]:
    return Call("POST", "/state/reset", _model(StateReset), _params(resource=resource))


def reset_tables() -> Call[TablesReset]:
    return Call("POST", "/reset", _model(TablesReset))


def resource(name: str) -> Call[ResourceDetail]:
    return Call("GET", f"/state/resources/{_seg(name)}", _model(ResourceDetail))


def reset_resource(name: str) -> Call[ResourceReset]:
    return Call("POST", f"/state/resources/{_seg(name)}/reset", _model(ResourceReset))


def clear_resource(name: str) -> Call[ResourceCleared]:
    return Call("DELETE", f"/state/resources/{_seg(name)}", _model(ResourceCleared))


def items(name: str, *, limit: int | None = None, offset: int | None = None) -> Call[ItemsPage]:
    params = _params(limit=limit, offset=offset)
    return Call("GET", f"/state/resources/{_seg(name)}/items", _model(ItemsPage), params)


def item(name: str, item_id: str) -> Call[dict[str, Any]]:
    return Call("GET", f"/state/resources/{_seg(name)}/items/{_seg(item_id)}", _raw)


def create_item(name: str, value: dict[str, Any]) -> Call[dict[str, Any]]:
    return Call("POST", f"/state/resources/{_seg(name)}/items", _raw, json=value)


# ------------------------------------------------------------------------------------------------- chaos


def chaos() -> Call[dict[str, Any]]:
    return Call("GET", "/chaos", _raw)


def set_chaos(config: dict[str, Any]) -> Call[dict[str, Any]]:
    return Call("PUT", "/chaos", _raw, json=config)


def chaos_stats() -> Call[dict[str, Any]]:
    return Call("GET", "/chaos/stats", _raw)


def reset_chaos_stats() -> Call[dict[str, Any]]:
    return Call("POST", "/chaos/stats/reset", _raw)


def apply_chaos_profile(name: str) -> Call[dict[str, Any]]:
    return Call("POST", f"/chaos/profiles/{_seg(name)}/apply", _raw)


# ------------------------------------------------------------------------------------------------ config


def export_config() -> Call[ConfigExport]:
    return Call("GET", "/config", _model(ConfigExport))


def import_config(
    config: dict[str, Any], *, replace: bool = False, dry_run: bool = False
) -> Call[ConfigImportReply | ConfigDryRunReply]:
    def parse(reply: Reply) -> ConfigImportReply | ConfigDryRunReply:
        cls = ConfigDryRunReply if dry_run else ConfigImportReply
        return cls.model_validate(reply.json)

    params = _params(dryRun=dry_run or None)
    return Call("POST", "/config", parse, params, json={"config": config, "replace": replace})


def import_file(
    content: bytes | str, *, format: str | None = None, replace: bool = False, dry_run: bool = False
) -> Call[dict[str, Any]]:
    """`POST /import`: a file of any importable format (OpenAPI, Postman, HAR, WireMock, ...), converted
    by the server."""
    data = content.encode() if isinstance(content, str) else content
    params = _params(format=format, replace=replace or None, dryRun=dry_run or None)
    return Call("POST", "/import", _raw, params, content=data)
