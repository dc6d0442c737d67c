"""Stateful requests on the mock port: bound mocks (current generation) and legacy `basePath` routes.

Both kinds are route targets in the one matcher (design D3), so they are reached only when their route wins.

- `BindingTarget` serves a mock with `statefulBinding {table, action}` (reference §4.2): the action decides
  what happens, whatever the HTTP method; the item id is the value of the last `{param}` of the mock's path.
  It counts and logs under the mock's id.
- `OperationTarget` serves a mock with `statefulOperation` (reference §4.3), and a binding with action
  `custom` runs the named operation too (both through `run_operation`, reference §4.8);
- `ResourceTarget` serves the two routes of a legacy resource (reference §4.6): the method decides. Its
  requests log as `stateful:<name>` and are never counted, so verification does not see them.

Each request is handled by one synchronous call (`handle`) that reads and writes the table with no `await`
in between, so concurrent requests, resets and admin calls never interleave inside an operation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockd.gocompat import gojson
from mockd.runtime.state import body as bodies
from mockd.runtime.state.errors import BodyError, StateError, ValidationFailed, error_body
from mockd.runtime.state.operations import OperationFailed
from mockd.runtime.state.query import LEGACY_RESERVED, RESERVED, ListQuery, parse_expand, run
from mockd.runtime.state.tables import StoreUnavailable
from mockd.runtime.state.transform import IDENTITY, Transform
from mockd.runtime.targets import JSON_HEADERS, RequestView, Target
from mockd.validation import problem

if TYPE_CHECKING:
    from mockd.runtime.journal import Counter
    from mockd.runtime.state.resource import Item, Resource
    from mockd.runtime.state.tables import Tables
    from mockd.validation import FieldError

Reply = tuple[int, Any]  # status and JSON value (None: no body; a `Problem`: problem+json)
PROBLEM_HEADERS = [("content-type", "application/problem+json")]
_NO_BODY_STATUSES = (204, 304)
_READS = ("GET", "HEAD")  # methods that only read a table (--shared-state takes no lock for them)


class Problem:
    """A legacy resource's validation rejection, written as `application/problem+json` (reference §4.6)."""

    __slots__ = ("errors",)

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors


def write(proto: Any, status: int, value: Any) -> int:
    """Go's `json.NewEncoder(w).Encode`: HTML-safe JSON plus a newline; `Content-Type` on every reply."""
    if type(value) is Problem:
        proto.response_bytes(status, PROBLEM_HEADERS, gojson.encode(problem(value.errors, status)))
        return status
    if value is None or status in _NO_BODY_STATUSES:
        proto.response_empty(status, JSON_HEADERS)
    else:
        proto.response_bytes(status, JSON_HEADERS, gojson.encode(value))
    return status


def last_param(path: str) -> str:
    """Name of the last `{param}` in a mock path, whole segment or partial (`{sid}.json`): Go's
    `extractLastPathParam`, decided once per mock instead of per request."""
    for segment in reversed(path.split("/")):
        start, end = segment.find("{"), segment.find("}")
        if 0 <= start < end:
            return segment[start + 1 : end]
    return ""


def parse_query(query: str) -> dict[str, list[str]]:
    values, _ = bodies.parse_form(query)
    return values


def item_reply(item: Item, cfg: Transform) -> dict[str, Any]:
    return cfg.item(item.view, seeded=item.seeded)


class StateTarget(Target):
    """Common part: the store, and writing a `handle` result."""

    __slots__ = ("state",)

    def __init__(self, state: Tables, log_id: str, counter: Counter | None) -> None:
        super().__init__(log_id, counter)
        self.state = state

    async def respond(self, req: RequestView, proto: Any) -> int:
        durable = self.state.durable
        if durable is None:
            status, value = self.handle(req)
            return write(proto, status, value)
        guard = durable.guard
        if guard is not None:  # --shared-state: in step with the store (mockd/runtime/shared/tables.py)
            try:
                status, value = await guard(lambda: self.handle(req), write=req.method not in _READS)
            except StoreUnavailable as exc:
                return write(proto, 503, {"error": "shared_state_unavailable", "message": str(exc)})
            return write(proto, status, value)
        before = durable.changes
        status, value = self.handle(req)
        if durable.changes != before:
            # `--data-dir`: what this request changed is on disk before the client hears of it (group
            # commit: requests arriving during a commit share the next one; the loop never blocks).
            try:
                await durable.flush()
            except Exception as exc:
                return write(proto, 500, error_body(500, f"failed to save to the data dir: {exc}", ""))
        return write(proto, status, value)

    def handle(self, req: RequestView) -> Reply:
        raise NotImplementedError

    def list_reply(self, resource: Resource, req: RequestView, cfg: Transform, *, legacy: bool) -> Reply:
        multi = parse_query(req.query)
        args = {k: v[0] for k, v in multi.items()}
        q = ListQuery.parse(args, reserved=LEGACY_RESERVED if legacy else RESERVED, cursors=not legacy)
        captures = req.captures or {}
        if resource.parent_field and resource.parent_field in captures:
            q.parent = (resource.parent_field, captures[resource.parent_field])
        page = run(resource, q)
        views = [it.view for it in page.items]
        if not legacy:
            fields = parse_expand(multi.get("expand[]") or multi.get("expand") or ())
            if fields:
                views = [self.state.expand(resource, v, fields) for v in views]
        if cfg.changes_items:
            views = [cfg.item(v, seeded=it.seeded) for v, it in zip(views, page.items, strict=True)]
        return 200, cfg.list_body(views, page.meta(q, legacy=legacy), page.has_more)


class BindingTarget(StateTarget):
    """A mock bound to a table action. The response transform is the binding's, else the table's."""

    __slots__ = ("action", "id_param", "operation", "override", "table")

    def __init__(
        self, state: Tables, mock_id: str, counter: Counter | None, table: str, action: str,
        id_param: str, override: Transform | None, operation: str = "",
    ) -> None:  # fmt: skip
        super().__init__(state, mock_id, counter)
        self.table = table
        self.action = action
        self.id_param = id_param
        self.override = override
        self.operation = operation  # action `custom` only

    def handle(self, req: RequestView) -> Reply:
        table, action = self.table, self.action
        resource = self.state.get(table)
        cfg = self.override or (resource.transform if resource is not None else IDENTITY)
        if action == "custom":
            return self.custom(req, cfg)
        item_id = ""
        if action not in ("list", "create"):
            item_id = (req.captures or {}).get(self.id_param, "") if self.id_param else ""
            if not item_id:
                return 400, error_body(400, f"item ID required for {action}", table)
        try:
            if action == "list":
                if resource is None:
                    return 404, error_body(404, "table not found", table)
                return self.list_reply(resource, req, cfg, legacy=False)
            if action == "get":
                res = self.state.need(table)
                view = item_reply(res.get(item_id), cfg)
                fields = parse_expand(_expand_values(req.query))
                return 200, self.state.expand(res, view, fields) if fields else view
            if action == "create":
                data = self._body(req)
                res = self.state.need(table)
                if res.rejection("create", data, req.captures):  # before capacity and conflicts, as Go
                    raise ValidationFailed(table)
                item = res.create(data, req.captures)
                return cfg.create_status, item_reply(item, cfg)
            if action in ("update", "patch"):
                data = self._body(req)
                res = self.state.need(table)
                if res.rejection("update", data, req.captures):  # before the item lookup, as Go
                    raise ValidationFailed(table, item_id)
                item = res.update(item_id, data) if action == "update" else res.patch(item_id, data)
                return 200, item_reply(item, cfg)
            if action == "delete":
                res = self.state.need(table)
                preserve = cfg.preserve_on_delete
                item = res.get(item_id) if preserve else res.delete(item_id)
                return cfg.delete_reply(item.go_view)
            return 400, error_body(400, f"unsupported action: {action}", table)
        except BodyError as exc:
            return exc.status, error_body(exc.status, exc.message, table, item_id, exc.hint)
        except StateError as exc:
            shaped = cfg.error_body(exc.code, exc.message, table, item_id)
            return exc.status, shaped if shaped is not None else error_body(
                exc.status, exc.message, table, item_id
            )

    @staticmethod
    def _body(req: RequestView) -> dict[str, Any] | None:
        bodies.check_size(req.body)
        return bodies.parse_current(req.body, req.headers.get("content-type"))

    def custom(self, req: RequestView, cfg: Transform) -> Reply:
        """Action `custom` (reference §4.2): body (JSON or form, may be empty) plus path params as
        `input`; the result object through the item transform. Go checks no 1 MiB limit here."""
        table = self.table
        if not self.operation:
            message = "extend binding with action: custom requires an operation name"
            return 400, error_body(400, message, table)
        data: dict[str, Any] = {}
        if req.body:
            try:
                data = bodies.parse_current(req.body, req.headers.get("content-type")) or {}
            except BodyError as exc:
                return 400, error_body(400, "invalid request body: " + exc.message, table)
        data.update(req.captures or {})
        try:
            result = run_operation(self.state, self.operation, data)
        except OperationFailed as exc:
            shaped = cfg.error_body(exc.code, exc.message, table, "")
            return exc.status, shaped if shaped is not None else error_body(exc.status, exc.message, table)
        return 200, cfg.item(result, seeded=False)


def run_operation(state: Tables, name: str, data: dict[str, Any]) -> dict[str, Any]:
    """Run a registered operation; an unknown name fails as Go's does (404, `custom operation: <name>`)."""
    op = state.operation(name)
    if op is None:
        raise OperationFailed("NOT_FOUND", f'resource "custom operation: {name}" not found')
    return op.execute(state, data)


class OperationTarget(StateTarget):
    """A mock with `http.statefulOperation: <name>` (reference §4.3): the JSON body (may be empty) is the
    operation's `input`, the result object answers 200. Errors name the operation as `resource`."""

    __slots__ = ("operation",)

    def __init__(self, state: Tables, mock_id: str, counter: Counter | None, operation: str) -> None:
        super().__init__(state, mock_id, counter)
        self.operation = operation

    def handle(self, req: RequestView) -> Reply:
        name = self.operation
        try:
            bodies.check_size(req.body)
        except BodyError as exc:
            return exc.status, error_body(exc.status, exc.message, name, "", exc.hint)
        data: dict[str, Any] = {}
        if req.body:
            try:
                data = bodies.parse_json_object(req.body, "invalid JSON body: ") or {}
            except BodyError as exc:
                return 400, error_body(400, exc.message, "")  # Go leaves `resource` out of this one
        try:
            return 200, run_operation(self.state, name, data)
        except OperationFailed as exc:
            status = exc.status if exc.code in ("NOT_FOUND", "CONFLICT", "VALIDATION_ERROR") else 500
            return status, error_body(status, exc.message, name)


def _expand_values(query: str) -> list[str]:
    if "expand" not in query:
        return []
    multi = parse_query(query)
    return multi.get("expand[]") or multi.get("expand") or []


class ResourceTarget(StateTarget):
    """A legacy `basePath` route (collection or item). Messages are the v0.5 ones."""

    __slots__ = ("id_param", "name")

    def __init__(self, state: Tables, name: str, id_param: str) -> None:
        super().__init__(state, f"stateful:{name}", None)
        self.name = name
        self.id_param = id_param  # "" on the collection route

    async def respond(self, req: RequestView, proto: Any) -> int:
        cors = self.state.cors
        if req.method == "OPTIONS" and cors is not None:
            # v0.5 checked resources inside the handler, after the CORS middleware had answered preflights;
            # these routes take every method, so the preflight is answered here instead of a 405.
            status, headers = cors.preflight(req.headers.get("origin"))
            proto.response_empty(status, headers)
            return status
        return await super().respond(req, proto)

    def handle(self, req: RequestView) -> Reply:
        name = self.name
        captures = req.captures or {}
        item_id = captures.get(self.id_param, "") if self.id_param else ""
        resource = self.state.get(name)
        if resource is None:  # unregistered while this request was in flight
            return 404, error_body(404, "resource not found", name, item_id)
        cfg = resource.transform
        method = req.method
        if method == "POST":
            item_id = ""  # a create ignores the path id, also in its error bodies
        params = {k: v for k, v in captures.items() if k != self.id_param}  # the basePath's `:params`
        if params:
            # v0.5 checked path params first, whatever the method (strict: 400 problem+json)
            errors = resource.rejection("path", None, params)
            if errors:
                return 400, Problem(errors)
        try:
            if method == "GET":
                if item_id:
                    return 200, item_reply(resource.get(item_id), cfg)
                return self.list_reply(resource, req, cfg, legacy=True)
            if method == "POST":
                bodies.check_size(req.body)
                data = bodies.parse_legacy(req.body)
                errors = resource.rejection("create", data, params)
                if errors:
                    return 400, Problem(errors)
                item = resource.create(data, params)
                return cfg.create_status, item_reply(item, cfg)
            if method not in ("PUT", "PATCH", "DELETE"):
                return 405, error_body(405, "method not allowed", name)
            if not item_id:
                return 400, error_body(400, f"ID required for {method}", name)
            if method == "DELETE":
                preserve = cfg.preserve_on_delete
                item = resource.get(item_id) if preserve else resource.delete(item_id)
                return cfg.delete_reply(item.go_view)
            bodies.check_size(req.body)
            data = bodies.parse_legacy(req.body)
            errors = resource.rejection("update", data, params)
            if errors:
                return 400, Problem(errors)
            item = resource.update(item_id, data) if method == "PUT" else resource.patch(item_id, data)
            return 200, item_reply(item, cfg)
        except BodyError as exc:
            return exc.status, error_body(exc.status, exc.message, name, item_id, exc.hint)
        except StateError as exc:
            shaped = cfg.error_body(exc.code, exc.legacy, name, exc.item_id)
            return exc.status, shaped if shaped is not None else error_body(
                exc.status, exc.legacy, name, exc.item_id, exc.legacy_hint
            )
