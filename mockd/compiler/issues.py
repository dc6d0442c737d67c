"""Problems found while compiling, before they are tied to a file: what, where in the document, how bad.

Every stage (prepare, validate, normalise, routes) reports `Issue`s against document paths; `Issues.render`
turns them into positioned `Diagnostic`s once the document is known, and the admin API turns the first error
into a `MockValidationError` with the Go tool's `validation error on <field>: <message>` text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mockd.compiler.errors import Diagnostic, Severity
from mockd.gocompat.positions import Path, PosTree, render_path


@dataclass(frozen=True, slots=True)
class Issue:
    message: str
    slug: str
    path: Path  # where in the document (positions come from here)
    severity: Severity = "error"
    go_field: str = ""  # the Go tool's field name for this check, e.g. "matcher.path" (admin messages)
    at_key: bool = False  # point at the key rather than the value (unknown keys, map entries)
    doc: int = 0  # which document of a multi-file compile


@dataclass
class Issues:
    """An ordered collection of issues for one compile."""

    items: list[Issue] = field(default_factory=list)

    def error(
        self, message: str, slug: str, path: Path, *, go_field: str = "", at_key: bool = False, doc: int = 0
    ) -> None:
        self.items.append(Issue(message, slug, path, "error", go_field, at_key, doc))

    def warning(self, message: str, slug: str, path: Path, *, at_key: bool = False, doc: int = 0) -> None:
        self.items.append(Issue(message, slug, path, "warning", "", at_key, doc))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.items if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.items if i.severity == "warning"]


def render(issue: Issue, file: str | None, positions: PosTree | None) -> Diagnostic:
    """A positioned diagnostic: `file:line:col: mocks[2].http.matcher.path: path must start with /`."""
    line = column = None
    if positions is not None and issue.path is not None:
        where = positions.where(issue.path, at_key=issue.at_key)
        if where is not None:
            line, column = where.line, where.column
    return Diagnostic(
        message=issue.message,
        slug=issue.slug,
        file=file,
        line=line,
        column=column,
        loc=render_path(issue.path),
        severity=issue.severity,
    )
