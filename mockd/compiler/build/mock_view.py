"""A validated mock as the Go admin API serves it (reference §5.2, §12.2): the field order of
`pkg/mock/types.go`, `omitempty` omissions, map keys sorted, float64s printed as Go prints them.

The compiler stores this view in the plan (`CompiledMock.mock`), so the runtime serves `GET /mocks` without
the pydantic models.
"""

from __future__ import annotations

from typing import Any

from mockd.compiler.models import PROTOCOLS, HTTPMatcher, HTTPResponse, HTTPSpec, Mock
from mockd.gocompat.gojson import go_numbers


def _sorted(d: dict[str, Any]) -> dict[str, Any]:
    """A Go map as encoding/json writes it: keys in byte order, nested maps too."""
    return {k: _sorted_value(d[k]) for k in sorted(d)}


def _sorted_value(v: Any) -> Any:
    if isinstance(v, dict):
        return _sorted(v)
    if isinstance(v, list):
        return [_sorted_value(x) for x in v]
    if isinstance(v, float):
        return go_numbers(v)
    return v


def _matcher_dict(m: HTTPMatcher) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("method", "path", "pathPattern"):
        if getattr(m, key):
            out[key] = getattr(m, key)
    if m.headers:
        out["headers"] = _sorted(m.headers)
    if m.queryParams:
        out["queryParams"] = _sorted(m.queryParams)
    for key in ("bodyContains", "bodyEquals", "bodyPattern"):
        if getattr(m, key):
            out[key] = getattr(m, key)
    if m.bodyJsonPath:
        out["bodyJsonPath"] = _sorted(m.bodyJsonPath)
    if m.mtls is not None:
        mtls: dict[str, Any] = {}
        if m.mtls.requireAuth:
            mtls["requireAuth"] = True
        for key in ("cn", "cnPattern", "ou", "o", "fingerprint", "issuer"):
            if getattr(m.mtls, key):
                mtls[key] = getattr(m.mtls, key)
        if m.mtls.san is not None:
            mtls["san"] = {
                k: getattr(m.mtls.san, k) for k in ("dns", "email", "ip") if getattr(m.mtls.san, k)
            }
        out["mtls"] = mtls
    return out


def _response_dict(r: HTTPResponse) -> dict[str, Any]:
    out: dict[str, Any] = {"statusCode": 200 if r.statusCode is None else r.statusCode}
    if r.headers:
        out["headers"] = _sorted(r.headers)
    out["body"] = r.body
    if r.bodyFile:
        out["bodyFile"] = r.bodyFile
    if r.delayMs:
        out["delayMs"] = r.delayMs
    if r.seed is not None:
        out["seed"] = r.seed
    return out


def _http_dict(h: HTTPSpec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if h.priority:
        out["priority"] = h.priority
    out["matcher"] = None if h.matcher is None else _matcher_dict(h.matcher)
    if h.response is not None:
        out["response"] = _response_dict(h.response)
    for key in ("sse", "chunked", "validation"):
        value = getattr(h, key)
        if value is not None:
            out[key] = value
    if h.statefulOperation:
        out["statefulOperation"] = h.statefulOperation
    if h.statefulBinding is not None:
        binding: dict[str, Any] = {"table": h.statefulBinding.table, "action": h.statefulBinding.action}
        if h.statefulBinding.operation:
            binding["operation"] = h.statefulBinding.operation
        out["statefulBinding"] = binding
    if h.passthrough is not None:
        forward: dict[str, Any] = {"upstream": h.passthrough.upstream}
        for key in ("connectTimeoutMs", "readTimeoutMs"):
            if getattr(h.passthrough, key) is not None:
                forward[key] = getattr(h.passthrough, key)
        out["passthrough"] = forward
    return out


def go_mock_dict(m: Mock) -> dict[str, Any]:
    """The mock as `GET /mocks/{id}` shows it (reference §5.2, §12.2).

    `createdAt`/`updatedAt` are present with value None: the runtime stamps the times when it stores the mock.
    `folderId` is never echoed (it was copied to `parentId`). Verbatim parts (other protocols, sse, chunked,
    validation) are emitted as given.
    """
    out: dict[str, Any] = {"id": m.id, "type": m.type}
    for key in ("name", "operationId", "description"):
        if getattr(m, key):
            out[key] = getattr(m, key)
    if m.enabled is not None:
        out["enabled"] = m.enabled
    if m.parentId:
        out["parentId"] = m.parentId
    if m.metaSortKey:
        out["metaSortKey"] = go_numbers(m.metaSortKey)
    if m.workspaceId:
        out["workspaceId"] = m.workspaceId
    if m.syncVersion:
        out["syncVersion"] = m.syncVersion
    out["createdAt"] = None
    out["updatedAt"] = None
    if m.http is not None:
        out["http"] = _http_dict(m.http)
    for key in PROTOCOLS[1:]:
        value = getattr(m, key)
        if value is not None:
            out[key] = value
    return out
