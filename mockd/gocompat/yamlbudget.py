"""How much work a YAML document's aliases would make, decided from the parser's events before any expansion.

PyYAML's composer shares one node between an anchor and its aliases, so composing a "billion laughs"
document is cheap; it is our conversion to plain data (and everything after it) that expands every alias.
A 382-byte file of 7 levels of 9 aliases expands to millions of nodes. The Go tool's YAML library counts,
while decoding, how many nodes come from alias expansion and stops with `document contains excessive
aliasing` once they are most of the work (gopkg.in/yaml.v3 `allowedAliasRatio`). We apply the same rule,
but on sizes computed from the event stream: each anchored node's expanded size is known when it ends, so an
alias adds that size at once, and the first alias that tips the ratio is reported at its own position.

Checking at each alias is equivalent to go-yaml's per-node check: within one alias the aliased share only
grows and the allowed share only shrinks, so the ratio is exceeded at the alias's end if it is anywhere.

The same pass refuses an alias to an anchor that is still open (`&a [*a]`: yaml.v3 says `anchor 'a' value
contains itself`), which would otherwise expand forever.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml  # type: ignore[import-untyped]
from yaml.events import (  # type: ignore[import-untyped]
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    ScalarEvent,
)

try:
    _Parser: type = yaml.CParser
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.SafeLoader

EXCESSIVE = "document contains excessive aliasing"
# go-yaml: up to 400,000 decoded nodes, 99% may come from aliases; from 4,000,000 on, 10%; linear between.
_RATIO_LOW = 400_000
_RATIO_HIGH = 4_000_000


def allowed_alias_ratio(decoded: int) -> float:
    if decoded <= _RATIO_LOW:
        return 0.99
    if decoded >= _RATIO_HIGH:
        return 0.10
    return 0.99 - 0.89 * (decoded - _RATIO_LOW) / (_RATIO_HIGH - _RATIO_LOW)


def excessive(aliased: int, decoded: int) -> bool:
    """go-yaml's test: only past 100 aliased of 1000 decoded nodes, then by the allowed ratio."""
    return aliased > 100 and decoded > 1000 and aliased / decoded > allowed_alias_ratio(decoded)


@dataclass(frozen=True, slots=True)
class AliasProblem:
    message: str
    line: int  # 0-based, as PyYAML marks are
    column: int


def may_have_aliases(text: str) -> bool:
    """A cheap pre-test: a document without both `&` and `*` has no anchor or no alias."""
    return "&" in text and "*" in text


def check(text: str) -> AliasProblem | None:
    """The first alias that is recursive or makes the first document's expansion excessive, else None.

    Syntax errors are left to the composer (which reports them with their position): this pass stops
    quietly at the first one.
    """
    parser: Any = _Parser(text)
    sizes: dict[str, int] = {}  # anchor -> nodes it expands to (aliases inside it included)
    stack: list[list[Any]] = []  # open collections: [anchor, nodes so far]
    decoded = aliased = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, DocumentEndEvent):
                break  # yaml.v3, like our composer, reads only the first document
            if isinstance(event, CollectionStartEvent):
                stack.append([event.anchor, 1])
                decoded += 1
                continue
            if isinstance(event, ScalarEvent):
                size = 1
                decoded += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, CollectionEndEvent):
                anchor, size = stack.pop()
                if anchor is not None:
                    sizes[anchor] = size
            elif isinstance(event, AliasEvent):
                mark = event.start_mark
                if any(frame[0] == event.anchor for frame in stack):
                    message = f"anchor '{event.anchor}' value contains itself"
                    return AliasProblem(message, mark.line, mark.column)
                expanded = sizes.get(event.anchor)
                if expanded is None:
                    return None  # an unknown anchor: the composer's error says which
                size = 1 + expanded  # go-yaml counts the alias node itself, unaliased, then its target
                decoded += size
                aliased += expanded
                if excessive(aliased, decoded):
                    return AliasProblem(EXCESSIVE, mark.line, mark.column)
            else:
                continue
            if stack:
                stack[-1][1] += size
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return None
