"""MockStore: the ordered mock set, and the route table compiled from it.

Every change rebuilds the table and swaps `self.table` in one assignment. Changes happen on the event-loop
thread, so the hot path never waits on a lock held by admin work; it only ever reads the attribute.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from mockd.runtime.table import RouteTable
from mockd.runtime.timefmt import rfc3339_nano_local

if TYPE_CHECKING:
    from mockd.compiler.plan import CompiledMock, RouteSpec
    from mockd.runtime.targets import Target

TargetFactory = Callable[["CompiledMock"], "Target"]
ExtraRoutes = Callable[[], Sequence[tuple["RouteSpec", "Target"]]]


class StoredMock:
    """One mock as stored: its compiled form, its target (built once), and its timestamps."""

    __slots__ = ("compiled", "created_at", "target", "updated_at")

    def __init__(self, compiled: CompiledMock, target: Target, created_at: float, updated_at: float) -> None:
        self.compiled = compiled
        self.target = target
        self.created_at = created_at
        self.updated_at = updated_at

    @property
    def id(self) -> str:
        return self.compiled["mock"]["id"]

    @property
    def enabled(self) -> bool:
        return self.compiled["enabled"]

    def api_dict(self) -> dict:
        """The mock as the admin API serves it, timestamps filled in (Go field order kept)."""
        out = dict(self.compiled["mock"])
        out["createdAt"] = rfc3339_nano_local(self.created_at)
        out["updatedAt"] = rfc3339_nano_local(self.updated_at)
        return out


class MockStore:
    def __init__(self, make_target: TargetFactory, extra_routes: ExtraRoutes | None = None) -> None:
        self._make_target = make_target
        self._extra_routes = extra_routes or (lambda: ())
        self._mocks: dict[str, StoredMock] = {}
        self.table: RouteTable = RouteTable.build([], 0)

    # -- reads -----------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._mocks)

    def __iter__(self) -> Iterator[StoredMock]:
        return iter(list(self._mocks.values()))

    def __contains__(self, mock_id: str) -> bool:
        return mock_id in self._mocks

    def get(self, mock_id: str) -> StoredMock | None:
        return self._mocks.get(mock_id)

    # -- writes (each one ends with exactly one table swap) --------------------------------------------

    def load(self, compiled: Sequence[CompiledMock]) -> None:
        """Replace everything with `compiled` (config load, config import with replace)."""
        now = time.time()
        self._mocks = {c["mock"]["id"]: StoredMock(c, self._make_target(c), now, now) for c in compiled}
        self.rebuild()

    def add(self, compiled: Sequence[CompiledMock]) -> list[StoredMock]:
        """Append new mocks (ids must be new: the caller checks and reports duplicates)."""
        now = time.time()
        added = []
        for c in compiled:
            stored = StoredMock(c, self._make_target(c), now, now)
            self._mocks[stored.id] = stored
            added.append(stored)
        self.rebuild()
        return added

    def replace(self, compiled: CompiledMock) -> StoredMock:
        """Swap one mock's definition in place, keeping its position and createdAt."""
        mock_id = compiled["mock"]["id"]
        old = self._mocks[mock_id]
        stored = StoredMock(compiled, self._make_target(compiled), old.created_at, time.time())
        self._mocks[mock_id] = stored
        self.rebuild()
        return stored

    def remove(self, mock_id: str) -> StoredMock | None:
        stored = self._mocks.pop(mock_id, None)
        if stored is not None:
            self.rebuild()
        return stored

    def remove_where(self, predicate: Callable[[StoredMock], bool]) -> list[StoredMock]:
        gone = [m for m in self._mocks.values() if predicate(m)]
        for m in gone:
            del self._mocks[m.id]
        if gone:
            self.rebuild()
        return gone

    def rebuild(self) -> None:
        """Compile the current mocks (enabled HTTP routes, in store order) plus generated routes, then swap.

        Explicit mocks come first so that definition order favours them; generated routes (legacy
        `basePath` resources) carry tier 1 and lose exact ties anyway (design D3).
        """
        routes: list[tuple[RouteSpec, Target]] = [
            (m.compiled["route"], m.target)
            for m in self._mocks.values()
            if m.compiled["enabled"] and m.compiled["route"] is not None
        ]
        routes.extend(self._extra_routes())
        self.table = RouteTable.build(routes, len(self._mocks))
