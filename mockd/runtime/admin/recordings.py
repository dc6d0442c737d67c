"""Recordings over the admin API (operations reference §2.5): list, inspect, delete, clear, export, and
convert to mocks, for what `--upstream --record` (or the forward proxy) captured.

Shapes are the Go tool's. Without a recording store (nothing records in this process) the list and clear
routes answer empty, by-id routes 404, and convert/export 400 `no_store`, as the Go tool before its first
`POST /proxy/start`. Conversion chooses matchers as `mockd.recording.convert` explains (query and body only
where they varied), and each mock is created through the same path as `POST /mocks`.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any, Literal

import yaml  # type: ignore[import-untyped]
from pydantic import BaseModel

from mockd.recording import sensitive
from mockd.recording.convert import ConvertOptions, path_matches, smart_path, status_matches, to_mocks
from mockd.runtime.admin.http import (
    JSON_CT,
    AdminError,
    AdminRequest,
    Response,
    decode_model,
    empty_response,
    go_atoi,
    go_parse_bool,
    json_response,
)
from mockd.runtime.admin.mockinput import compile_body, with_fields

if TYPE_CHECKING:
    from mockd.recording.model import Recording
    from mockd.recording.store import RecordingStore
    from mockd.runtime.admin.router import Router
    from mockd.runtime.world import Runtime


class ConvertRequest(BaseModel):
    recordingIds: list[str] | None = None
    sessionId: str = ""
    deduplicate: bool = False  # the Go option: one mock per key (`duplicates: first`) instead of all
    duplicates: Literal["", "first", "last", "all"] = ""  # ours, as the session route's: wins when set
    includeHeaders: bool = False
    smartMatch: bool = False


class ExportRequest(BaseModel):
    sessionId: str = ""
    recordingIds: list[str] | None = None
    format: str = "json"


class ToMockRequest(BaseModel):
    includeHeaders: bool = False
    smartMatch: bool = False
    addToServer: bool = False


def _store(req: AdminRequest) -> RecordingStore | None:
    return req.rt.recordings


def _need_store(req: AdminRequest) -> RecordingStore:
    store = _store(req)
    if store is None:
        raise AdminError(400, "no_store", "No recording store available")
    return store


def _not_found() -> AdminError:
    return AdminError(404, "not_found", "Recording not found")


async def list_recordings(req: AdminRequest) -> Response:
    limit = go_atoi(req.arg("limit")) or 0
    offset = go_atoi(req.arg("offset")) or 0
    store = _store(req)
    found = (
        store.select(session=req.arg("session"), method=req.arg("method"), path=req.arg("path"))
        if store
        else []
    )
    total = len(found)
    page = found[max(offset, 0) :]
    if limit > 0:
        page = page[:limit]
    return json_response(
        {"recordings": [r.to_json() for r in page], "total": total, "limit": limit, "offset": offset}
    )


async def clear_recordings(req: AdminRequest) -> Response:
    store = _store(req)
    return json_response({"deleted": store.clear() if store is not None else 0})


async def get_recording(req: AdminRequest) -> Response:
    store = _store(req)
    rec = store.get(req.params["id"]) if store is not None else None
    if rec is None:
        raise _not_found()
    return json_response(rec.to_json())


async def delete_recording(req: AdminRequest) -> Response:
    store = _store(req)
    if store is None or not store.delete(req.params["id"]):
        raise _not_found()
    return empty_response(204)


async def _add_mocks(req: AdminRequest, mocks: list[dict[str, Any]]) -> list[str]:
    """Create `mocks` as `POST /mocks` would; one that does not compile is skipped (as the Go tool)."""
    rt = req.rt
    now = time.time()
    compiled = []
    for mock in mocks:
        try:
            c = compile_body(mock, require_type=True, body_root=rt.admin_body_root())
        except AdminError:
            continue
        compiled.append(with_fields(c, metaSortKey=-int(now * 1000)))
    async with rt.store.editing() as edit:
        added = [edit.add(c, now) for c in compiled if c["mock"]["id"] not in edit]
    return [a.id for a in added]


async def convert(req: AdminRequest) -> Response:
    store = _need_store(req)
    body = decode_model(ConvertRequest, req.json() if req.body.strip() else None)
    recs = store.select(ids=body.recordingIds, session="" if body.recordingIds else body.sessionId)
    if not recs:
        raise AdminError(400, "no_recordings", "No recordings to convert")
    duplicates = body.duplicates or ("first" if body.deduplicate else "all")
    options = ConvertOptions(duplicates=duplicates, include_headers=body.includeHeaders,
                             smart_match=body.smartMatch)  # fmt: skip
    ids = await _add_mocks(req, to_mocks(recs, options))
    return json_response({"mockIds": ids, "count": len(ids)})


async def export(req: AdminRequest) -> Response:
    store = _need_store(req)
    body = decode_model(ExportRequest, req.json() if req.body.strip() else None)
    if body.sessionId:
        recs = store.select(session=body.sessionId)
    elif body.recordingIds:
        recs = store.select(ids=body.recordingIds)
    else:
        recs = list(store)
    data = [r.to_json() for r in recs] or None
    if body.format == "yaml":
        out = yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()
        return Response(200, out, [("content-type", "application/x-yaml")])
    return Response(200, json.dumps(data, indent=2, ensure_ascii=False).encode(), [JSON_CT])


async def to_mock(req: AdminRequest) -> Response:
    store = _need_store(req)
    rec = store.get(req.params["id"])
    if rec is None:
        raise _not_found()
    body = decode_model(ToMockRequest, req.json() if req.body.strip() else None)
    options = ConvertOptions(include_headers=body.includeHeaders, smart_match=body.smartMatch)
    mock = to_mocks([rec], options)[0]
    if body.addToServer or go_parse_bool(req.arg("add")) is True:
        await _add_mocks(req, [mock])
    return json_response({"mock": mock})


def _recording(req: AdminRequest) -> Recording:
    store = _need_store(req)
    rec = store.get(req.params["id"])
    if rec is None:
        raise _not_found()
    return rec


async def check_sensitive(req: AdminRequest) -> Response:
    rec = _recording(req)
    found = sensitive.warnings(rec)
    return json_response({"count": len(found), "recordingId": rec.id, "warnings": found})


async def preview_smart_match(req: AdminRequest) -> Response:
    rec = _recording(req)
    smart = smart_path(rec.path)
    return json_response(
        {"changed": smart != rec.path, "originalPath": rec.path, "recordingId": rec.id, "smartPath": smart}
    )


class SessionMocksBody(BaseModel):
    pathFilter: str = ""
    methodFilter: str = ""
    statusFilter: str = ""
    duplicates: Literal["", "first", "last", "all"] = ""
    addToServer: bool = False
    smartMatch: bool = False
    includeHeaders: bool = False


async def session_to_mocks(req: AdminRequest) -> Response:
    store = _need_store(req)
    wanted = req.params["id"]
    session = store.active if wanted == "latest" else store.sessions.get(wanted)
    if session is None:
        raise AdminError(404, "not_found", "Session not found")
    body = decode_model(SessionMocksBody, req.json() if req.body.strip() else None)
    methods = {m.strip().upper() for m in body.methodFilter.split(",") if m.strip()}
    recs = [
        r for r in session.recordings
        if (not methods or r.method in methods) and path_matches(body.pathFilter, r.path)
        and status_matches(body.statusFilter, r.status)
    ]  # fmt: skip
    options = ConvertOptions(duplicates=body.duplicates or "first", include_headers=body.includeHeaders,
                             smart_match=body.smartMatch)  # fmt: skip
    mocks = to_mocks(recs, options)
    ids = await _add_mocks(req, mocks) if body.addToServer else []
    out: dict[str, Any] = {"mocks": mocks, "mockIds": ids}
    warnings = [f"{r.id}: {w['message']}" for r in recs for w in sensitive.warnings(r)]
    if warnings:
        out["warnings"] = warnings
    out.update(filtered=len(recs), total=len(session.recordings), added=len(ids))
    return json_response(out)


class SessionBody(BaseModel):
    name: str = ""


async def create_session(req: AdminRequest) -> Response:
    store = _store(req)
    if store is None:
        raise AdminError(400, "no_store", "Proxy not running - start proxy first")
    body = decode_model(SessionBody, req.json() if req.body.strip() else None)
    if not body.name:
        raise AdminError(400, "missing_name", "Session name is required")
    return json_response(store.new_session(body.name).summary(), 201)


async def get_session(req: AdminRequest) -> Response:
    store = _store(req)
    session = store.sessions.get(req.params["id"]) if store is not None else None
    if session is None:
        raise AdminError(404, "not_found", "Session not found")
    out = {k: v for k, v in session.summary().items() if k != "recordingCount"}
    out["recordings"] = [r.to_json() for r in session.recordings]
    return json_response(out)


async def delete_session(req: AdminRequest) -> Response:
    store = _store(req)
    if store is None or not store.delete_session(req.params["id"]):
        raise AdminError(404, "not_found", "Session not found")
    return empty_response(204)


async def clear_sessions(req: AdminRequest) -> Response:
    store = _store(req)
    if store is None:
        return json_response({"deleted": 0})
    n = len(store.sessions)
    store.clear()
    return json_response({"deleted": n})


async def list_sessions(req: AdminRequest) -> Response:
    store = _store(req)
    return json_response([s.summary() for s in store.sessions.values()] if store is not None else [])


ROUTES = [
    ("GET", "/recordings", list_recordings),
    ("DELETE", "/recordings", clear_recordings),
    ("GET", "/recordings/{id}", get_recording),
    ("DELETE", "/recordings/{id}", delete_recording),
    ("POST", "/recordings/convert", convert),
    ("POST", "/recordings/export", export),
    ("POST", "/recordings/{id}/to-mock", to_mock),
    ("GET", "/recordings/{id}/check-sensitive", check_sensitive),
    ("POST", "/recordings/{id}/preview-smart-match", preview_smart_match),
    ("POST", "/recordings/sessions/{id}/to-mocks", session_to_mocks),
    ("GET", "/sessions", list_sessions),
    ("POST", "/sessions", create_session),
    ("DELETE", "/sessions", clear_sessions),
    ("GET", "/sessions/{id}", get_session),
    ("DELETE", "/sessions/{id}", delete_session),
]


def register(router: Router, rt: Runtime) -> None:
    for method, pattern, handler in ROUTES:
        router.add(method, pattern, handler)
