"""Helpers shared by the admin routes that create or change mocks: compiling request bodies with the Go tool's
answers, and editing the compiled mock dict without disturbing Go's field order.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from mockd.bodyfile import resolve, within
from mockd.compiler import MockValidationError, compile_mock, generate_id
from mockd.gocompat.quote import go_quote
from mockd.runtime.admin.http import AdminError, invalid_json

if TYPE_CHECKING:
    from mockd.plan.model import CompiledMock

T = TypeVar("T")
# Decoding and compiling cost roughly 0.1-0.3 ms per mock (about 200 bytes of JSON each): a body past this
# size is handled in a worker thread, where the interpreter's switch interval lets the event loop (and so
# the mock port) run every few milliseconds instead of waiting for the whole batch.
BIG_BODY = 16 * 1024

# issue 12: Granian hands us the path with `%2F` already decoded, so `/mocks/a%2Fb` is `/mocks/a/b` and no
# route can name a mock whose id holds a `/` (the Go tool routes on the escaped path and can). Refused at
# create time, with Go's validation shape, rather than stored and left deletable only by `DELETE /mocks`.
UNADDRESSABLE_ID = (
    "validation error on id: must not contain '/' (the admin API addresses mocks as /mocks/{id})"
)
PROTOCOLS = ("http", "websocket", "graphql", "grpc", "soap", "mqtt", "oauth")
# Go's `mock.Mock` field order; a key added or changed here keeps its place in replies.
MOCK_KEY_ORDER = (
    "id", "type", "name", "operationId", "description", "enabled", "parentId", "folderId", "metaSortKey",
    "workspaceId", "syncVersion", "createdAt", "updatedAt", *PROTOCOLS,
)  # fmt: skip
_RANK = {key: i for i, key in enumerate(MOCK_KEY_ORDER)}


def compile_body(
    data: bytes | str | dict[str, Any], *, require_type: bool, body_root: str, mock_id: str | None = None
) -> CompiledMock:
    """One mock from a request body (raw bytes keep a JSON `body`'s source text), or the 400 reply.

    `mock_id` forces the id (PUT: the path wins over the body). A JSON `null` body is the zero mock, as
    Go's decoder leaves it (so POST answers `missing_type`). `body_root` is the folder a `bodyFile` must
    lie in (`Runtime.admin_body_root`, see mockd/bodyfile.py).
    """
    if isinstance(data, bytes | str) and data.strip() in (b"null", "null"):
        data = {}
    try:
        compiled = compile_mock(data, id_style="admin", require_type=require_type)
    except MockValidationError as exc:
        raise validation_failure(exc) from None
    if mock_id is not None:
        force_id(compiled, mock_id)
    elif "/" in compiled["mock"]["id"]:
        raise AdminError(400, "validation_error", UNADDRESSABLE_ID)
    _check_body_file(compiled, body_root)
    return compiled


def _check_body_file(compiled: CompiledMock, root: str) -> None:
    """issue 12: an admin caller may only serve files under the body-file root, and only regular ones (a
    file that does not exist yet is allowed, as in the Go tool: it answers 502 until it does)."""
    action = compiled["action"]
    if action["kind"] != "response" or action["response"]["body"] or not action["response"]["bodyFile"]:
        return
    name = action["response"]["bodyFile"]
    path = resolve(name, root)
    if not within(path, root):
        problem = f"{name} is outside the body-file root {root} (set --body-file-root to serve it)"
    elif os.path.exists(path) and not os.path.isfile(path):
        problem = f"{name} is not a regular file"
    else:
        return
    raise AdminError(400, "validation_error", f"validation error on response.bodyFile: {problem}")


async def off_loop(big: bool, func: Callable[..., T], *args: Any) -> T:
    """`func(*args)`, in a worker thread when the work is `big` (bulk create, config import). `func` must
    only read shared state: the journal and the store are changed on the loop thread alone."""
    if not big:
        return func(*args)
    return await asyncio.to_thread(func, *args)


def validation_failure(exc: MockValidationError, prefix: str = "") -> AdminError:
    """The Go answer for a rejected mock: `invalid_json` (the decoder failed), `missing_type`, or
    `validation_error` with `validation error on <field>: <message>` (after `prefix`, for list imports)."""
    if exc.slug == "invalid_json":
        return invalid_json()
    return AdminError(400, exc.slug, prefix + exc.go_message())


def indexed_prefix(index: int, value: Any) -> str:
    """`mock at index N (id="x"): ` as the Go tool's config import words it. Like Go, an id-less mock gets
    a freshly generated id in the message (it would have been given one before validation)."""
    mock_id = ""
    mock_type = ""
    if isinstance(value, dict):
        for key, item in value.items():
            folded = key.casefold()
            if folded == "id" and isinstance(item, str):
                mock_id = item
            elif folded == "type" and isinstance(item, str):
                mock_type = item
            elif folded == "matcher" and not mock_type:
                mock_type = "http"  # the legacy shape decodes as an HTTP mock
    if not mock_id:
        mock_id = generate_id(mock_type, "admin")
    return f"mock at index {index} (id={go_quote(mock_id)}): "


def force_id(compiled: CompiledMock, mock_id: str) -> None:
    compiled["mock"]["id"] = mock_id  # an existing key: its place (first) is kept
    if compiled["route"] is not None:
        compiled["route"]["id"] = mock_id


def with_fields(compiled: CompiledMock, **values: Any) -> CompiledMock:
    """A copy of `compiled` whose mock dict has `values` set in Go's field order (None removes a key)."""
    mock = {**compiled["mock"], **values}
    for key in [k for k, v in values.items() if v is None]:
        del mock[key]
    ordered = dict(sorted(mock.items(), key=lambda kv: _RANK.get(kv[0], len(_RANK))))
    out: CompiledMock = {**compiled, "mock": ordered}  # type: ignore[typeddict-item]
    if "enabled" in values:
        out["enabled"] = values["enabled"] is not False
    return out


def mock_type(compiled: CompiledMock) -> str:
    return compiled["mock"].get("type", "")
