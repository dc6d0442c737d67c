"""Configuration import/export (reference §5.6): `GET /config` dumps the store as a mock collection,
`POST /config` loads one, so a suite can reset the server to a known config at runtime.

Import is all or nothing: every mock is validated before any is stored (the Go tool writes its store first
and validates afterwards, so a bad mock there leaves the earlier ones imported). Like the Go tool, import
checks no `version`, ignores `tables`/`extend`/`imports`, stores mocks without `enabled` as enabled, keeps
a given `createdAt`, and skips stateful resources whose name already exists.

YAML bodies (a `Content-Type` containing `yaml`) are decoded with the compiler's yaml.v3-compatible scanner
and each mock is then compiled from its decoded value, so a YAML scalar in a string field (`X-Flag: true`) is
refused as a type error instead of being read as its text.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

import yaml  # type: ignore[import-untyped]

from mockd.compiler import MockValidationError, compile_resource
from mockd.gocompat import jsonscan, yamlscan
from mockd.gocompat.positions import PosNode
from mockd.runtime.admin.http import (
    AdminError,
    AdminRequest,
    Response,
    decode_model,
    go_parse_bool,
    invalid_json,
    reply,
)
from mockd.runtime.admin.mockinput import BIG_BODY, compile_body, indexed_prefix, off_loop, with_fields
from mockd.runtime.admin.models import (
    CollectionMetadata,
    ConfigDryRunReply,
    ConfigExport,
    ConfigImportReply,
    ConfigImportRequest,
)

if TYPE_CHECKING:
    from mockd.plan.model import CompiledMock, ResourceSpec
    from mockd.runtime.admin.router import Router
    from mockd.runtime.store import StoredMock
    from mockd.runtime.world import Runtime

log = logging.getLogger("mockd.admin")


def _invalid_yaml() -> AdminError:
    return AdminError(400, "invalid_yaml", "Invalid YAML in request body")


def _missing_config() -> AdminError:
    return AdminError(400, "missing_config", "config field is required")


def parse_rfc3339(value: Any) -> float | None:
    """Epoch seconds of an RFC 3339 timestamp (nanoseconds cut to microseconds); None when absent, zero
    (Go's `time.Time{}`), or not a timestamp."""
    if not isinstance(value, str) or not value:
        return None
    text = value.replace("Z", "+00:00").replace("z", "+00:00")
    head, dot, rest = text.partition(".")
    if dot:
        digits = rest[: len(rest) - len(rest.lstrip("0123456789"))]
        text = head + "." + digits[:6].ljust(6, "0") + rest[len(digits) :]
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return None
    if stamp.tzinfo is None or stamp.year <= 1:
        return None
    return stamp.timestamp()


def resource_dict(spec: ResourceSpec) -> dict[str, Any]:
    """A resource definition in the Go `StatefulResourceConfig` shape (defaults left out), for export."""
    out: dict[str, Any] = {"name": spec["name"]}
    if spec.get("workspace"):
        out["workspace"] = spec["workspace"]  # part of its identity, as in the Go tool
    if spec.get("basePath"):
        out["basePath"] = spec["basePath"]  # legacy routing, kept so a re-import routes the same
    if spec.get("idField"):
        out["idField"] = spec["idField"]
    if spec.get("idStrategy") and spec["idStrategy"] != "uuid":
        out["idStrategy"] = spec["idStrategy"]
    for key in ("idPrefix", "parentField", "maxItems", "seedData", "validation", "response", "relationships"):
        value = spec.get(key)  # type: ignore[misc]
        if value:
            out[key] = value
    return out


class _Collection:
    """The collection a `POST /config` body carries, with the raw JSON text of each mock when it was JSON."""

    def __init__(self, data: dict[str, Any], node: PosNode | None, text: str, fmt: str, bare: bool) -> None:
        self.data = data
        self.node = node
        self.text = text
        self.fmt = fmt
        self.bare = bare

    def _member(self, name: str) -> tuple[Any, PosNode | None]:
        value: Any = None
        for key, item in self.data.items():
            if key == name or (self.fmt == "json" and key.casefold() == name.casefold()):
                value = item
        return value, self.node.child(name) if self.node is not None else None

    def items(self, name: str) -> list[Item]:
        """(index, decoded value, what to compile) of each non-null entry of the list `name`."""
        value, node = self._member(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.type_error()
        out: list[Item] = []
        for i, item in enumerate(value):
            if item is None:
                continue
            if not isinstance(item, dict):
                raise self.type_error()
            child = node.child(i) if node is not None else None
            source: bytes | str | dict[str, Any] = item
            if self.fmt == "json" and child is not None:
                source = self.text[child.start : child.end]
            out.append((i, item, source))
        return out

    def type_error(self) -> AdminError:
        """A value of the wrong type inside the collection. The Go decoder fails the whole body; for a bare
        collection that failure only means "not a collection", so the answer is `missing_config`."""
        if self.bare:
            return _missing_config()
        return _invalid_yaml() if self.fmt == "yaml" else invalid_json()


def _decode(text: str, content_type: str) -> tuple[_Collection, bool]:
    """The collection and the body's `replace`, or the Go tool's 400. Touches no shared state."""
    wrapper: dict[str, Any] | None
    if "yaml" in content_type:
        fmt = "yaml"
        try:
            value, tree, issues = yamlscan.scan(text)
        except yamlscan.YamlSyntaxError:
            raise _invalid_yaml() from None
        if issues or not (value is None or isinstance(value, dict)):
            raise _invalid_yaml()
        wrapper = {k: v for k, v in (value or {}).items() if k in ("config", "replace")}  # yaml: exact keys
    else:
        fmt = "json"
        try:
            value, tree = jsonscan.scan(text)  # json.Unmarshal: the whole body must be one value
        except jsonscan.JsonSyntaxError:
            raise invalid_json() from None
        if not (value is None or isinstance(value, dict)):
            raise invalid_json()
        wrapper = value
    try:
        request = decode_model(ConfigImportRequest, wrapper)
    except AdminError:
        raise (_invalid_yaml() if fmt == "yaml" else invalid_json()) from None
    root = tree.root
    if request.config is not None:
        node = root.child("config") if root is not None else None
        return _Collection(request.config, node, text, fmt, bare=False), bool(request.replace)
    # No `config`: a bare collection with a `mocks` list is accepted (so GET /config output posts back).
    if isinstance(value, dict):
        bare = _Collection(value, root, text, fmt, bare=True)
        mocks, _ = bare._member("mocks")
        if isinstance(mocks, list):
            return bare, bool(request.replace)
    raise _missing_config()


def register(router: Router, rt: Runtime) -> None:
    store = rt.store
    journal = rt.journal

    @router.route("GET", "/config")
    async def export_config(req: AdminRequest) -> Response:
        name = req.arg("name") or "mockd-export"
        workspace = req.arg("workspaceId")
        mocks = [m.api_dict() for m in store if _in_workspace(m, workspace)]
        export = ConfigExport(
            name=name,
            metadata=CollectionMetadata(name=name),
            mocks=mocks,
            statefulResources=[resource_dict(r) for r in rt.state.resources],
            customOperations=list(rt.state.custom_operations),
        )
        if req.arg("format").lower() == "yaml":
            body = yaml.safe_dump(export.model_dump(), sort_keys=False, allow_unicode=True).encode()
            return Response(200, body, [("content-type", "application/x-yaml")])
        return reply(export)

    @router.route("POST", "/config")
    async def import_config(req: AdminRequest) -> Response:
        content_type = req.headers.get("content-type") or ""
        # issue 12: a small YAML body can still be costly (aliases expand within go-yaml's budget to ~400,000
        # nodes), so YAML is always decoded and compiled in a worker thread; JSON only when it is big.
        big = len(req.body) > BIG_BODY or "yaml" in content_type
        collection, replace = await off_loop(big, _decode, req.text(), content_type)
        mocks = collection.items("mocks")
        resources = collection.items("statefulResources")
        operations = [value for _, value, _ in collection.items("customOperations")]
        if go_parse_bool(req.arg("dryRun")) is True:
            return reply(ConfigDryRunReply(mocks=len(mocks), statefulResources=len(resources)))
        replace = replace or go_parse_bool(req.arg("replace")) is True
        workspace = req.arg("workspaceId")
        now = time.time()
        batch = await off_loop(big, _compile_mocks, mocks, collection, workspace, now, rt.admin_body_root())
        specs = await off_loop(big, _compile_resources, resources, collection)
        async with store.editing() as edit:
            removed = []
            if replace:
                removed = edit.remove_where(lambda m: _in_workspace(m, workspace))
            for compiled, created in batch:
                edit.put(compiled, created, now)  # an existing id is overwritten in place
        kept = {m.id for m in store}
        for m in removed:
            if m.id not in kept:
                journal.forget(m.id)
        _register_resources(rt, specs, operations, workspace)
        result = ConfigImportReply(imported=len(batch), statefulResources=len(resources), total=len(store))
        return reply(result)


Item = tuple[int, Any, bytes | str | dict[str, Any]]  # (index, decoded value, what to compile)


def _compile_mocks(
    mocks: list[Item], collection: _Collection, workspace: str, now: float, body_root: str
) -> list[tuple[CompiledMock, float]]:
    """Every imported mock compiled with what the Go tool fills in (enabled, workspace, createdAt), or the
    400 for the first one that fails."""
    batch: list[tuple[CompiledMock, float]] = []
    for index, value, source in mocks:
        try:
            compiled = compile_body(source, require_type=False, body_root=body_root)
        except AdminError as exc:
            if exc.code == "invalid_json":
                raise collection.type_error() from None
            raise AdminError(400, "validation_error", indexed_prefix(index, value) + exc.message) from None
        values: dict[str, Any] = {}
        if compiled["mock"].get("enabled") is None:
            values["enabled"] = True
        if workspace and not compiled["mock"].get("workspaceId"):
            values["workspaceId"] = workspace
        if values:
            compiled = with_fields(compiled, **values)
        created = parse_rfc3339(next((v for k, v in value.items() if k.casefold() == "createdat"), None))
        batch.append((compiled, created or now))
    return batch


def _compile_resources(resources: list[Item], collection: _Collection) -> list[ResourceSpec]:
    specs = []
    for index, _, source in resources:
        try:
            specs.append(compile_resource(source))
        except MockValidationError as exc:
            if exc.slug == "invalid_json":
                raise collection.type_error() from None
            # As at start-up: a resource the Go tool cannot register is skipped with a warning.
            log.warning("statefulResources[%d] skipped: %s", index, exc.go_message())
    return specs


def _in_workspace(m: StoredMock, workspace: str) -> bool:
    """Go's store filter: an empty workspace id means every mock."""
    return not workspace or m.compiled["mock"].get("workspaceId", "") == workspace


def _register_resources(
    rt: Runtime, specs: list[ResourceSpec], operations: list[dict[str, Any]], workspace: str
) -> None:
    """Hand imported definitions to the state store, each in its own `workspace`, else the `?workspaceId=`
    one (as the Go tool). A resource whose name exists there (or whose seed cannot load) is skipped with a
    warning, as the Go tool does; so is a custom operation whose name exists."""
    for spec in specs:
        if workspace and not spec.get("workspace"):
            spec["workspace"] = workspace
        rt.state.register_resource(spec)
    known = {op.get("name") for op in rt.state.custom_operations}
    for op in operations:
        if op.get("name") and op["name"] not in known:
            rt.state.custom_operations.append(op)
            known.add(op["name"])
