"""Stateful resources and custom operations over the admin API (reference §5.5): `/state…`, `/reset…`.

The Go tool answers these through its engine client, which shapes some replies twice; the models below
write what reaches the client:

- `/state` and `/state/resources` keep struct order (`name, itemCount, seedCount, idField, parentField?`),
  and `resources` is `null` when nothing is registered;
- `GET /state/resources/{name}` went through a generic map on the way, so its keys come out sorted;
- items are served as on the mock port (seed items verbatim, D2; API items in the Go shape), without the
  resource's response transforms, and the items list never has `has_more`;
- a legacy resource (one with `basePath`) also reports `basePath`, as v0.5 did; current ones never do;
- custom operations are listed by name (Go walks a map); registering a taken name replaces it, as in Go.

Every change is one synchronous call into the state store, so the mock port sees it on its next request.
Every route takes `?workspaceId=` (default: the default workspace ""), as in the Go tool: tables are keyed
by (workspace, name), so each workspace lists, resets and registers its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from mockd.compiler import MockValidationError, compile_operation, compile_resource
from mockd.gocompat.gojson import encode, go_numbers
from mockd.runtime.admin.http import AdminError, AdminRequest, Response, decode_json, invalid_json, reply
from mockd.runtime.admin.models import OMIT, GoModel
from mockd.runtime.state import ResourceExists, SeedError
from mockd.runtime.state.errors import CapacityExceeded, Conflict, NotFound
from mockd.runtime.state.operations import OperationFailed
from mockd.runtime.state.query import ListQuery, run
from mockd.runtime.state.serve import run_operation
from mockd.runtime.state.transform import sort_json

if TYPE_CHECKING:
    from mockd.runtime.admin.router import Handler, Router
    from mockd.runtime.state import Resource
    from mockd.runtime.world import Runtime


# ------------------------------------------------------------------------------------------------ models


class ResourceSummary(GoModel):
    """One resource in `/state` and `/state/resources` (Go struct `StatefulResource`)."""

    name: str
    basePath: Annotated[str, OMIT] = ""  # legacy resources only (v0.5 shape)
    itemCount: int
    seedCount: int
    idField: str
    parentField: Annotated[str, OMIT] = ""


class ResourceDetail(GoModel):
    """`GET /state/resources/{name}`: the summary after a round trip through a Go map (keys sorted)."""

    basePath: Annotated[str, OMIT] = ""
    idField: str
    itemCount: int
    name: str
    parentField: Annotated[str, OMIT] = ""
    seedCount: int


class StateOverview(GoModel):
    """`GET /state` (Go struct `StateOverview`)."""

    resources: list[ResourceSummary] | None
    total: int
    totalItems: int
    resourceList: list[str]


class StateReset(GoModel):
    """`POST /state/reset` (a Go map)."""

    status: str = "reset"


class ResourceReset(GoModel):
    """`POST /state/resources/{name}/reset` (a Go map: keys sorted)."""

    resource: str
    status: str = "reset"


class TablesReset(GoModel):
    """`POST /reset` (a Go map: keys sorted)."""

    status: str = "reset"
    tables: int


class TableReset(GoModel):
    """`POST /reset/{table}` (a Go map: keys sorted)."""

    status: str = "reset"
    table: str


class ResourceCreated(GoModel):
    """`POST /state/resources` (a Go map: keys sorted; v0.5 also sent `basePath`)."""

    basePath: Annotated[str, OMIT] = ""
    idField: str
    message: str = "Stateful resource created"
    name: str


class ResourceCleared(GoModel):
    """`DELETE /state/resources/{name}`."""

    cleared: bool = True


class ResourceUnregistered(GoModel):
    """`POST /state/resources/{name}/unregister` (a Go map: keys sorted)."""

    deleted: bool = True
    message: str = "Stateful resource deleted"
    resource: str


class ItemsMeta(GoModel):
    """The admin items list's meta (Go `types.PaginationMeta`: no `has_more`)."""

    total: int
    limit: int
    offset: int
    count: int


class ItemsPage(GoModel):
    """`GET /state/resources/{name}/items` (Go struct `StatefulItemsResponse`)."""

    data: list[dict[str, Any]]
    meta: ItemsMeta


class OperationSummary(GoModel):
    """One entry of `GET /state/operations` (Go struct `CustomOperationInfo`)."""

    name: str
    stepCount: int
    consistency: Annotated[str, OMIT] = ""


class OperationList(GoModel):
    """`GET /state/operations` (a Go map: keys sorted)."""

    count: int
    operations: list[OperationSummary]


class OperationDetail(GoModel):
    """`GET /state/operations/{name}` (Go struct `CustomOperationDetail`). Its steps carry only `type,
    resource, id, as, set, var, value`: Go's detail type has no filter/condition/error fields."""

    name: str
    consistency: Annotated[str, OMIT] = ""
    steps: list[dict[str, Any]]
    response: Annotated[dict[str, str] | None, OMIT] = None


class OperationRegistered(GoModel):
    """`POST /state/operations` (a Go map: keys sorted)."""

    message: str = "Custom operation registered"
    name: str


class OperationDeleted(GoModel):
    """`DELETE /state/operations/{name}` (a Go map: keys sorted)."""

    message: str = "Custom operation deleted"
    name: str


_STEP_KEYS = ("type", "resource", "id", "as", "set", "var", "value")


def operation_detail(name: str, config: dict[str, Any], consistency: str) -> OperationDetail:
    steps = []
    for step in config.get("steps") or ():
        shown = {k: sort_json(step[k]) for k in _STEP_KEYS if k != "type" and step.get(k)}
        steps.append({"type": step.get("type") or "", **shown})
    response = config.get("response") or None
    return OperationDetail(
        name=name, consistency=consistency, steps=steps, response=sort_json(response) if response else None
    )


def operation_not_found(name: str) -> AdminError:
    return AdminError(404, "not_found", f"Custom operation not found: {name}")


def summary(resource: Resource) -> ResourceSummary:
    return ResourceSummary(
        name=resource.name,
        basePath=resource.base_path or "",
        itemCount=len(resource.items),
        seedCount=len(resource.seed),
        idField=resource.id_field,
        parentField=resource.parent_field,
    )


def resource_not_found() -> AdminError:
    return AdminError(404, "not_found", "Resource not found")


def item_response(view: dict[str, Any], status: int = 200) -> Response:
    # An item's key order is already the one to write (verbatim seed, or sorted like a Go map).
    return Response(status, encode(view), [("content-type", "application/json")])


# ------------------------------------------------------------------------------------------------ routes


def need(req: AdminRequest, name: str) -> Resource:
    """The named resource of the request's `?workspaceId=`, or the admin API's 404."""
    resource = req.rt.state.get(name, req.arg("workspaceId"))
    if resource is None:
        raise resource_not_found()
    return resource


async def overview(req: AdminRequest) -> Response:
    tables = req.rt.state.in_workspace(req.arg("workspaceId"))
    names = [r.name for r in tables]
    resources = [summary(r) for r in tables]
    return reply(
        StateOverview(
            resources=resources or None,
            total=len(names),
            totalItems=sum(r.itemCount for r in resources),
            resourceList=names,
        )
    )


async def reset_state(req: AdminRequest) -> Response:
    state = req.rt.state
    name = req.arg("resource")
    try:
        state.reset(name or None, req.arg("workspaceId"))
    except NotFound:
        raise resource_not_found() from None
    return reply(StateReset())


async def reset_tables(req: AdminRequest) -> Response:
    state = req.rt.state
    return reply(TablesReset(tables=len(state.reset(None, req.arg("workspaceId")))))


async def reset_table(req: AdminRequest) -> Response:
    state = req.rt.state
    table = req.params["table"]
    try:
        state.reset(table, req.arg("workspaceId"))
    except NotFound:
        raise AdminError(404, "not_found", f"Table not found: {table}") from None
    return reply(TableReset(table=table))


async def list_resources(req: AdminRequest) -> Response:
    resources = [summary(r) for r in req.rt.state.in_workspace(req.arg("workspaceId"))]
    body = b"null\n" if not resources else encode([r.model_dump() for r in resources])
    return Response(200, body, [("content-type", "application/json")])


async def create_resource(req: AdminRequest) -> Response:
    state = req.rt.state
    if decode_json(req.body) is None:  # JSON null: Go decodes the zero config, which has no name
        raise AdminError(400, "validation_error", "resource name is required")
    try:
        spec = compile_resource(req.body)
    except MockValidationError as exc:
        if exc.slug == "registration_failed":
            raise AdminError(400, "registration_failed", "Operation failed") from None
        raise AdminError(400, exc.slug, exc.message) from None
    workspace = req.arg("workspaceId")
    if workspace:
        spec["workspace"] = workspace
    try:
        resource = state.register(spec)
    except ResourceExists:
        raise AdminError(409, "conflict", f"resource already exists: {spec['name']}") from None
    except SeedError:
        raise AdminError(400, "registration_failed", "Operation failed") from None
    created = ResourceCreated(
        basePath=resource.base_path or "", idField=resource.id_field, name=resource.name
    )
    return reply(created, 201)


async def get_resource(req: AdminRequest) -> Response:
    return reply(ResourceDetail(**summary(need(req, req.params["name"])).model_dump()))


async def clear_resource(req: AdminRequest) -> Response:
    need(req, req.params["name"]).clear()
    return reply(ResourceCleared())


async def reset_resource(req: AdminRequest) -> Response:
    name = req.params["name"]
    need(req, name).reset()
    return reply(ResourceReset(resource=name))


async def unregister_resource(req: AdminRequest) -> Response:
    state = req.rt.state
    name = req.params["name"]
    if not state.unregister(name, req.arg("workspaceId")):
        raise resource_not_found()
    return reply(ResourceUnregistered(resource=name))


async def list_items(req: AdminRequest) -> Response:
    resource = need(req, req.params["name"])
    q = ListQuery.parse({k: v[0] for k, v in req.query.items()}, reserved=None)
    page = run(resource, q)
    meta = ItemsMeta(total=page.total, limit=q.limit, offset=q.offset, count=len(page.items))
    return reply(ItemsPage(data=[it.view for it in page.items], meta=meta))


async def get_item(req: AdminRequest) -> Response:
    resource = req.rt.state.get(req.params["name"], req.arg("workspaceId"))
    item = resource.items.get(req.params["id"]) if resource is not None else None
    if item is None:
        raise AdminError(404, "not_found", "Item not found")
    return item_response(item.view)


async def create_item(req: AdminRequest) -> Response:
    data = decode_json(req.body)
    if data is not None and not isinstance(data, dict):
        raise invalid_json()
    resource = need(req, req.params["name"])
    try:
        item = resource.create(go_numbers(data), None)  # no validation, no parent field: as Go
    except Conflict:
        raise AdminError(409, "conflict", "Item already exists") from None
    except CapacityExceeded:
        raise AdminError(507, "capacity_exceeded", "Resource capacity exceeded") from None
    return item_response(item.view, 201)


# -- custom operations (reference §4.8) ------------------------------------------------------------


async def list_operations(req: AdminRequest) -> Response:
    state = req.rt.state
    names = sorted({c.get("name") or "" for c in state.custom_operations})  # Go: map order
    ops = [(n, state.operation(n)) for n in names]
    summaries = [
        OperationSummary(name=n, stepCount=len(op.steps), consistency=op.consistency)
        for n, op in ops
        if op is not None
    ]
    return reply(OperationList(count=len(summaries), operations=summaries))


async def get_operation(req: AdminRequest) -> Response:
    state = req.rt.state
    name = req.params["name"]
    op = state.operation(name)
    config = next((c for c in reversed(state.custom_operations) if c.get("name") == name), None)
    if op is None or config is None:
        raise operation_not_found(name)
    return reply(operation_detail(name, config, op.consistency))


async def register_operation(req: AdminRequest) -> Response:
    state = req.rt.state
    try:
        config = compile_operation(req.body)
        state.register_operation(config)
    except MockValidationError as exc:
        if exc.slug == "invalid_json":
            raise invalid_json() from None
        if exc.slug == "registration_failed":
            raise AdminError(400, "registration_failed", "Operation failed") from None
        raise AdminError(400, exc.slug, exc.message) from None
    except ValueError:
        raise AdminError(400, "registration_failed", "Operation failed") from None
    return reply(OperationRegistered(name=config["name"]), 201)


async def delete_operation(req: AdminRequest) -> Response:
    state = req.rt.state
    name = req.params["name"]
    if not state.unregister_operation(name):
        raise operation_not_found(name)
    return reply(OperationDeleted(name=name))


async def execute_operation(req: AdminRequest) -> Response:
    """The body is the input; one that does not decode to an object runs with `{}` (as Go). A missing
    table or item answers the same 404 as a missing operation; any other failure 400
    `execution_failed` (the Go admin hides the engine's message)."""
    state = req.rt.state
    name = req.params["name"]
    try:
        data = decode_json(req.body)
    except AdminError:
        data = None
    try:
        tables = state.view(req.arg("workspaceId"))
        result = run_operation(tables, name, go_numbers(data) if isinstance(data, dict) else {})
    except OperationFailed as exc:
        if exc.code == "NOT_FOUND":
            raise operation_not_found(name) from None
        raise AdminError(400, "execution_failed", "Operation failed") from None
    return item_response(result)


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/state", overview),
    ("POST", "/state/reset", reset_state),
    ("POST", "/reset", reset_tables),
    ("POST", "/reset/{table}", reset_table),
    ("GET", "/state/resources", list_resources),
    ("POST", "/state/resources", create_resource),
    ("GET", "/state/resources/{name}", get_resource),
    ("DELETE", "/state/resources/{name}", clear_resource),
    ("POST", "/state/resources/{name}/reset", reset_resource),
    ("POST", "/state/resources/{name}/unregister", unregister_resource),
    ("GET", "/state/resources/{name}/items", list_items),
    ("GET", "/state/resources/{name}/items/{id}", get_item),
    ("POST", "/state/resources/{name}/items", create_item),
    ("GET", "/state/operations", list_operations),
    ("GET", "/state/operations/{name}", get_operation),
    ("POST", "/state/operations", register_operation),
    ("DELETE", "/state/operations/{name}", delete_operation),
    ("POST", "/state/operations/{name}/execute", execute_operation),
]


def register(router: Router, rt: Runtime) -> None:
    """Mount `ROUTES` (handlers reach the runtime through `req.rt`, so each can be read and tested alone)."""
    for method, pattern, handler in ROUTES:
        router.add(method, pattern, handler)
