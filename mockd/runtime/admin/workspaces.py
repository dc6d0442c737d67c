"""`/workspaces` routes (reference §5.7, operations reference §5): list, create, get, update, delete.

Messages, status codes and shapes are the Go tool's (`pkg/admin/workspace_handlers.go`). A workspace's
mocks are served under its `basePath` (mockd/runtime/workspaces.py). Only `local` workspaces can be made, as
there; `git` and `cloud` answer 501. A workspace's folder (`path`) is `<data-dir>/workspaces/<id>` and is
created only with `--data-dir` (design D6: nothing is written outside it).
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from mockd.runtime.admin.http import (
    AdminError,
    AdminRequest,
    Response,
    decode_json,
    decode_model,
    empty_response,
    json_response,
)
from mockd.runtime.workspaces import (
    DEFAULT_ID,
    base_path_conflict,
    normalise_base_path,
    slugify,
    to_dto,
)

if TYPE_CHECKING:
    from mockd.runtime.admin.router import Handler, Router
    from mockd.runtime.world import Runtime


class WorkspaceInput(BaseModel):
    """The body of `POST`/`PUT /workspaces[/{id}]` (Go's input structs; None: not given)."""

    model_config = ConfigDict(extra="ignore")
    name: str | None = None
    type: str | None = None
    description: str | None = None
    basePath: str | None = None
    path: str | None = None
    url: str | None = None
    branch: str | None = None
    readOnly: bool | None = None
    autoSync: bool | None = None


def _not_found() -> AdminError:
    return AdminError(404, "not_found", "Workspace not found")


def _check_type(kind: str, *, creating: bool) -> None:
    if kind == "local":
        return
    if kind in ("git", "cloud"):
        raise AdminError(501, "not_supported", f'workspace type "{kind}" is not yet supported')
    if kind == "config" and creating:
        raise AdminError(400, "validation_error", "config workspaces are read-only and cannot be created")
    raise AdminError(400, "validation_error", f"invalid type: {kind}")


def _conflict(base: str, ws_id: str, peers: list[dict[str, Any]]) -> None:
    clash = base_path_conflict(base, ws_id, peers)
    if clash is not None:
        message = (f'BasePath "{base}" overlaps with workspace "{clash["existingName"]}" (basePath '
                   f'"{clash["existingBasePath"]}"): {clash["reason"]}')  # fmt: skip
        raise AdminError(409, "basepath_conflict", message, conflict=clash)


def _folder(rt: Runtime, ws_id: str) -> str:
    """`<data-dir>/workspaces/<id>`, created; "" without a data dir."""
    if rt.options.data_dir is None:
        return ""
    folder = Path(rt.options.data_dir) / "workspaces" / ws_id
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        raise AdminError(500, "filesystem_error", "Failed to create workspace directory") from None
    return str(folder)


async def list_workspaces(req: AdminRequest) -> Response:
    dtos = [to_dto(ws) for ws in req.rt.workspaces.all()]
    return json_response({"count": len(dtos), "workspaces": dtos})  # a Go map: keys sorted


async def get_workspace(req: AdminRequest) -> Response:
    ws = req.rt.workspaces.get(req.params["id"])
    if ws is None:
        raise _not_found()
    return json_response(to_dto(ws))


async def create_workspace(req: AdminRequest) -> Response:
    rt = req.rt
    body = decode_model(WorkspaceInput, decode_json(req.body))
    if not body.name:
        raise AdminError(400, "validation_error", "name is required")
    kind = body.type if body.type is not None else "local"
    _check_type(kind, creating=True)
    peers = rt.workspaces.all()
    for peer in peers:
        if peer["name"] == body.name:
            raise AdminError(409, "already_exists", f'Workspace with name "{body.name}" already exists',
                             details={"existingId": peer["id"]})  # fmt: skip
    ws_id = "ws_" + secrets.token_hex(8)
    given = body.basePath
    base = "/" + slugify(body.name) if given is None else normalise_base_path(given)
    _conflict(base, ws_id, peers)
    now = int(time.time())
    ws: dict[str, Any] = {
        "id": ws_id, "name": body.name, "type": kind, "description": body.description or "", "basePath": base,
        "path": body.path or _folder(rt, ws_id), "url": body.url or "", "branch": body.branch or "",
        "readOnly": bool(body.readOnly), "autoSync": bool(body.autoSync), "syncStatus": "local",
        "createdAt": now, "updatedAt": now,
    }  # fmt: skip
    if body.path and rt.options.data_dir is not None:
        os.makedirs(body.path, mode=0o700, exist_ok=True)
    rt.workspaces.put(ws)
    return json_response(to_dto(ws), 201)


async def update_workspace(req: AdminRequest) -> Response:
    rt = req.rt
    ws_id = req.params["id"]
    if ws_id == DEFAULT_ID:
        raise AdminError(400, "validation_error", "cannot modify the default workspace")
    old = rt.workspaces.get(ws_id)
    if old is None:
        raise _not_found()
    body = decode_model(WorkspaceInput, decode_json(req.body))
    ws = dict(old)
    if body.name is not None:
        ws["name"] = body.name
    if body.type is not None:
        _check_type(body.type, creating=False)
        ws["type"] = body.type
    if body.basePath is not None:
        base = normalise_base_path(body.basePath)
        if not base:
            raise AdminError(400, "validation_error", "basePath cannot be empty for non-default workspaces")
        _conflict(base, ws_id, rt.workspaces.all())
        ws["basePath"] = base
    for key in ("description", "path", "url", "branch", "readOnly", "autoSync"):
        value = getattr(body, key)
        if value is not None:
            ws[key] = value
    rt.workspaces.put(ws)
    return json_response(to_dto(ws))


async def delete_workspace(req: AdminRequest) -> Response:
    rt = req.rt
    ws_id = req.params["id"]
    if ws_id == DEFAULT_ID:
        raise AdminError(400, "validation_error", "cannot delete the default workspace")
    if rt.workspaces.get(ws_id) is None:
        raise _not_found()
    async with rt.store.editing() as edit:  # its mocks go first, as in the Go tool
        edit.remove_where(lambda m: m.compiled["mock"].get("workspaceId") == ws_id)
    rt.workspaces.remove(ws_id)
    return empty_response()


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/workspaces", list_workspaces),
    ("POST", "/workspaces", create_workspace),
    ("GET", "/workspaces/{id}", get_workspace),
    ("PUT", "/workspaces/{id}", update_workspace),
    ("DELETE", "/workspaces/{id}", delete_workspace),
]


def register(router: Router, rt: Runtime) -> None:
    """Mount `ROUTES` (handlers reach the runtime through `req.rt`, so each can be read and tested alone)."""
    for method, pattern, handler in ROUTES:
        router.add(method, pattern, handler)
