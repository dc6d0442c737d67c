"""An immutable route table: the Rust matcher plus what each of its routes does.

A request reads `store.table` once and uses that snapshot to the end, so a table swapped in by the admin API
mid-request never mixes with the old one: each request is answered wholly by the table it started with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from mockd._native import HitCounts, Matcher
from mockd.plan.model import RouteSpec
from mockd.runtime.targets import Target


@dataclass(frozen=True, slots=True)
class RouteInfo:
    """Per-route facts for cold paths (near-miss reports, listings)."""

    mock_id: str
    name: str | None


@dataclass(frozen=True, slots=True)
class RouteTable:
    matcher: Matcher
    targets: tuple[Target, ...]  # parallel to the matcher's routes: index -> what to do
    infos: tuple[RouteInfo, ...]
    header_names: tuple[str, ...]  # values the matcher wants, read one by one from the request
    # Per route: its responder renders path captures, so the hot path asks `Matcher.captures` for them. Other
    # routes skip that second call into Rust.
    capturing: tuple[bool, ...]
    mock_count: int  # all mocks in the store (any type, enabled or not): /__mockd/ready reports it
    # WebSocket upgrades: exact path -> target (protocols-reference §0.2); the last mock with a path wins.
    upgrades: dict[str, Target] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        specs: Sequence[RouteSpec],
        targets: Sequence[Target],
        infos: Sequence[RouteInfo],
        mock_count: int,
        upgrades: dict[str, Target] | None = None,
        hits: HitCounts | None = None,
    ) -> RouteTable:
        """Build the matcher from parallel route lists (index i of each describes route i).

        With `hits` (the journal's metrics), the matcher counts the requests of every route the hot path
        answers from its `static` triple as is (not delayed), and the hot path logs those without counting
        them again; other routes' requests are counted by `Journal.record`."""
        statuses = None
        if hits is not None:
            statuses = [t.static[0] if t.static is not None and not t.delay else 0 for t in targets]
        matcher = Matcher(specs, hits, statuses)
        return cls(
            matcher=matcher,
            targets=tuple(targets),
            infos=tuple(infos),
            header_names=matcher.header_names,
            capturing=tuple(spec["captures"] for spec in specs),
            mock_count=mock_count,
            upgrades=upgrades or {},
        )
