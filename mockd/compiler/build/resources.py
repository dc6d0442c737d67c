"""Stateful resources in one canonical form, whichever way the config spelt them.

Three spellings reach the same `ResourceSpec` (reference §2.7, §4.6):

- `statefulResources[]` — current (data only) or legacy v0.2-v0.5 with `basePath`, which we honour by
  generating routes (`resource_routes`);
- `tables[]` — the current form; like the Go tool we drop a table's `validation` (with a warning);
- `extend[]` — binds a table to an existing mock, found by `operationId`, then `"METHOD /path"`, then (our
  leniency, since the Go docs' own examples use it) by mock id.

Defaults: `idField` "id", `idStrategy` "uuid". Duplicate seed ids are a load error with the position of the
second one (the Go tool only logs and drops the whole resource); ids compare by their string form (D1), so
`1` and `"1"` are the same id.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from mockd.compiler.issues import Issues
from mockd.compiler.models import (
    ExtendBinding,
    Mock,
    ResponseTransform,
    StatefulBinding,
    StatefulResourceConfig,
    TableConfig,
)
from mockd.gocompat.positions import Path
from mockd.plan.model import ResourceSpec, resource_spec
from mockd.plan.resources import seed_id_text
from mockd.validation import parse_stateful

ID_STRATEGIES = ("uuid", "prefix", "ulid", "sequence", "short")
LIST_FORMATS = ("envelope", "array")


def _transform(
    response: ResponseTransform | None, path: Path, issues: Issues, doc: int
) -> dict[str, Any] | None:
    if response is None:
        return None
    fmt = response.list_.format if response.list_ is not None else ""
    if fmt and fmt not in LIST_FORMATS:
        issues.error(
            f'list.format must be "envelope" or "array", got "{fmt}"',
            "invalid_list_format",
            (*path, "list", "format"),
            doc=doc,
        )
    return response.model_dump(by_alias=True, exclude_unset=True)


def _seed(
    items: list[dict[str, Any] | None] | None, id_field: str, path: Path, issues: Issues, doc: int
) -> list[dict[str, Any]]:
    seed = [dict(item) if item is not None else {} for item in items or []]
    seen: dict[str, int] = {}
    for i, item in enumerate(seed):
        text = seed_id_text(item.get(id_field))
        if text is None:
            continue
        if text in seen:
            issues.error(
                f'duplicate ID "{text}" in seed data at index {i} (first at index {seen[text]})',
                "duplicate_seed_id",
                (*path, "seedData", i, id_field),
                doc=doc,
            )
        else:
            seen[text] = i
    return seed


def _strategy(value: str, path: Path, issues: Issues, doc: int) -> str:
    if not value:
        return "uuid"
    if value not in ID_STRATEGIES:
        close = difflib.get_close_matches(value, ID_STRATEGIES, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        issues.warning(
            f"unknown idStrategy '{value}': ids are generated as uuid, as by the Go tool.{hint}",
            "unknown_id_strategy",
            (*path, "idStrategy"),
            doc=doc,
        )
    return value


def resource_from_config(
    cfg: StatefulResourceConfig, path: Path, issues: Issues, *, doc: int = 0, source: int = -1
) -> ResourceSpec:
    """A `statefulResources[]` entry (current or legacy) as a ResourceSpec; problems go to `issues`."""
    id_field = cfg.idField or "id"
    base_path = cfg.basePath or None
    if base_path is not None and not base_path.startswith("/"):
        issues.error("resource basePath must start with /", "invalid_base_path", (*path, "basePath"), doc=doc)
    if cfg.validation is not None:
        _rule_problems(cfg.validation, (*path, "validation"), issues, doc)
    return resource_spec(
        name=cfg.name,
        idField=id_field,
        idStrategy=_strategy(cfg.idStrategy, path, issues, doc),
        idPrefix=cfg.idPrefix,
        parentField=cfg.parentField,
        maxItems=cfg.maxItems,
        seedData=_seed(cfg.seedData, id_field, path, issues, doc),
        basePath=base_path,
        response=_transform(cfg.response, (*path, "response"), issues, doc),
        validation=cfg.validation,
        relationships=_relationships(cfg.relationships),
        source=source,
        workspace=cfg.workspace,
    )


def _rule_problems(config: dict[str, Any], path: Path, issues: Issues, doc: int) -> None:
    """A resource's validation rules (kept verbatim) checked at load, as for mocks (`validate.py`)."""
    for problem in parse_stateful(config)[1]:
        where = (*path, *problem.path)
        if problem.error:
            issues.error(problem.message, "invalid_validation_rule", where, doc=doc)
        else:
            issues.warning(problem.message, "unknown_validation_key", where, at_key=True, doc=doc)


def resource_from_table(
    table: TableConfig, path: Path, issues: Issues, *, doc: int = 0, source: int = -1
) -> ResourceSpec:
    """A `tables[]` entry as a ResourceSpec (no routes: tables are reached through bindings)."""
    if table.validation is not None:
        issues.warning(
            "a table's validation is ignored, as by the Go tool (put validation on the mock or "
            "use statefulResources)",
            "table_validation_ignored",
            (*path, "validation"),
            doc=doc,
        )
    id_field = table.idField or "id"
    return resource_spec(
        name=table.name,
        idField=id_field,
        idStrategy=_strategy(table.idStrategy, path, issues, doc),
        idPrefix=table.idPrefix,
        parentField=table.parentField,
        maxItems=table.maxItems,
        seedData=_seed(table.seedData, id_field, path, issues, doc),
        basePath=None,
        response=_transform(table.response, (*path, "response"), issues, doc),
        validation=None,
        relationships=_relationships(table.relationships),
        source=source,
    )


def _relationships(rel: dict[str, Any] | None) -> dict[str, Any] | None:
    if rel is None:
        return None
    return {k: (v.model_dump(exclude_unset=True) if v is not None else None) for k, v in rel.items()}


# ------------------------------------------------------------------------------------------- extend


@dataclass
class MockRef:
    """A mock as extend sees it: the model (mutated when bound), where it is, and its binding override."""

    mock: Mock
    path: Path
    doc: int
    legacy: bool = False  # written in the legacy shape: its HTTP spec sits at `path`, not `path + ("http",)`
    response_override: dict[str, Any] | None = None


def resolve_extend(
    bindings: list[tuple[ExtendBinding | None, Path, int]],
    tables: dict[str, dict[str, Any] | None],
    mocks: list[MockRef],
    issues: Issues,
) -> None:
    """Apply `extend[]` to the mocks (Go's `processTablesAndExtend`; every error reported, not the first).

    `tables` maps table name -> its response transform. A bound mock loses its response/sse/chunked/
    statefulOperation and gains `http.statefulBinding`; a binding-level `response` is kept on the MockRef.
    """
    by_operation: dict[str, MockRef] = {}
    by_route: dict[str, MockRef] = {}
    by_id: dict[str, MockRef] = {}
    for ref in mocks:  # later definitions win, as in the Go indexes
        m = ref.mock
        if m.operationId:
            by_operation[m.operationId] = ref
        if (
            m.http is not None
            and m.http.matcher is not None
            and m.http.matcher.method
            and m.http.matcher.path
        ):
            by_route[f"{m.http.matcher.method.upper()} {m.http.matcher.path}"] = ref
        by_id.setdefault(m.id, ref)
    for binding, path, doc in bindings:
        if binding is None:
            issues.error("extend entry cannot be null", "null_entry", path, doc=doc)
            continue
        ref_name = binding.mock
        if not ref_name:
            issues.error(
                "extend: mock reference is required", "extend_mock_required", (*path, "mock"), doc=doc
            )
            continue
        quoted = f'extend "{ref_name}"'
        if not binding.table:
            issues.error(f"{quoted}: table is required", "extend_table_required", (*path, "table"), doc=doc)
            continue
        if not binding.action:
            issues.error(
                f"{quoted}: action is required", "extend_action_required", (*path, "action"), doc=doc
            )
            continue
        if binding.table not in tables:
            issues.error(
                f'{quoted}: table "{binding.table}" not found',
                "extend_table_not_found",
                (*path, "table"),
                doc=doc,
            )
            continue
        target = by_operation.get(ref_name) or by_route.get(ref_name) or by_id.get(ref_name)
        if target is None:
            issues.error(
                f"{quoted}: mock not found (checked operationId, METHOD /path and mock id)",
                "extend_mock_not_found",
                (*path, "mock"),
                doc=doc,
            )
            continue
        spec = target.mock.http
        if spec is None:
            issues.error(f"{quoted}: mock is not an HTTP mock", "extend_not_http", (*path, "mock"), doc=doc)
            continue
        if binding.action == "custom" and not binding.operation:
            issues.error(
                f"{quoted}: action 'custom' requires an operation name",
                "extend_operation_required",
                (*path, "operation"),
                doc=doc,
            )
            continue
        spec.response = None
        spec.sse = None
        spec.chunked = None
        spec.statefulOperation = ""
        spec.statefulBinding = StatefulBinding(
            table=binding.table, action=binding.action, operation=binding.operation
        )
        if binding.response is not None:
            target.response_override = binding.response.model_dump(by_alias=True, exclude_unset=True)
