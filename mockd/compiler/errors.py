"""The compiler's errors, saying which side failed: your files (`ConfigError`) or one mock sent to the admin
API (`MockValidationError`); a plan from elsewhere is `mockd.plan.io.PlanError`.
None of them inherit from the CLI library: the CLI maps them to exit codes, the admin API to status codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mockd.errors import MockdError

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in a config file, positioned so an editor can jump to it.

    `message` is the Go tool's text where it has one (reference §2.5), so the admin API and the CLI agree.
    """

    message: str
    slug: str  # stable snake_case code, e.g. "invalid_path", "duplicate_id", "unknown_key"
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    loc: str = ""  # field path in the document, e.g. "mocks[2].http.matcher.path"
    severity: Severity = "error"

    def render(self) -> str:
        """`mocks.yaml:14:9: mocks[2].http.matcher.path: path must start with /` (missing parts left out)."""
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
        parts = [p for p in (where, self.loc) if p]
        prefix = "warning: " if self.severity == "warning" else ""
        return ": ".join([*parts, prefix + self.message])


class ConfigError(MockdError):
    """The config files cannot be loaded; carries every error found, not just the first."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.render() for d in diagnostics))


class MockValidationError(MockdError):
    """One mock failed validation; `field`/`message` compose the Go tool's `validation error on …` text."""

    def __init__(self, field: str, message: str, slug: str = "validation_error") -> None:
        self.field = field
        self.message = message
        self.slug = slug
        super().__init__(self.go_message())

    def go_message(self) -> str:
        return f"validation error on {self.field}: {self.message}" if self.field else self.message
