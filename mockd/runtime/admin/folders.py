"""`/folders` routes (operations reference §5): list, create, get, update, delete.

Shapes, messages and status codes are the Go tool's (`pkg/admin/folders.go`). The Go tool answers 501 when
it has no persistent store, which it always has; here folders live in memory and are kept with
`--data-dir`, like mocks.
"""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict

from mockd.gocompat.timefmt import rfc3339_nano_local
from mockd.runtime.admin.http import (
    AdminError,
    AdminRequest,
    Response,
    decode_json,
    decode_model,
    empty_response,
    json_response,
    reply,
)
from mockd.runtime.admin.models import OMIT, GoModel

if TYPE_CHECKING:
    from mockd.runtime.admin.router import Handler, Router
    from mockd.runtime.world import Runtime


class CreateFolder(BaseModel):
    """`POST /folders` (Go's `CreateFolderRequest`)."""

    model_config = ConfigDict(extra="ignore")
    name: str = ""
    parentId: str = ""
    metaSortKey: float = 0
    description: str = ""
    workspaceId: str = ""


class UpdateFolder(BaseModel):
    """`PUT /folders/{id}` (Go's `UpdateFolderRequest`): None means not given."""

    model_config = ConfigDict(extra="ignore")
    name: str | None = None
    parentId: str | None = None
    metaSortKey: float | None = None
    description: str | None = None


class FolderReply(GoModel):
    """Go's `config.Folder`: the embedded workspace and ordering fields first, then its own."""

    workspaceId: Annotated[str, OMIT] = ""
    parentId: Annotated[str, OMIT] = ""
    metaSortKey: Annotated[float, OMIT] = 0
    id: str
    name: str
    description: Annotated[str, OMIT] = ""
    createdAt: str
    updatedAt: str

    @classmethod
    def of(cls, folder: dict[str, Any]) -> FolderReply:
        return cls(
            workspaceId=folder.get("workspaceId", ""), parentId=folder.get("parentId", ""),
            metaSortKey=folder.get("metaSortKey", 0), id=folder["id"], name=folder["name"],
            description=folder.get("description", ""), createdAt=rfc3339_nano_local(folder["createdAt"]),
            updatedAt=rfc3339_nano_local(folder["updatedAt"]),
        )  # fmt: skip


def _not_found() -> AdminError:
    return AdminError(404, "not_found", "folder not found")


def _invalid_parent(message: str) -> AdminError:
    return AdminError(400, "invalid_parent", message)


def _parent_in(rt: Runtime, parent_id: str, workspace_id: str) -> None:
    parent = rt.folders.get(parent_id)
    if parent is None:
        raise _invalid_parent("parent folder not found")
    if parent.get("workspaceId", "") != workspace_id:
        raise _invalid_parent("parent folder must be in the same workspace")


async def list_folders(req: AdminRequest) -> Response:
    folders = req.rt.folders.all(req.arg("workspaceId") or None)
    return json_response([FolderReply.of(f).model_dump() for f in folders])


async def get_folder(req: AdminRequest) -> Response:
    folder = req.rt.folders.get(req.params["id"])
    if folder is None:
        raise _not_found()
    return reply(FolderReply.of(folder))


async def create_folder(req: AdminRequest) -> Response:
    rt = req.rt
    body = decode_model(CreateFolder, decode_json(req.body))
    if not body.name:
        raise AdminError(400, "missing_name", "folder name is required")
    workspace_id = body.workspaceId or req.arg("workspaceId")
    if body.parentId:
        _parent_in(rt, body.parentId, workspace_id)
    now = time.time()
    folder = {
        "id": "fld_" + secrets.token_hex(8), "name": body.name, "description": body.description,
        "workspaceId": workspace_id, "parentId": body.parentId,
        "metaSortKey": body.metaSortKey or -float(int(now * 1000)), "createdAt": now, "updatedAt": now,
    }  # fmt: skip
    rt.folders.put(folder)
    return reply(FolderReply.of(folder), 201)


async def update_folder(req: AdminRequest) -> Response:
    rt = req.rt
    folder_id = req.params["id"]
    old = rt.folders.get(folder_id)
    if old is None:
        raise _not_found()
    body = decode_model(UpdateFolder, decode_json(req.body))
    if body.parentId:
        if body.parentId == folder_id:
            raise _invalid_parent("folder cannot be its own parent")
        if rt.folders.is_descendant(body.parentId, folder_id):
            raise _invalid_parent("cannot move folder to its own descendant")
        _parent_in(rt, body.parentId, old.get("workspaceId", ""))
    folder = dict(old)
    for key in ("name", "parentId", "metaSortKey", "description"):
        value = getattr(body, key)
        if value is not None:
            folder[key] = value
    folder["updatedAt"] = time.time()
    rt.folders.put(folder)
    return reply(FolderReply.of(folder))


async def delete_folder(req: AdminRequest) -> Response:
    rt = req.rt
    folder_id = req.params["id"]
    if rt.folders.get(folder_id) is None:
        raise _not_found()
    rt.folders.remove(folder_id, time.time())
    return empty_response()


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/folders", list_folders),
    ("POST", "/folders", create_folder),
    ("GET", "/folders/{id}", get_folder),
    ("PUT", "/folders/{id}", update_folder),
    ("DELETE", "/folders/{id}", delete_folder),
]


def register(router: Router, rt: Runtime) -> None:
    """Mount `ROUTES` (handlers reach the runtime through `req.rt`)."""
    for method, pattern, handler in ROUTES:
        router.add(method, pattern, handler)
