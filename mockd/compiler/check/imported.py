"""`imports:` entries: each file converted by `mockd.imports`, its mocks checked like the file's own.

Imported mocks follow the file's own mocks (the Go tool's order, imports-exports §1.2), so `extend` and the
"later wins" indexes see them last. Their document path is `imports[i].mocks[k]`: a problem in one is
positioned at the import entry and names the mock inside it. A file that cannot be converted is one error
naming the file and the JSON pointer of what is wrong in it.
"""

from __future__ import annotations

import os

from mockd.compiler.build.ids import generate_id, infer_type
from mockd.compiler.check.mock_rules import validate_mock
from mockd.compiler.check.typecheck import validate
from mockd.compiler.decode.coerce import Context, prepare
from mockd.compiler.decode.load import Document
from mockd.compiler.issues import Issues
from mockd.compiler.models import ImportEntry, Mock
from mockd.gocompat.positions import Path
from mockd.imports import ImportFailure, load_import


def check_imports(
    entries: list[tuple[int, ImportEntry]], document: Document, index: int, issues: Issues
) -> tuple[list[tuple[Path, Mock, bool]], list[str]]:
    """The imported mocks, and the `as` namespaces of imports that failed ("" for one without `as`): the
    caller drops `extend` entries that could only have pointed into those, instead of adding one
    "mock not found" per binding under the import's own error."""
    base_dir = os.path.dirname(document.path)  # relative stays relative in messages, as Go's filepath.Join
    seed_dir = os.path.abspath(base_dir)
    out: list[tuple[Path, Mock, bool]] = []
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
            )
        except ImportFailure as exc:
            message = exc.message if exc.message.startswith("import ") else f"import {ref}: {exc.message}"
            if exc.file or exc.pointer:
                message += f" (at {exc.file}{'#' + exc.pointer if exc.pointer else ''})"
            issues.error(message, exc.slug, ("imports", i), doc=index)
            failed.append(entry.as_)
            continue
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
    return out, failed
