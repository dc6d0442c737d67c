"""The one error an importer raises: which file, where in it (a JSON pointer), what was expected."""

from __future__ import annotations

from mockd.errors import MockdError


class ImportFailure(MockdError):
    """A file could not be converted. `message` reads like the Go tool's (`openapi: ...`); `pointer` is the
    JSON pointer of the offending value inside `file` (`/paths/~1pets/get`), empty when it is the file."""

    def __init__(
        self, message: str, *, file: str = "", pointer: str = "", slug: str = "import_failed"
    ) -> None:
        self.message = message
        self.file = file
        self.pointer = pointer
        self.slug = slug
        super().__init__(self.render())

    def render(self) -> str:
        where = self.file + (f"#{self.pointer}" if self.pointer else "")
        return f"{where}: {self.message}" if where else self.message


def pointer(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """RFC 6901: `("paths", "/pets", "get")` -> `/paths/~1pets/get`."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
