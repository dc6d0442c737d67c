"""Expression failures, written as expr-lang writes them (its `file.Error`): the message, the position as
`(line:column)`, and the source line with a caret under the column, e.g.

    unknown name balanse (1:8)
     | source.balanse - 1
     | .......^

Custom operations wrap these as `compile "<expr>": …` (parse and name errors, found before running) or
`eval "<expr>": …` (failures while running), which is what reaches the client (reference §4.8).
"""

from __future__ import annotations

from mockd.gocompat.quote import go_quote


class ExprError(Exception):
    """A failure at code-point offset `pos` of the source (-1: no position)."""

    phase = "eval"

    def __init__(self, message: str, pos: int = -1) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos

    def located(self, source: str) -> str:
        """The message with expr-lang's position and snippet (none when the line is empty)."""
        if self.pos < 0:
            return self.message
        line_start = source.rfind("\n", 0, self.pos) + 1
        line_no = source.count("\n", 0, self.pos) + 1
        column = self.pos - line_start
        line_end = source.find("\n", line_start)
        line = source[line_start : line_end if line_end >= 0 else len(source)]
        if not line:
            return self.message
        snippet = "\n | " + line.replace("\t", " ") + "\n | " + "." * column + "^"
        return f"{self.message} ({line_no}:{column + 1}){snippet}"

    def go_message(self, source: str) -> str:
        """`compile "<src>": …` or `eval "<src>": …`, as the Go executor wraps it."""
        return f"{self.phase} {go_quote(source)}: {self.located(source)}"


class ExprSyntaxError(ExprError):
    """The source does not parse."""

    phase = "compile"


class ExprCompileError(ExprError):
    """The source parses but cannot run against this environment (an unknown name, a wrong arity)."""

    phase = "compile"
