"""StateStore: the registered resources, their routes and targets; what the runtime and admin API call.

Used by `mockd.runtime.world.Runtime`:

- `load(resources, custom_operations)` installs the plan's resources before the mocks are loaded;
- `target_for(compiled_mock, counter)` answers mocks whose action is a table binding or an operation;
- `operation(name)` finds a custom operation (reference §4.8) to run;
- `resource_routes()` lists the legacy `basePath` routes the mock store adds to every matcher it builds.

and by the admin API (`/state…`, `/reset…`, `POST /config`): `get`, `register`, `unregister`, `reset`,
and for `/state/operations…`: `operation`, `register_operation`, `unregister_operation`.

Tables are keyed by (workspace, name), as in the Go tool (`resource.table_key`): a resource defined with
`workspace` (or registered with `?workspaceId=`) is another table than the default workspace's of that name.
A mock's binding resolves its table in the mock's own workspace: its target holds a `WorkspaceTables` view
(the store itself for the default workspace, so the common case costs nothing).

Registering or unregistering a legacy resource at runtime rebuilds the route table at once, so its routes
appear or disappear for the very next request. Everything runs on the event-loop thread (no locks).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mockd.plan.resources import legacy_routes
from mockd.runtime.state.errors import NotFound
from mockd.runtime.state.operations import Operation
from mockd.runtime.state.resource import Resource, SeedError, table_key
from mockd.runtime.state.serve import BindingTarget, OperationTarget, ResourceTarget, last_param
from mockd.runtime.state.transform import Transform
from mockd.runtime.targets import Target, UnavailableTarget
from mockd.templates.gofmt import format_value

if TYPE_CHECKING:
    from mockd.bodyfile import BodyFilePolicy
    from mockd.plan.model import CompiledMock, ResourceSpec, RouteSpec
    from mockd.runtime.cors import CorsPolicy
    from mockd.runtime.journal import Counter
    from mockd.runtime.state.tables import Durable, Tables

log = logging.getLogger("mockd.state")


class ResourceExists(ValueError):
    """A resource of that name is already registered."""


class StateStore:
    """The registered resources and custom operations.

    It knows three things of the runtime around it, passed in rather than reached for: where a resource's
    relative files resolve and how they may be read (`file_access(source)`), whom to tell when the legacy
    routes change (`on_routes_changed`, which rebuilds the route table), and the mock port's CORS policy
    (legacy routes answer their own preflights).
    """

    def __init__(
        self,
        file_access: Callable[[int], tuple[str, BodyFilePolicy]],
        on_routes_changed: Callable[[], None],
        cors: CorsPolicy | None,
    ) -> None:
        self._file_access = file_access
        self._on_routes_changed = on_routes_changed
        self.cors = cors
        self.tables: dict[str, Resource] = {}
        # Custom operations as registered (the config/admin dicts, one per name: `GET /config` exports them
        # and `POST /config` may append to the list), and each one parsed, checked against its dict.
        self.custom_operations: list[dict[str, Any]] = []
        self._parsed: dict[str, tuple[dict[str, Any], Operation]] = {}
        self._routes: list[tuple[RouteSpec, Target]] = []
        # `--data-dir` (mockd/runtime/persist.py): told of item changes (by table name) and of resources
        # registered or removed. None when nothing persists.
        self.on_items_changed: Callable[[str, str | None, bool], None] | None = None
        self.on_definitions_changed: Callable[[], None] | None = None
        # `--data-dir`: a request that changed a table awaits its commit before replying (serve.py).
        self.durable: Durable | None = None

    def watch(self, items: Callable[[str, str | None, bool], None], definitions: Callable[[], None]) -> None:
        """Start reporting changes (after start-up loading, which is not a change)."""
        self.on_items_changed = items
        self.on_definitions_changed = definitions
        for resource in self.tables.values():
            resource.on_change = items

    # -- start-up --------------------------------------------------------------------------------------

    def load(self, resources: list[ResourceSpec], custom_operations: list[dict[str, Any]]) -> None:
        """Install the plan's resources (before its mocks: the store builds its first table after this)."""
        self.tables = {}
        for spec in resources:
            self._try(self._add, spec)
        self.custom_operations = []
        self._parsed = {}
        for config in custom_operations:
            try:
                self.register_operation(config)
            except ValueError as exc:
                log.warning("custom operation %r is skipped: %s", config.get("name"), exc)
        self._routes = self._build_routes()

    # -- registry --------------------------------------------------------------------------------------

    def get(self, name: str, workspace: str = "") -> Resource | None:
        """Table `name` of `workspace` (with the default "", `name` may also be a `table_key`)."""
        return self.tables.get(table_key(workspace, name))

    def need(self, name: str, workspace: str = "") -> Resource:
        """The resource, or the Go tool's `resource "<name>" not found` error."""
        resource = self.tables.get(table_key(workspace, name))
        if resource is None:
            raise NotFound(name)
        return resource

    def in_workspace(self, workspace: str) -> list[Resource]:
        """The tables of one workspace, sorted by name (as the Go tool lists them)."""
        return sorted((r for r in self.tables.values() if r.workspace == workspace), key=lambda r: r.name)

    def view(self, workspace: str) -> Tables:
        """What a request in `workspace` sees: table names resolved in that workspace."""
        return self if not workspace else WorkspaceTables(self, workspace)

    @property
    def resources(self) -> list[ResourceSpec]:
        """Every definition, as registered, with generated seed ids written back (for `GET /config`)."""
        return [{**r.spec, "seedData": r.seed} for r in self.tables.values()]

    def register(self, spec: ResourceSpec) -> Resource:
        """Add a resource (admin `POST /state/resources`); raises `ResourceExists` or `SeedError`."""
        resource = self._add(spec)
        if resource.base_path:
            self._reroute()
        return resource

    def register_resource(self, spec: ResourceSpec) -> bool:
        """Add a resource unless its name is taken or its seed cannot load (`POST /config`: the Go tool
        logs those and carries on)."""
        return self._try(self.register, spec)

    def _add(self, spec: ResourceSpec) -> Resource:
        if table_key(spec.get("workspace", ""), spec["name"]) in self.tables:
            raise ResourceExists(spec["name"])
        resource = Resource(spec, *self._file_access(spec["source"]))  # schemaRef limits: mockd/bodyfile.py
        self.tables[resource.key] = resource
        if self.on_items_changed is not None:
            resource.on_change = self.on_items_changed
            self.on_items_changed(resource.key, None, False)
        if self.on_definitions_changed is not None:
            self.on_definitions_changed()
        return resource

    @staticmethod
    def _try(add: Any, spec: ResourceSpec) -> bool:
        try:
            add(spec)
        except ResourceExists:
            log.warning("stateful resource %r is already registered: the new one is skipped", spec["name"])
            return False
        except SeedError as exc:
            log.warning("failed to load seed data for %r: %s; the resource is skipped", spec["name"], exc)
            return False
        return True

    def unregister(self, name: str, workspace: str = "") -> bool:
        resource = self.tables.pop(table_key(workspace, name), None)
        if resource is None:
            return False
        resource.on_change = None
        if self.on_items_changed is not None:
            self.on_items_changed(resource.key, None, False)  # gone: its stored items are dropped
        if self.on_definitions_changed is not None:
            self.on_definitions_changed()
        if resource.base_path:
            self._reroute()
        return True

    def reset(self, name: str | None = None, workspace: str = "") -> list[str]:
        """Reset one resource (NotFound if unknown) or all of a workspace; returns the names reset, sorted."""
        if name is not None:
            self.need(name, workspace).reset()
            return [name]
        resources = self.in_workspace(workspace)
        for resource in resources:
            resource.reset()
        return [r.name for r in resources]

    # -- custom operations (reference §4.8) ------------------------------------------------------------

    def operation(self, name: str) -> Operation | None:
        config = next((c for c in reversed(self.custom_operations) if c.get("name") == name), None)
        if config is None:
            return None
        cached = self._parsed.get(name)
        if cached is None or cached[0] is not config:
            try:  # a definition `POST /config` appended without the registry's check
                cached = (config, Operation.parse(config))
            except ValueError as exc:
                log.warning("custom operation %r cannot run: %s", name, exc)
                return None
            self._parsed[name] = cached
        return cached[1]

    def register_operation(self, config: dict[str, Any]) -> Operation:
        """Add or replace (by name, as Go's registry) an operation; ValueError for a bad consistency."""
        op = Operation.parse(config)
        ops = self.custom_operations
        index = next((i for i, c in enumerate(ops) if c.get("name") == op.name), None)
        if index is None:
            ops.append(config)
        else:
            ops[index] = config
        self._parsed[op.name] = (config, op)
        return op

    def unregister_operation(self, name: str) -> bool:
        before = len(self.custom_operations)
        self.custom_operations[:] = [c for c in self.custom_operations if c.get("name") != name]
        self._parsed.pop(name, None)
        return len(self.custom_operations) < before

    # -- mock port -------------------------------------------------------------------------------------

    def target_for(self, compiled: CompiledMock, counter: Counter | None) -> Target:
        mock_id = compiled["mock"]["id"]
        action = compiled["action"]
        if action["kind"] == "binding":
            matcher = (compiled["mock"].get("http") or {}).get("matcher") or {}
            id_param = last_param(matcher.get("path") or "")
            override = Transform.parse(action.get("response"))
            table, verb = action["table"], action["action"]
            operation = action.get("operation") or ""
            tables = self.view(compiled["mock"].get("workspaceId") or "")
            return BindingTarget(tables, mock_id, counter, table, verb, id_param, override, operation)
        if action["kind"] == "operation":
            tables = self.view(compiled["mock"].get("workspaceId") or "")
            return OperationTarget(tables, mock_id, counter, action["operation"])
        return UnavailableTarget(mock_id, counter, f"{action['kind']} mocks are not served here")

    def resource_routes(self) -> list[tuple[RouteSpec, Target]]:
        return self._routes

    def _build_routes(self) -> list[tuple[RouteSpec, Target]]:
        routes: list[tuple[RouteSpec, Target]] = []
        for resource in self.tables.values():
            for spec, action in legacy_routes([resource.spec]):
                id_param = last_param(spec["path"] or "") if action["role"] == "item" else ""
                tables = self.view(resource.workspace)
                routes.append((spec, ResourceTarget(tables, action["resource"], id_param)))
        return routes

    def _reroute(self) -> None:
        self._routes = self._build_routes()
        self._on_routes_changed()

    # -- relationships ---------------------------------------------------------------------------------

    def expand(self, resource: Resource, view: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        """`?expand[]=field`: a related item's id replaced by the item (reference §4.4); unknown ids stay."""
        out = view
        for name in fields:
            rel = resource.relationships.get(name)
            if not isinstance(rel, dict) or name not in out:
                continue
            id_text = format_value(out[name])
            target = self.tables.get(table_key(resource.workspace, rel.get("table") or ""))
            related = target.items.get(id_text) if target is not None and id_text != "<nil>" else None
            if target is None or related is None:
                continue
            if out is view:
                out = dict(view)
            out[name] = target.expanded(related)
        return out


class WorkspaceTables:
    """The store as a request of a non-default workspace sees it: table names resolve in that workspace
    (the Go tool's bridge takes the matched mock's workspace). Custom operations are shared."""

    __slots__ = ("store", "workspace")

    def __init__(self, store: StateStore, workspace: str) -> None:
        self.store = store
        self.workspace = workspace

    @property
    def cors(self) -> CorsPolicy | None:
        return self.store.cors

    @property
    def durable(self) -> Durable | None:
        return self.store.durable

    def get(self, name: str) -> Resource | None:
        return self.store.tables.get(table_key(self.workspace, name))

    def need(self, name: str) -> Resource:
        return self.store.need(name, self.workspace)

    def operation(self, name: str) -> Operation | None:
        return self.store.operation(name)

    def expand(self, resource: Resource, view: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        return self.store.expand(resource, view, fields)
