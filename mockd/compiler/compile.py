"""The compiler's entry points: config files to a plan; one admin-API mock or resource to its plan form."""

from __future__ import annotations

import contextlib
import gc
import os
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from mockd import __version__
from mockd.compiler.build.ids import IdStyle, generate_id, infer_type
from mockd.compiler.build.mock_view import go_mock_dict
from mockd.compiler.build.resources import MockRef, resolve_extend, resource_from_config
from mockd.compiler.build.routes import build, criteria_key
from mockd.compiler.check.document import Checked, check_document
from mockd.compiler.check.mock_rules import validate_mock
from mockd.compiler.check.typecheck import validate
from mockd.compiler.decode.coerce import Context, prepare
from mockd.compiler.decode.load import Document, load_file
from mockd.compiler.errors import ConfigError, Diagnostic, MockValidationError
from mockd.compiler.issues import Issue, Issues, render
from mockd.compiler.models import CustomOperation, Mock, StatefulResourceConfig
from mockd.gocompat import jsonscan
from mockd.gocompat.positions import PosNode
from mockd.plan.model import PLAN_FORMAT, PLAN_KIND, CompiledMock, CompiledPlan, ResourceSpec, SourceInfo
from mockd.protocols import registry


@dataclass(frozen=True)
class CompileResult:
    plan: CompiledPlan
    warnings: list[Diagnostic]


# ------------------------------------------------------------------------------------------------ files


def compile_files(
    paths: Sequence[str | os.PathLike[str]], *, env: Mapping[str, str] | None = None
) -> CompileResult:
    """Load, validate and compile config files into one plan; raise `ConfigError` with every problem found.

    Several files merge in order: mocks and resources are concatenated, a mock id defined twice (in one file
    or across files) is an error naming both places. `env` replaces the process environment for `$VAR`
    expansion (tests).
    """
    with _gc_paused():
        return _compile_files(paths, env)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Compiling builds hundreds of thousands of small acyclic objects; the cyclic collector would spend more
    time scanning them than the compile takes (10,000 mocks: 2.2 s with it, 1.0 s without)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _compile_files(paths: Sequence[str | os.PathLike[str]], env: Mapping[str, str] | None) -> CompileResult:
    issues = Issues()
    documents: list[Document | None] = []
    load_errors: dict[int, list[Diagnostic]] = {}
    for index, path in enumerate(paths):
        try:
            documents.append(load_file(path, env=env))
        except ConfigError as exc:
            documents.append(None)
            load_errors[index] = exc.diagnostics
    checked = [check_document(doc, i, issues) for i, doc in enumerate(documents) if doc is not None]
    plan = _assemble(checked, issues)
    diagnostics = _render_all(issues, documents, load_errors)
    if any(d.severity == "error" for d in diagnostics):
        raise ConfigError(diagnostics)
    assert plan is not None
    plan["warnings"] = [d.render() for d in diagnostics]
    return CompileResult(plan, diagnostics)


def _render_all(
    issues: Issues, documents: list[Document | None], load_errors: dict[int, list[Diagnostic]]
) -> list[Diagnostic]:
    """Every diagnostic, grouped by file (command-line order) and sorted by position within a file."""
    keyed: list[tuple[int, int, int, int, Diagnostic]] = []
    for index, diags in load_errors.items():
        keyed.extend((index, 0, 0, n, d) for n, d in enumerate(diags))
    for n, issue in enumerate(issues.items):
        doc = documents[issue.doc]
        assert doc is not None
        d = render(issue, doc.path, doc.positions)
        keyed.append((issue.doc, d.line or 0, d.column or 0, n, d))
    keyed.sort(key=lambda k: k[:4])
    return [k[4] for k in keyed]


def _where(checked: Checked, path: tuple[Any, ...]) -> str:
    where = checked.document.positions.where(path)
    loc = checked.document.path
    return f"{loc}:{where.line}:{where.column}" if where else loc


def _assemble(checked: list[Checked], issues: Issues) -> CompiledPlan | None:
    """Cross-file checks (ids, resource names, extend) and, when nothing is wrong, the plan."""
    by_doc = {c.index: c for c in checked}
    refs: list[MockRef] = []
    seen_ids: dict[str, tuple[Checked, tuple[Any, ...]]] = {}
    for c in checked:
        for path, m, legacy in c.mocks:
            if m.id in seen_ids:
                first, first_path = seen_ids[m.id]
                issues.error(
                    f"duplicate mock ID: {m.id} (also defined at {_where(first, (*first_path, 'id'))})",
                    "duplicate_id",
                    (*path, "id"),
                    go_field=f"{path[0]}[{path[1]}].id",
                    doc=c.index,
                )
            else:
                seen_ids[m.id] = (c, path)
            refs.append(MockRef(m, path, c.index, legacy))

    resources: list[ResourceSpec] = []
    names: dict[tuple[str, str], tuple[Checked, tuple[Any, ...]]] = {}  # (workspace, name): tables' identity
    for c in checked:
        for path, spec in [*c.resources, *c.tables]:
            key = (spec.get("workspace", ""), spec["name"])
            if key in names:
                other, other_path = names[key]
                issues.warning(
                    f'resource "{spec["name"]}" is already defined at {_where(other, other_path)}: '
                    "this definition is skipped, as by the Go tool",
                    "duplicate_resource",
                    path,
                    doc=c.index,
                )
                continue
            names[key] = (c, path)
            resources.append(spec)

    tables = {spec["name"]: spec["response"] for c in checked for _, spec in c.tables}
    bindings = [b for c in checked for b in c.extend]
    if bindings and not tables:
        for c in checked:
            if c.extend:
                issues.warning(
                    "extend is ignored because no tables are defined, as by the Go tool",
                    "extend_without_tables",
                    ("extend",),
                    doc=c.index,
                )
    elif bindings:
        resolve_extend(bindings, tables, refs, issues)

    if issues.errors:
        return None
    mocks = [_compiled(ref, by_doc[ref.doc], issues) for ref in refs]
    _warn_shadowed(mocks, refs, by_doc, issues)
    _warn_unknown_tables(mocks, refs, {r["name"] for r in resources}, issues)
    server_configs = [c.server_config for c in checked if c.server_config is not None]
    plan: CompiledPlan = {
        "kind": PLAN_KIND,
        "planFormat": PLAN_FORMAT,
        "mockdVersion": __version__,
        "sources": [_source_info(c.document.path) for c in checked],
        "mocks": mocks,
        "resources": resources,
        "customOperations": [op for c in checked for _, op in c.custom_operations],
        "warnings": [],
    }
    if server_configs:
        plan["serverConfig"] = server_configs[0]
    plan["chaos"] = next((c.chaos for c in checked if c.server_config is not None), None)
    return plan


def _source_info(path: str) -> SourceInfo:
    return {"path": path, "baseDir": os.path.dirname(os.path.abspath(path))}


def _field_path(field: str) -> list[str | int]:
    """`websocket.matchers[0].match` -> ["websocket", "matchers", 0, "match"]: a position in the document."""
    return [int(p) if p.isdigit() else p for p in re.split(r"[.\[\]]+", field) if p]


def _compiled(ref: MockRef, checked: Checked, issues: Issues) -> CompiledMock:
    m = ref.mock
    built = build(m, binding_response=ref.response_override)
    if built.error is not None:
        where = (*ref.path, *_field_path(built.error.field))
        if built.error_slug == "unsupported_mtls":  # literal slugs: docs/gen_reference.py reads them
            issues.error(built.error.message, "unsupported_mtls", where, doc=ref.doc)
        else:
            issues.error(built.error.message, "invalid_protocol_mock", where, doc=ref.doc)
    if built.reason is not None:
        issues.warning(
            f"mock '{m.id}' is kept but not served: {built.reason}", "unsupported_mock", ref.path, doc=ref.doc
        )
    action = built.action
    if action["kind"] == "protocol":
        problem = registry.check_files(action, os.path.dirname(os.path.abspath(checked.document.path)))
        if problem is not None:
            where = (*ref.path, *_field_path(problem.field))
            issues.error(problem.message, "invalid_protocol_mock", where, doc=ref.doc)
    if action["kind"] == "response":
        body_file = action["response"]["bodyFile"]
        if body_file and not action["response"]["body"]:
            base = os.path.dirname(os.path.abspath(checked.document.path))
            http = ref.path if ref.legacy else (*ref.path, "http")
            try:
                mode: int | None = os.stat(os.path.join(base, body_file)).st_mode
            except OSError:
                mode = None
            if mode is not None and not stat.S_ISREG(mode):
                # issue 12: a device (/dev/zero) or FIFO would be read per request until memory runs out or
                # block for ever; a directory can never be read. Refused here, where the file is named.
                issues.error(
                    f"bodyFile '{body_file}' is not a regular file "
                    "(devices, pipes and directories are refused)",
                    "body_file_not_regular",
                    (*http, "response", "bodyFile"),
                    doc=ref.doc,
                )
            elif mode is None:
                issues.warning(
                    f"bodyFile '{body_file}' does not exist yet: requests to '{m.id}' get 502 until it does",
                    "missing_body_file",
                    (*http, "response", "bodyFile"),
                    doc=ref.doc,
                )
    return {
        "mock": go_mock_dict(m),
        "source": ref.doc,
        "enabled": m.enabled is not False,
        "route": built.route,
        "action": action,
    }


def _warn_shadowed(
    mocks: list[CompiledMock], refs: list[MockRef], by_doc: dict[int, Checked], issues: Issues
) -> None:
    """A mock whose criteria equal an earlier enabled mock's, with equal or lower priority, can never win
    (same score on every request, then priority, then definition order: D3)."""
    best: dict[tuple[Any, ...], int] = {}  # criteria -> index of the earlier mock with the highest priority
    for n, compiled in enumerate(mocks):
        route = compiled["route"]
        if route is None or not compiled["enabled"]:
            continue
        key = criteria_key(route)
        earlier = best.get(key)
        if earlier is None:
            best[key] = n
            continue
        other = mocks[earlier]["route"]
        assert other is not None
        if other["priority"] >= route["priority"]:
            ref, other_ref = refs[n], refs[earlier]
            relation = "equal" if other["priority"] == route["priority"] else "higher"
            issues.warning(
                f"mock '{route['id']}' can never match: '{other['id']}' at "
                f"{_where(by_doc[other_ref.doc], other_ref.path)} has the same criteria and {relation} "
                "priority",
                "shadowed_mock",
                ref.path,
                doc=ref.doc,
            )
        else:
            best[key] = n


def _warn_unknown_tables(
    mocks: list[CompiledMock], refs: list[MockRef], names: set[str], issues: Issues
) -> None:
    for compiled, ref in zip(mocks, refs, strict=True):
        action = compiled["action"]
        if action["kind"] == "binding" and action["table"] not in names:
            issues.warning(
                f"mock '{ref.mock.id}' is bound to table \"{action['table']}\", which is not defined: "
                "its requests get 404 table not found",
                "unknown_table",
                ref.path,
                doc=ref.doc,
            )


# ------------------------------------------------------------------------------------------- admin API


def _parse_admin(
    data: bytes | str | dict[str, Any],
) -> tuple[Any, PosNode | None, str, Literal["json", "dict"]]:
    if isinstance(data, dict):
        return data, None, "", "dict"
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    try:
        value, positions = jsonscan.scan(text, allow_trailing=True)  # json.Decoder.Decode reads one value
    except jsonscan.JsonSyntaxError:
        raise MockValidationError("", "Invalid JSON in request body", "invalid_json") from None
    return value, positions.root, text, "json"


def _first_error(issues: Issues) -> Issue | None:
    errors = issues.errors
    return errors[0] if errors else None


def compile_mock(
    data: bytes | str | dict[str, Any],
    *,
    id_style: IdStyle,
    source: int = -1,
    require_type: bool | None = None,
    mock_id: str | None = None,
) -> CompiledMock:
    """Compile one mock sent to the admin API (POST/PUT/PATCH bodies; `bytes` keep raw JSON body text).

    Raises `MockValidationError` with Go's admin answers: slug `invalid_json` ("Invalid JSON in request
    body") when the body is not JSON or has a wrong type somewhere, `missing_type` ("type is required") when
    `type` is missing and the body is not the legacy shape, `validation_error` with `validation error on
    <field>: <message>` for the first failed check. `require_type` defaults to True for `id_style="admin"`
    (POST /mocks); with False the type is inferred as the config loader does (PUT: Go stores an untyped mock
    that never matches; inferring is the useful reading). `mock_id` overrides the body's id (PUT
    /mocks/{id}: the path wins) without re-encoding raw bytes.
    """
    value, root, text, fmt = _parse_admin(data)
    if not isinstance(value, dict):
        raise MockValidationError("", "Invalid JSON in request body", "invalid_json")
    issues = Issues()
    ctx = Context(fmt, issues, 0, text)
    cleaned = prepare(Mock, value, root, ctx)
    legacy = () in ctx.legacy_paths
    m = validate(Mock, cleaned, (), issues, legacy=legacy)
    if m is None or issues.errors:
        raise MockValidationError("", "Invalid JSON in request body", "invalid_json")
    if require_type is None:
        require_type = id_style == "admin"
    if not m.type:
        if require_type:
            raise MockValidationError("", "type is required", "missing_type")
        m.type = infer_type(m)
    if mock_id is not None:
        m.id = mock_id
    if not m.id:
        m.id = generate_id(m.type, id_style)
    validate_mock(m, issues, (), legacy=legacy)
    first = _first_error(issues)
    if first is not None:
        raise MockValidationError(first.go_field, first.message, "validation_error")
    built = build(m)
    if built.error is not None:
        raise MockValidationError(built.error.field, built.error.message, "validation_error")
    return {
        "mock": go_mock_dict(m),
        "source": source,
        "enabled": m.enabled is not False,
        "route": built.route,
        "action": built.action,
    }


def compile_operation(data: bytes | str | dict[str, Any]) -> dict[str, Any]:
    """A custom operation sent to `POST /state/operations` (reference §4.8, §5.5), as the config keeps it.

    Raises `MockValidationError`: `invalid_json` for a malformed body or one that is not an object,
    `validation_error` "Operation name is required" (the admin checks `name` in the raw object, as Go does),
    `registration_failed` for what the Go engine then refuses (a mistyped field, no steps, an unsupported
    consistency mode).
    """
    value, root, text, fmt = _parse_admin(data)
    if value is not None and not isinstance(value, dict):
        raise MockValidationError("", "Invalid JSON in request body", "invalid_json")
    if not isinstance(value, dict) or not isinstance(value.get("name"), str) or not value["name"]:
        raise MockValidationError("", "Operation name is required", "validation_error")
    issues = Issues()
    ctx = Context(fmt, issues, 0, text)
    cleaned = prepare(CustomOperation, value, root, ctx)
    op = validate(CustomOperation, cleaned, (), issues)
    if op is None or issues.errors:
        first = _first_error(issues)
        raise MockValidationError("", first.message if first else "invalid operation", "registration_failed")
    if not op.steps:
        raise MockValidationError("", "operation must have at least one step", "registration_failed")
    if op.consistency.strip() not in ("", "best_effort", "atomic"):
        message = f"unsupported consistency mode {op.consistency!r} (valid: best_effort, atomic)"
        raise MockValidationError("", message, "registration_failed")
    return op.model_dump(by_alias=True, exclude_unset=True)


def compile_resource(data: bytes | str | dict[str, Any]) -> ResourceSpec:
    """A stateful resource sent to `POST /state/resources` (admin shape of reference §5.5).

    Raises `MockValidationError`: `invalid_json` for a malformed body, `validation_error` "resource name is
    required", `registration_failed` for what the Go tool rejects at registration (duplicate seed ids, a
    legacy `basePath` not starting with `/`), with the reason as message.
    """
    value, root, text, fmt = _parse_admin(data)
    if not isinstance(value, dict):
        raise MockValidationError("", "Invalid JSON in request body", "invalid_json")
    issues = Issues()
    ctx = Context(fmt, issues, 0, text)
    cleaned = prepare(StatefulResourceConfig, value, root, ctx)
    cfg = validate(StatefulResourceConfig, cleaned, (), issues)
    if cfg is None or issues.errors:
        raise MockValidationError("", "Invalid JSON in request body", "invalid_json")
    if not cfg.name:
        raise MockValidationError("", "resource name is required", "validation_error")
    spec = resource_from_config(cfg, (), issues, source=-1)
    first = _first_error(issues)
    if first is not None:
        raise MockValidationError("", first.message, "registration_failed")
    return spec
