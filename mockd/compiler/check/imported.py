"""`imports:` entries: each file converted by `mockd.imports`, its mocks checked like the file's own, and the
file's own mocks on an imported operation's route checked against what the spec promises (warnings).

Imported mocks follow the file's own mocks (the Go tool's order, imports-exports §1.2), so `extend` and the
"later wins" indexes see them last. Their document path is `imports[i].mocks[k]`: a problem in one is
positioned at the import entry and names the mock inside it. A file that cannot be converted is one error
naming the file and the JSON pointer of what is wrong in it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable

from mockd.compiler.build.ids import generate_id, infer_type
from mockd.compiler.check.mock_rules import validate_mock
from mockd.compiler.check.typecheck import validate
from mockd.compiler.decode.coerce import Context, prepare
from mockd.compiler.decode.load import Document
from mockd.compiler.issues import Issues
from mockd.compiler.models import ImportEntry, Mock
from mockd.gocompat.positions import Path
from mockd.imports import ImportFailure, load_import
from mockd.imports.model import Contract
from mockd.validation.schema import Schema, SchemaCompileError


def check_imports(
    entries: list[tuple[int, ImportEntry]],
    document: Document,
    index: int,
    issues: Issues,
    own: list[tuple[Path, Mock, bool]],
) -> tuple[list[tuple[Path, Mock, bool]], list[str]]:
    """The imported mocks, and the `as` namespaces of imports that failed ("" for one without `as`): the
    caller drops `extend` entries that could only have pointed into those, instead of adding one
    "mock not found" per binding under the import's own error."""
    base_dir = os.path.dirname(document.path)  # relative stays relative in messages, as Go's filepath.Join
    seed_dir = os.path.abspath(base_dir)
    out: list[tuple[Path, Mock, bool]] = []
    contracts: list[tuple[str, Callable[[str, str], Contract | None]]] = []
    failed: list[str] = []
    seen: set[str] = set()
    for i, entry in entries:
        ref = entry.path or entry.url
        try:
            converted = load_import(
                path=entry.path,
                url=entry.url,
                as_=entry.as_,
                fmt=entry.format,
                base_dir=base_dir,
                seed=entry.seed,
                example=entry.example,
                validate=entry.validate_,
                prefix=entry.prefix,
            )
        except ImportFailure as exc:
            message = exc.message if exc.message.startswith("import ") else f"import {ref}: {exc.message}"
            if exc.file or exc.pointer:
                message += f" (at {exc.file}{'#' + exc.pointer if exc.pointer else ''})"
            issues.error(message, exc.slug, ("imports", i), doc=index)
            failed.append(entry.as_)
            continue
        if converted.contract is not None:
            contracts.append((ref, converted.contract))
        for warning in converted.warnings:
            issues.warning(f"import {ref}: {warning}", "import_warning", ("imports", i), doc=index)
        ctx = Context("dict", issues, index, "")
        for k, raw in enumerate(converted.mocks):
            path: Path = ("imports", i, "mocks", k)
            m = validate(Mock, prepare(Mock, raw, None, ctx, path=path), path, issues, doc=index)
            if m is None:
                continue
            if not m.type:
                m.type = infer_type(m)
            if m.id in seen:  # Postman and HAR files all number their mocks imported-1, imported-2, ...
                renamed = generate_id(m.type, "config", seed=f"{seed_dir}#{ref}#{k}")
                issues.warning(
                    f"import {ref}: mock id {m.id!r} is already taken by an earlier import: "
                    f"renamed {renamed!r}",
                    "import_id_renamed",
                    path,
                    doc=index,
                )
                m.id = renamed
            if not m.id:
                m.id = generate_id(m.type, "config", seed=f"{seed_dir}#{ref}#{k}")
            seen.add(m.id)
            validate_mock(m, issues, path, doc=index)
            out.append((path, m, False))
    for path, m, legacy in own if contracts else ():
        _check_against_spec(m, path, legacy, contracts, issues, index)
    return out, failed


def _check_against_spec(
    m: Mock,
    path: Path,
    legacy: bool,
    contracts: list[tuple[str, Callable[[str, str], Contract | None]]],
    issues: Issues,
    index: int,
) -> None:
    """Warn where a hand-written mock on an imported operation's route answers what the spec does not
    promise: a status it does not list, a content type it does not offer, a JSON body its schema refuses."""
    http = m.http
    if http is None or http.matcher is None or http.response is None or not http.matcher.path:
        return
    method, route = http.matcher.method.upper(), http.matcher.path
    for ref, contract_of in contracts:
        contract = contract_of(method, route)
        if contract is None:
            continue
        at: Path = (*path, "response") if legacy else (*path, "http", "response")
        what = f"mock '{m.id}' ({method} {route}) does not match {ref}"
        status = str(http.response.statusCode or 200)
        declared = next(
            (k for k in (status, f"{status[0]}XX", f"{status[0]}xx", "default") if k in contract), None
        )
        if declared is None:
            issues.warning(
                f"{what}: status {status} is not one of its responses ({', '.join(contract)})",
                "spec_status_mismatch",
                (*at, "statusCode"),
                doc=index,
            )
            return
        media = contract[declared]
        headers = {k.lower(): v for k, v in (http.response.headers or {}).items()}
        given = headers.get("content-type", "").split(";")[0].strip().lower()
        offered = {k.split(";")[0].strip().lower(): v for k, v in media.items()}
        if given and offered and given not in offered and "*/*" not in offered:
            issues.warning(
                f"{what}: content type {given} is not one of {', '.join(offered)} for status {status}",
                "spec_content_type_mismatch",
                (*at, "headers"),
                doc=index,
            )
            return
        schema = offered.get(given) if given else next(iter(offered.values()), None)
        body = http.response.body
        if schema is None or not body:
            return
        try:
            value = json.loads(body)
        except ValueError:
            return  # a templated or non-JSON body: nothing to compare
        try:
            leaves = Schema(schema).validate(value)
        except SchemaCompileError:
            return
        for field, message in leaves[:3]:
            issues.warning(
                f"{what}: body{'.' + field if field else ''}: {message}",
                "spec_body_mismatch",
                (*at, "body"),
                doc=index,
            )
        return
