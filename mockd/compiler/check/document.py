"""One config document, checked: prepared data validated part by part, defaults filled in, Go's checks run.

`check_document` does, for one file, what the Go loader does from "decode" to "validate" (reference §2.1 steps
5-8) plus the resource and table normalisation; what needs every file at once (duplicate ids across files,
extend, building the plan) is in `compile`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from mockd.chaos.model import check as check_chaos
from mockd.chaos.spec import ChaosSpec
from mockd.compiler.build.ids import generate_id, infer_type
from mockd.compiler.build.resources import resource_from_config, resource_from_table
from mockd.compiler.check.imported import check_imports
from mockd.compiler.check.mock_rules import validate_mock
from mockd.compiler.check.typecheck import validate, validate_items
from mockd.compiler.decode.coerce import Context, prepare
from mockd.compiler.decode.load import Document
from mockd.compiler.issues import Issues
from mockd.compiler.models import (
    CustomOperation,
    ExtendBinding,
    ImportEntry,
    Mock,
    MockCollection,
    StatefulResourceConfig,
    TableConfig,
)
from mockd.errors import json_kind
from mockd.gocompat.positions import Path
from mockd.plan.model import ResourceSpec

SUPPORTED_VERSION = "1.0"
_LIST_FIELDS = (
    "imports",
    "tables",
    "extend",
    "mocks",
    "statefulResources",
    "customOperations",
    "websocketEndpoints",
)


@dataclass
class Checked:
    """What one document contributes, each part with its document path."""

    index: int
    document: Document
    mocks: list[tuple[Path, Mock, bool]] = field(default_factory=list)  # (path, mock, legacy shape)
    resources: list[tuple[Path, ResourceSpec]] = field(default_factory=list)
    tables: list[tuple[Path, ResourceSpec]] = field(default_factory=list)
    extend: list[tuple[ExtendBinding | None, Path, int]] = field(default_factory=list)
    custom_operations: list[tuple[Path, dict[str, Any]]] = field(default_factory=list)
    server_config: dict[str, Any] | None = None
    chaos: ChaosSpec | None = None  # `serverConfig.chaos`, validated; None when absent or disabled


def _chaos(data: Any, issues: Issues, index: int) -> ChaosSpec | None:
    """`serverConfig.chaos` checked as a whole (mockd.chaos.model): one error and none of it applies."""
    spec, problems = check_chaos(data, "file")
    for p in problems:
        path = ("serverConfig", "chaos", *p.loc)
        if p.severity == "error":
            issues.error(p.message, p.slug, path, doc=index)
        else:
            issues.warning(p.message, p.slug, path, at_key=p.slug == "unknown_key", doc=index)
    return spec


def check_document(document: Document, index: int, issues: Issues) -> Checked:
    out = Checked(index, document)
    data = document.data
    if data is None:  # an empty YAML document or a JSON `null`: an empty collection, as in Go
        data = {}
    if not isinstance(data, dict):
        issues.error(
            f"expected a mock collection (an object), got {json_kind(data)}", "invalid_type", (), doc=index
        )
        return out
    ctx = Context(document.format, issues, index, document.positions.text)
    cleaned = prepare(MockCollection, data, document.positions.root, ctx)
    top = validate(
        MockCollection, {k: v for k, v in cleaned.items() if k not in _LIST_FIELDS}, (), issues, doc=index
    )
    if top is not None:
        _check_version(top.version, issues, index)
        out.server_config = top.serverConfig
        if top.serverConfig is not None and "chaos" in top.serverConfig:
            out.chaos = _chaos(top.serverConfig["chaos"], issues, index)

    seed = os.path.abspath(document.path)
    for i, m in validate_items(
        Mock, cleaned.get("mocks"), ("mocks",), issues, doc=index, what="mock", legacy_paths=ctx.legacy_paths
    ):
        path = ("mocks", i)
        if not m.type:
            m.type = infer_type(m)
        if not m.id:
            m.id = generate_id(m.type, "config", seed=f"{seed}#{i}")
        legacy = path in ctx.legacy_paths
        validate_mock(m, issues, path, legacy=legacy, doc=index)
        out.mocks.append((path, m, legacy))

    for i, cfg in validate_items(
        StatefulResourceConfig,
        cleaned.get("statefulResources"),
        ("statefulResources",),
        issues,
        doc=index,
        what="stateful resource",
    ):
        path = ("statefulResources", i)
        if not cfg.name:
            issues.warning(
                "resource name cannot be empty: the resource is skipped, as by the Go tool",
                "resource_name_required",
                path,
                doc=index,
            )
            continue
        out.resources.append((path, resource_from_config(cfg, path, issues, doc=index, source=index)))

    names: dict[str, Path] = {}
    for i, table in validate_items(
        TableConfig, cleaned.get("tables"), ("tables",), issues, doc=index, what="table"
    ):
        path = ("tables", i)
        if not table.name:
            issues.error("table: name is required", "table_name_required", (*path, "name"), doc=index)
            continue
        if table.name in names:
            issues.error(
                f'table "{table.name}": duplicate name', "duplicate_table", (*path, "name"), doc=index
            )
            continue
        names[table.name] = path
        out.tables.append((path, resource_from_table(table, path, issues, doc=index, source=index)))

    raw_extend = cleaned.get("extend")
    if isinstance(raw_extend, list):
        for i, item in enumerate(raw_extend):
            binding = (
                None if item is None else validate(ExtendBinding, item, ("extend", i), issues, doc=index)
            )
            if item is None or binding is not None:
                out.extend.append((binding, ("extend", i), index))
    elif raw_extend is not None:
        issues.error(f"expected a list, got {json_kind(raw_extend)}", "invalid_type", ("extend",), doc=index)

    entries = validate_items(
        ImportEntry, cleaned.get("imports"), ("imports",), issues, doc=index, what="import"
    )
    if entries:
        imported, failed = check_imports(entries, document, index, issues, own=list(out.mocks))
        out.mocks.extend(imported)
        if failed:
            out.extend = [b for b in out.extend if not _into_failed_import(b[0], failed)]

    for i, op in validate_items(
        CustomOperation,
        cleaned.get("customOperations"),
        ("customOperations",),
        issues,
        doc=index,
        what="custom operation",
    ):
        if not op.name:
            issues.warning(
                "custom operation name is required: the operation is skipped, as by the Go tool",
                "operation_name_required",
                ("customOperations", i),
                doc=index,
            )
            continue
        if op.consistency.strip() not in ("", "best_effort", "atomic"):
            issues.warning(
                f"custom operation {op.name!r}: unsupported consistency mode {op.consistency!r} (valid: "
                "best_effort, atomic): the operation is skipped, as the Go tool refuses to register it",
                "invalid_consistency",
                ("customOperations", i, "consistency"),
                doc=index,
            )
            continue
        out.custom_operations.append(
            (("customOperations", i), op.model_dump(by_alias=True, exclude_unset=True))
        )

    endpoints = cleaned.get("websocketEndpoints")
    if isinstance(endpoints, list):
        for i, _ in enumerate(endpoints):
            issues.warning(
                "websocketEndpoints are not served by mockd yet: this endpoint is ignored",
                "unsupported_endpoint",
                ("websocketEndpoints", i),
                doc=index,
            )
    return out


def _into_failed_import(binding: ExtendBinding | None, failed: list[str]) -> bool:
    """An import without `as` failed: any reference may have meant it; else only `<as>.` references did."""
    if binding is None:
        return False
    return "" in failed or any(binding.mock.startswith(f"{ns}.") for ns in failed)


def _check_version(version: str | None, issues: Issues, index: int) -> None:
    """D9: no version (or an empty one) is "1.0"; anything else than "1.0" is refused with Go's message."""
    if version and version != SUPPORTED_VERSION:
        issues.error(
            f"unsupported version: {version} (expected {SUPPORTED_VERSION})",
            "unsupported_version",
            ("version",),
            go_field="version",
            doc=index,
        )
