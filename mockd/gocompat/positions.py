"""Where each value of a parsed config document sits in its file, so every diagnostic can say `file:line:col`.

Both parsers (`jsonscan` for JSON, `yamlscan` for YAML) produce the plain data *and* a `PosNode` tree of the
same shape: a mapping's node has a child per key, a sequence's node a child per item. Positions are character
offsets into the (environment-expanded) text; line and column are computed only when a diagnostic needs them,
because most documents produce none and a 10,000-mock file has a few hundred thousand values.

Paths are tuples of keys and indexes, e.g. `("mocks", 2, "http", "matcher", "path")`; `render_path` turns them
into the `mocks[2].http.matcher.path` form used in messages.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

Path = tuple[str | int, ...]

_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*\Z")


class PosNode:
    """One value's span (`start`..`end` offsets) and, for a mapping member, where its key starts.

    `text` is the YAML scalar's literal text when its decoded value is not a string: the Go YAML decoder
    puts that literal text into string-typed fields (`version: 1.0` is the string "1.0").
    """

    __slots__ = ("children", "end", "key_start", "start", "text")

    def __init__(self, start: int, end: int, key_start: int | None = None) -> None:
        self.start = start
        self.end = end
        self.key_start = key_start
        self.children: dict[str, PosNode] | list[PosNode] | None = None
        self.text: str | None = None

    def child(self, key: str | int) -> PosNode | None:
        """The member `key` (exact, then case-insensitive as Go's JSON decoder matches keys) or item `key`."""
        children = self.children
        if isinstance(children, dict) and isinstance(key, str):
            found = children.get(key)
            if found is None:
                folded = key.casefold()
                for name, node in children.items():
                    if name.casefold() == folded:
                        found = node
            return found
        if isinstance(children, list) and isinstance(key, int) and 0 <= key < len(children):
            return children[key]
        return None


class LineIndex:
    """Offset -> 1-based (line, column) for one text, by binary search over line starts."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """Inverse of `line_col` for 0-based line and column (as PyYAML marks give them)."""
        return self._starts[line] + column if line < len(self._starts) else self._starts[-1] + column


@dataclass(frozen=True, slots=True)
class Where:
    line: int
    column: int


class PosTree:
    """The position tree of one document plus the text it points into."""

    __slots__ = ("_index", "root", "text")

    def __init__(self, root: PosNode | None, text: str) -> None:
        self.root = root
        self.text = text
        self._index: LineIndex | None = None

    def node(self, path: Path) -> PosNode | None:
        """The node at `path`, or None if any step is missing."""
        node = self.root
        for key in path:
            if node is None:
                return None
            node = node.child(key)
        return node

    def nearest(self, path: Path) -> tuple[PosNode | None, bool]:
        """The node at `path`, else its closest existing ancestor; the flag says whether it is exact.

        A "matcher is required" error has no matcher to point at, so it points at the mock's `http:`.
        """
        node = self.root
        for key in path:
            if node is None:
                break
            nxt = node.child(key)
            if nxt is None:
                return node, False
            node = nxt
        return node, node is not None

    def where(self, path: Path, *, at_key: bool = False) -> Where | None:
        """Line and column of the value at `path` (of its key with `at_key`), else of the nearest ancestor."""
        node, exact = self.nearest(path)
        if node is None:
            return None
        offset = node.key_start if (at_key or not exact) and node.key_start is not None else node.start
        line, column = self.line_col(offset)
        return Where(line, column)

    def line_col(self, offset: int) -> tuple[int, int]:
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index.line_col(offset)

    def raw(self, path: Path) -> str | None:
        """The exact source text of the value at `path` (JSON bodies keep their original spelling)."""
        node = self.node(path)
        return None if node is None else self.text[node.start : node.end]

    def scalar_text(self, path: Path) -> str | None:
        node = self.node(path)
        return None if node is None else node.text


def render_path(path: Sequence[str | int]) -> str:
    """`("mocks", 2, "http", "matcher", "path")` -> `mocks[2].http.matcher.path`.

    Keys that are not plain identifiers (header names with spaces, JSONPath expressions) are quoted:
    `matcher.bodyJsonPath["$.items[0]"]`.
    """
    out: list[str] = []
    for key in path:
        if isinstance(key, int):
            out.append(f"[{key}]")
        elif _IDENT.match(key) and not key.startswith("$"):
            out.append(f".{key}" if out else key)
        else:
            out.append(f"[{json.dumps(key, ensure_ascii=False)}]")  # escapes control characters too
    return "".join(out)
