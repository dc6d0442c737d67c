"""Go's `text/tabwriter` as the Go CLI uses it (`NewWriter(os.Stdout, 0, 0, 2, ' ', 0)`): every column but
the last is padded to its widest cell plus two spaces, so scripts that cut columns by position keep working.
"""

from __future__ import annotations

from collections.abc import Sequence

import typer


def render(rows: Sequence[Sequence[str]]) -> list[str]:
    """Aligned lines (no trailing newline). Widths count characters, as tabwriter counts runes."""
    if not rows:
        return []
    columns = max(len(r) for r in rows)
    widths = [0] * columns
    for row in rows:
        for i, cell in enumerate(row[:-1]):  # the last cell of a line is not part of a column
            widths[i] = max(widths[i], len(cell))
    out = []
    for row in rows:
        cells = [cell.ljust(widths[i] + 2) for i, cell in enumerate(row[:-1])]
        out.append("".join(cells) + (row[-1] if row else ""))
    return out


def echo(rows: Sequence[Sequence[str]]) -> None:
    for line in render(rows):
        typer.echo(line)
