"""`mockd compile --explain`: the matcher's indexes drawn as trees, so a user can see why a route wins.

The Rust matcher reports where each candidate list sits (`Matcher.layout`); this module only draws it
(style: Rust returns data, Python writes the prose). A request is answered by the first candidate, in score
order, across the lists it reaches: the exact path's list, the `{param}` leaves its segments lead to, the
wildcard nodes along its leading segments, and the "always" list. Showing the lists with their full scores
makes precedence visible without reading the reference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mockd._native import Matcher
from mockd.plan.model import CompiledPlan, RouteSpec
from mockd.plan.resources import legacy_routes

# Section headings, in the order the indexes are listed; each says what a request pays to reach it.
_SECTIONS = {
    "exact": "exact paths (one hash lookup per request)",
    "params": "{param} routes (one walk along the request's segments)",
    "strict": "legacy basePath routes (strict segments, no trailing slash)",
    "wildcards": "wildcard routes (found by the literal segments before the first *, then checked)",
    "always": "tried for every request (pathPattern, or no path)",
}


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    candidates: list[tuple[int, int]] = field(default_factory=list)


def plan_routes(plan: CompiledPlan) -> list[RouteSpec]:
    """The route list the runtime builds its matcher from at start-up: enabled HTTP mocks in plan order,
    then the legacy resources' generated routes."""
    routes = [m["route"] for m in plan["mocks"] if m["enabled"] and m["route"] is not None]
    return routes + [spec for spec, _ in legacy_routes(plan["resources"])]


def explain(plan: CompiledPlan) -> list[str]:
    """The layout of the matcher `plan` starts with, as lines of text (no trailing newline)."""
    routes = plan_routes(plan)
    layout = Matcher(routes).layout()
    generated = sum(1 for r in routes if r["tier"] == 1)
    lines = [
        f"matcher: {len(routes)} routes ({len(routes) - generated} from mocks, {generated} generated"
        " by legacy basePath resources)",
        "Each list is in precedence order; the score is what the route scores when reached that way.",
        "A request takes the best candidate, across every list it reaches, whose other checks pass.",
    ]
    for index, heading in _SECTIONS.items():
        entries = [(key, cands) for name, key, cands in layout if name == index]
        if not entries:
            continue
        lines += ["", heading]
        if index == "exact":
            lines += _flat(entries, routes)
        elif index == "always":
            lines += _candidates(entries[0][1], routes, "    ", show_path=True)
        else:
            lines += _tree(entries, routes, drop_root_slash=index == "strict")
    if not routes:
        lines += ["", "(no HTTP routes)"]
    return lines


_Entries = Iterable[tuple[tuple[str, ...], list[tuple[int, int]]]]


def _flat(entries: _Entries, routes: Sequence[RouteSpec]) -> list[str]:
    """The exact map: one line per path, whose candidates need not repeat it."""
    items = list(entries)
    out: list[str] = []
    for i, (key, cands) in enumerate(items):
        last = i == len(items) - 1
        out.append(("└── " if last else "├── ") + key[0])
        out += _candidates(cands, routes, "    " if last else "│   ", show_path=False)
    return out


def _tree(entries: _Entries, routes: Sequence[RouteSpec], *, drop_root_slash: bool) -> list[str]:
    root = _Node()
    for key, cands in entries:
        labels = key[1:] if drop_root_slash and key[:1] == ("",) else key
        node = root
        for label in labels:
            node = node.children.setdefault(label, _Node())
        node.candidates = cands
    out = _candidates(root.candidates, routes, "", show_path=True)
    out += _children(root, routes, "")
    return out


def _children(node: _Node, routes: Sequence[RouteSpec], indent: str) -> list[str]:
    out: list[str] = []
    items = list(node.children.items())
    for i, (label, child) in enumerate(items):
        last = i == len(items) - 1
        out.append(indent + ("└── " if last else "├── ") + "/" + label)
        deeper = indent + ("    " if last else "│   ")
        out += _candidates(child.candidates, routes, deeper, show_path=True)
        out += _children(child, routes, deeper)
    return out


def _candidates(
    cands: Sequence[tuple[int, int]], routes: Sequence[RouteSpec], indent: str, *, show_path: bool
) -> list[str]:
    return [indent + "  " + _describe(index, score, routes[index], show_path) for index, score in cands]


def _describe(index: int, score: int, route: RouteSpec, show_path: bool) -> str:
    """`#3 GET get-user "One user" /api/users/{id}  score 22, priority 5, +header authorization`."""
    parts = [f"#{index}", route["method"] or "any-method", route["id"]]
    if route["name"]:
        parts.append(f'"{route["name"]}"')
    if show_path:
        if route["path"] is not None:
            parts.append(route["path"])
        else:
            parts.append(f"pathPattern {route['pathPattern']}" if route["pathPattern"] else "(any path)")
    facts = [f"score {score}"]
    if route["priority"]:
        facts.append(f"priority {route['priority']}")
    facts += [f"+header {name.lower()}" for name, _ in route["headers"]]
    facts += [f"+query {name}" for name, _ in route["query"]]
    body = [
        k
        for k, present in (
            ("equals", route["bodyEquals"] is not None),
            ("contains", route["bodyContains"] is not None),
            ("pattern", route["bodyPattern"] is not None),
            ("jsonPath", bool(route["bodyJsonPath"])),
        )
        if present
    ]
    facts += [f"+body {k}" for k in body]
    return " ".join(parts) + "  " + ", ".join(facts)
