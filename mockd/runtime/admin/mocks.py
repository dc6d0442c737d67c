"""Mocks CRUD (reference §5.2): `/mocks`, `/mocks/bulk`, `/mocks/{id}`, `/mocks/{id}/toggle`.

Every change goes through `MockStore.editing()`: validated first, applied to a private copy, then the copy and
its freshly built route table replace the live ones together. A request that fails changes nothing (a bulk
create with one bad mock adds none), and the mock port sees each change from the next request on.

Deliberate differences from the Go tool, each because its behaviour would surprise a test suite:
- a bulk create validates every mock first and answers 400 for the first bad one (Go stores the batch, then
  reports per-mock engine failures as `warnings`/`failedIds` with 201);
- PUT without `type` infers it as the config loader does (Go stores an empty type that never matches);
- a PATCH whose protocol part has a value of the wrong type answers 400 `invalid_json` (Go ignores that part
  silently and answers 200).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from mockd.runtime.admin.http import (
    AdminError,
    AdminRequest,
    Response,
    decode_json_with_positions,
    empty_response,
    go_atoi,
    go_parse_bool,
    invalid_json,
    json_response,
    reply,
)
from mockd.runtime.admin.mockinput import (
    BIG_BODY,
    PROTOCOLS,
    compile_body,
    indexed_prefix,
    mock_type,
    off_loop,
    with_fields,
)
from mockd.runtime.admin.models import BulkResult, MockActionReply, MockList
from mockd.runtime.workspaces import route_collision

if TYPE_CHECKING:
    from mockd.plan.model import CompiledMock
    from mockd.runtime.admin.router import Handler, Router
    from mockd.runtime.journal import Journal
    from mockd.runtime.store import MockEdit, StoredMock
    from mockd.runtime.world import Runtime


def mock_not_found() -> AdminError:
    return AdminError(404, "not_found", "mock not found")


def _stamp_new(compiled: CompiledMock, now: float, workspace: str) -> CompiledMock:
    """What the Go tool fills in on create: `metaSortKey` = -epoch ms when unset (newest first in UIs), and
    the `?workspaceId=` of the request when the mock names none."""
    values: dict[str, Any] = {}
    if not compiled["mock"].get("metaSortKey"):
        values["metaSortKey"] = -int(now * 1000)
    if workspace and not compiled["mock"].get("workspaceId"):
        values["workspaceId"] = workspace
    return with_fields(compiled, **values) if values else compiled


def search_path(mock: dict[str, Any]) -> str:
    """Go's `Mock.GetPath`, which `?search=` matches besides the name."""
    kind = mock.get("type", "")
    spec = mock.get(kind)
    if not isinstance(spec, dict):
        return ""
    if kind == "http":
        matcher = spec.get("matcher") or {}
        return matcher.get("path") or matcher.get("pathPattern") or ""
    if kind in ("grpc", "mqtt"):
        port = spec.get("port")
        return f":{port}" if isinstance(port, int) and port else ""
    if kind == "oauth":
        return str(spec.get("issuer") or "")
    return str(spec.get("path") or "")


def forget(journal: Journal, gone: list[StoredMock], still: set[str] | None = None) -> None:
    """Removed mocks lose their counters: a later mock with the same id starts from zero."""
    for m in gone:
        if still is None or m.id not in still:
            journal.forget(m.id)


async def list_mocks(req: AdminRequest) -> Response:
    store = req.rt.store
    mocks = list(store)
    kind = req.arg("type")
    if kind:
        mocks = [m for m in mocks if m.compiled["mock"].get("type", "") == kind]
    for name in ("parentId", "folderId"):  # folderId is an alias, used only without parentId
        if req.has_arg(name):
            parent = req.arg(name)
            mocks = [m for m in mocks if m.compiled["mock"].get("parentId", "") == parent]
            break
    enabled = go_parse_bool(req.arg("enabled"))
    if enabled is not None:
        mocks = [m for m in mocks if m.enabled == enabled]
    search = req.arg("search").lower()
    if search:
        mocks = [
            m
            for m in mocks
            if search in m.compiled["mock"].get("name", "").lower()
            or search in search_path(m.compiled["mock"]).lower()
        ]
    workspace = req.arg("workspaceId")
    if workspace:
        mocks = [m for m in mocks if m.compiled["mock"].get("workspaceId", "") == workspace]
    total = len(mocks)
    offset = go_atoi(req.arg("offset")) or 0
    if offset < 0:
        raise AdminError(400, "validation_error", "offset must be non-negative")
    limit = go_atoi(req.arg("limit")) or 0
    if limit < 0:
        raise AdminError(400, "validation_error", "limit must be non-negative")
    if offset:
        mocks = mocks[offset:]
    if limit:
        mocks = mocks[:limit]
    return reply(MockList(mocks=[m.api_dict() for m in mocks], total=total, count=len(mocks)))


class RouteCollision(AdminError):
    """409 `route_collision` (operations reference §5): the Go tool answers with a map, so the keys come out
    sorted (`collision, error, message`), the collision object in its struct order."""

    def __init__(self, status: int, code: str, message: str, clash: dict[str, str]) -> None:
        super().__init__(status, code, message)
        self.clash = clash

    def response(self) -> Response:
        return json_response(
            {"collision": self.clash, "error": self.code, "message": self.message}, self.status
        )


def _check_collision(rt: Runtime, compiled: CompiledMock, edit: MockEdit) -> None:
    """Refuse a mock that another workspace's mock would shadow on the one mock port (or the reverse)."""
    mock = compiled["mock"]
    clash = route_collision(mock, (m.compiled["mock"] for m in edit.mocks.values()), rt.workspaces)
    if clash is not None:
        path = (((mock.get("http") or {}).get("matcher")) or {}).get("path") or ""
        name, ws_name = clash.get("existingMockName", ""), clash.get("workspaceName", "")
        message = (f'Route {clash["method"]} {path} collides with existing mock "{name}" (workspace '
                   f'"{ws_name}") \u2014 both resolve to {clash["effectivePath"]} on the engine')  # fmt: skip
        raise RouteCollision(409, "route_collision", message, clash)


async def create_mock(req: AdminRequest) -> Response:
    rt = req.rt
    store = rt.store
    now = time.time()
    compiled = compile_body(req.body, require_type=True, body_root=rt.admin_body_root())
    compiled = _stamp_new(compiled, now, req.arg("workspaceId"))
    mock_id = compiled["mock"]["id"]
    async with store.editing() as edit:
        if mock_id in edit:
            raise AdminError(409, "duplicate_id", "Mock with this ID already exists")
        _check_collision(rt, compiled, edit)
        stored = edit.add(compiled, now)
    return reply(
        MockActionReply(
            action="created",
            id=mock_id,
            message=f"Created {mock_type(compiled)} mock",
            mock=stored.api_dict(),
        ),
        201,
    )


async def bulk_create(req: AdminRequest) -> Response:
    rt = req.rt
    store = rt.store
    big = len(req.body) > BIG_BODY
    now = time.time()
    batch = await off_loop(big, _prepare_bulk, req.body, now, req.arg("workspaceId"), rt.admin_body_root())
    replace = go_parse_bool(req.arg("replace")) is True
    async with store.editing() as edit:
        if replace:
            for c in batch:
                edit.remove(c["mock"]["id"])  # re-created at the end, counters kept (same id)
        elif any(c["mock"]["id"] in edit for c in batch):
            raise AdminError(409, "already_exists", "one or more mocks already exist")
        added = [edit.add(c, now) for c in batch]
    return await off_loop(big, _bulk_reply, added)


async def get_mock(req: AdminRequest) -> Response:
    store = req.rt.store
    stored = store.get(req.params["id"])
    if stored is None:
        raise mock_not_found()
    return json_response(stored.api_dict())


async def put_mock(req: AdminRequest) -> Response:
    rt = req.rt
    store = rt.store
    mock_id = req.params["id"]
    compiled: CompiledMock | None = None
    failure: AdminError | None = None
    try:  # Go decodes before it looks the mock up, and validates after
        compiled = compile_body(req.body, require_type=False, body_root=rt.admin_body_root(), mock_id=mock_id)
    except AdminError as exc:
        if exc.code == "invalid_json":
            raise
        failure = exc
    now = time.time()
    async with store.editing() as edit:
        old = edit.get(mock_id)
        if old is None:
            raise mock_not_found()
        if failure is not None:
            raise failure
        assert compiled is not None
        workspace = old.compiled["mock"].get("workspaceId")
        if workspace and not compiled["mock"].get("workspaceId"):
            compiled = with_fields(compiled, workspaceId=workspace)
        _check_collision(rt, compiled, edit)
        stored = edit.put(compiled, old.created_at, now)
    return _updated(mock_id, compiled, stored)


async def patch_mock(req: AdminRequest) -> Response:
    rt = req.rt
    store = rt.store
    mock_id = req.params["id"]
    patch = req.json()
    if patch is None:
        patch = {}
    if not isinstance(patch, dict):
        raise invalid_json()
    now = time.time()
    async with store.editing() as edit:
        old = edit.get(mock_id)
        if old is None:
            raise mock_not_found()
        merged = apply_patch(old.compiled["mock"], patch)
        compiled = compile_body(merged, require_type=False, body_root=rt.admin_body_root(), mock_id=mock_id)
        _check_collision(rt, compiled, edit)
        stored = edit.put(compiled, old.created_at, now)
    return _updated(mock_id, compiled, stored)


async def delete_mock(req: AdminRequest) -> Response:
    store = req.rt.store
    journal = req.rt.journal
    async with store.editing() as edit:
        gone = edit.remove(req.params["id"])
        if gone is None:
            raise mock_not_found()
    forget(journal, [gone])
    return empty_response(204)


async def delete_all(req: AdminRequest) -> Response:
    store = req.rt.store
    journal = req.rt.journal
    kind = req.arg("type")
    async with store.editing() as edit:
        gone = edit.remove_where(lambda m: not kind or m.compiled["mock"].get("type", "") == kind)
    forget(journal, gone)
    return empty_response(204)


async def toggle(req: AdminRequest) -> Response:
    store = req.rt.store
    mock_id = req.params["id"]
    now = time.time()
    async with store.editing() as edit:
        old = edit.get(mock_id)
        if old is None:
            raise mock_not_found()
        enabled = not old.enabled
        stored = edit.put(with_fields(old.compiled, enabled=enabled), old.created_at, now)
    return reply(
        MockActionReply(
            action="toggled",
            id=mock_id,
            message="Mock enabled" if enabled else "Mock disabled",
            mock=stored.api_dict(),
        )
    )


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/mocks", list_mocks),
    ("POST", "/mocks", create_mock),
    ("POST", "/mocks/bulk", bulk_create),
    ("GET", "/mocks/{id}", get_mock),
    ("PUT", "/mocks/{id}", put_mock),
    ("PATCH", "/mocks/{id}", patch_mock),
    ("DELETE", "/mocks/{id}", delete_mock),
    ("DELETE", "/mocks", delete_all),
    ("POST", "/mocks/{id}/toggle", toggle),
]


def register(router: Router, rt: Runtime) -> None:
    """Mount `ROUTES` (handlers reach the runtime through `req.rt`, so each can be read and tested alone)."""
    for method, pattern, handler in ROUTES:
        router.add(method, pattern, handler)


def _prepare_bulk(body: bytes, now: float, workspace: str, body_root: str) -> list[CompiledMock]:
    """A bulk body decoded, checked and compiled, or the 400 it answers, in the Go tool's order: the whole
    array is decoded first (a wrong type anywhere is `invalid_json`), then ids are checked for duplicates
    within the batch; then (ours: the Go tool does not validate here) every mock is validated.

    Touches no shared state, so it can run in a worker thread.
    """
    value, positions = decode_json_with_positions(body)
    if value is None:  # Go: a nil slice, nothing to create
        value = []
    if not isinstance(value, list):
        raise invalid_json()
    nodes = positions.root.children if value and positions.root is not None else []
    assert isinstance(nodes, list)
    compiled: list[CompiledMock | AdminError] = []
    for i, (item, node) in enumerate(zip(value, nodes, strict=True)):
        if item is None:
            compiled.append(AdminError(400, "validation_error", f"mock at index {i}: mock cannot be null"))
            continue
        try:
            compiled.append(
                compile_body(positions.text[node.start : node.end], require_type=False, body_root=body_root)
            )
        except AdminError as exc:
            if exc.code == "invalid_json":
                raise
            compiled.append(AdminError(400, exc.code, indexed_prefix(i, item) + exc.message))
    seen: set[str] = set()
    for i, item in enumerate(value):
        given = _given_id(item)
        if given:
            if given in seen:
                raise AdminError(400, "duplicate_id", f"duplicate mock ID '{given}' at index {i}")
            seen.add(given)
    out = []
    for entry in compiled:
        if isinstance(entry, AdminError):
            raise entry
        out.append(_stamp_new(entry, now, workspace))
    return out


def _updated(mock_id: str, compiled: CompiledMock, stored: StoredMock) -> Response:
    """The reply to PUT and PATCH: `{"id", "action": "updated", "message", "mock"}`."""
    return reply(
        MockActionReply(
            action="updated",
            id=mock_id,
            message=f"Updated {mock_type(compiled)} mock",
            mock=stored.api_dict(),
        )
    )


def _bulk_reply(added: list[StoredMock]) -> Response:
    return reply(BulkResult(created=len(added), mocks=[m.api_dict() for m in added]), 201)


def _given_id(item: Any) -> str:
    """The id a bulk item names (Go's decoder: keys case-insensitive, the last spelling wins)."""
    found = ""
    if isinstance(item, dict):
        for key, value in item.items():
            if key.casefold() == "id":
                found = value if isinstance(value, str) else ""
    return found


def apply_patch(mock: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """The Go tool's PATCH: a few top-level fields replaced when their JSON type is right (others ignored),
    then each protocol key merged one level deep into the existing spec (`null` deletes a sub-key; a
    non-object value resets the spec to empty, which then fails validation). Patch keys match exactly: Go
    decodes the patch into a map, not a struct."""
    out = {k: v for k, v in mock.items() if k not in ("createdAt", "updatedAt")}
    for key in ("name", "description", "parentId"):
        if isinstance(patch.get(key), str):
            out[key] = patch[key]
    if isinstance(patch.get("enabled"), bool):
        out["enabled"] = patch["enabled"]
    sort_key = patch.get("metaSortKey")
    if isinstance(sort_key, int | float) and not isinstance(sort_key, bool):
        out["metaSortKey"] = sort_key
    for proto in PROTOCOLS:
        if proto not in patch:
            continue
        change = patch[proto]
        if not isinstance(change, dict):
            out[proto] = {}
            continue
        base = dict(out.get(proto) or {})
        for key, value in change.items():
            if value is None:
                base.pop(key, None)
            else:
                base[key] = value
        out[proto] = dict(sorted(base.items()))  # Go re-encodes the merged map: keys sorted
    return out
