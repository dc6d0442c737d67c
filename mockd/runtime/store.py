"""MockStore: the ordered mock set, and the route table compiled from it.

Invariant: `store.table` always matches a committed mock set, and replacing it is one attribute assignment on
the event-loop thread. The hot path reads the attribute once per request and never takes a lock, so a request
is answered wholly by the old table or wholly by the new one.

Two ways to change the mocks:

- `load` (start-up) and `rebuild` (another runtime part changed the generated routes) rebuild the table
  inline;
- `async with store.editing() as edit:` is what the admin API uses. The handler changes a private copy of the
  ordered mocks (`MockEdit`); on a clean exit the table is built in a worker thread (the Rust build releases
  the GIL) and then the copy and the table are swapped in together. An exception inside the block discards
  the copy, so a failed request changes nothing. Admin writes are serialised by an asyncio lock that only
  admin writes take.

Why the thread: with 10,000 mocks a table build takes tens of milliseconds (docs/admin-api.md has the
figures); built inline, every admin write would stall the mock port for that long. The build also allocates
almost nothing per route (each stored mock keeps its `RouteInfo`), because allocating tens of thousands of
objects per build set off full garbage collections that stalled the loop longer than the build itself.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from mockd.gocompat.timefmt import rfc3339_nano_local
from mockd.runtime.table import RouteInfo, RouteTable

if TYPE_CHECKING:
    from mockd._native import HitCounts
    from mockd.plan.model import CompiledMock, RouteSpec
    from mockd.runtime.targets import Target

TargetFactory = Callable[["CompiledMock"], "Target"]
ExtraRoutes = Callable[[], Sequence[tuple["RouteSpec", "Target"]]]

# Below this many routes a build takes well under a millisecond: not worth a thread hop.
THREAD_BUILD_THRESHOLD = 256


class StoredMock:
    """One mock as stored: its compiled form, its target and route facts (built once), its timestamps."""

    __slots__ = ("compiled", "created_at", "info", "target", "updated_at")

    def __init__(self, compiled: CompiledMock, target: Target, created_at: float, updated_at: float) -> None:
        self.compiled = compiled
        self.target = target
        route = compiled["route"]
        self.info = RouteInfo(route["id"], route["name"]) if route is not None else None
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


class MockEdit:
    """A pending change to the mock set: a private, ordered copy that `MockStore.editing` commits."""

    __slots__ = ("_make_target", "changed", "mocks", "removed")

    def __init__(self, mocks: dict[str, StoredMock], make_target: TargetFactory) -> None:
        self.mocks = mocks
        self._make_target = make_target
        self.changed = False
        self.removed: list[StoredMock] = []  # gone from the set (not merely replaced)

    def __contains__(self, mock_id: str) -> bool:
        return mock_id in self.mocks

    def __len__(self) -> int:
        return len(self.mocks)

    def get(self, mock_id: str) -> StoredMock | None:
        return self.mocks.get(mock_id)

    def add(self, compiled: CompiledMock, now: float) -> StoredMock:
        """Append a mock whose id is new (the caller checks duplicates and answers 409)."""
        stored = StoredMock(compiled, self._make_target(compiled), now, now)
        self.mocks[stored.id] = stored
        self.changed = True
        return stored

    def put(self, compiled: CompiledMock, created_at: float, updated_at: float) -> StoredMock:
        """Set a mock: an existing id keeps its position (and, through the journal, its counter)."""
        stored = StoredMock(compiled, self._make_target(compiled), created_at, updated_at)
        self.mocks[stored.id] = stored
        self.changed = True
        return stored

    def remove(self, mock_id: str) -> StoredMock | None:
        stored = self.mocks.pop(mock_id, None)
        if stored is not None:
            self.removed.append(stored)
            self.changed = True
        return stored

    def remove_where(self, predicate: Callable[[StoredMock], bool]) -> list[StoredMock]:
        gone = [m for m in self.mocks.values() if predicate(m)]
        for m in gone:
            self.remove(m.id)
        return gone


class MockStore:
    def __init__(
        self, make_target: TargetFactory, extra_routes: ExtraRoutes | None = None, *, hits: HitCounts
    ) -> None:
        self._make_target = make_target
        self._extra_routes = extra_routes or (lambda: ())
        # The journal's metrics: every table's matcher counts static hits there (RouteTable.build).
        self._hits = hits
        self._mocks: dict[str, StoredMock] = {}
        self.table: RouteTable = RouteTable.build([], [], [], 0, hits=hits)
        # Serialises admin writes only; the hot path never touches it. (asyncio.Lock binds to the running
        # loop on first use, so creating it before the loop exists is fine.)
        self._write_lock = asyncio.Lock()
        self._installs = 0  # bumped on every table install; an async build that raced one builds again
        # Bumped whenever the mock set itself is replaced (load, committed edit): how `--shared-state`
        # (mockd/runtime/shared) tells that an admin call changed the mocks and must publish them.
        self.commits = 0
        # `--data-dir` (mockd/runtime/persist.py): told (old, new) right before an admin edit is swapped in.
        self.on_commit: Callable[[dict[str, StoredMock], dict[str, StoredMock]], None] | None = None
        # Workspace id -> URL prefix (mockd/runtime/workspaces.py): routes of those workspaces' mocks are
        # built under it. Replaced whole (never changed in place), then `rebuild()`.
        self.route_prefixes: dict[str, str] = {}
        # Protocols on their own ports (runtime/ownports.py): given the mock set an admin edit is about to
        # commit; raising refuses the edit (a taken gRPC port), which then changes nothing.
        self.before_commit: Callable[[dict[str, StoredMock]], Awaitable[None]] | None = None

    # -- reads -----------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._mocks)

    def __iter__(self) -> Iterator[StoredMock]:
        return iter(list(self._mocks.values()))

    def __contains__(self, mock_id: str) -> bool:
        return mock_id in self._mocks

    def get(self, mock_id: str) -> StoredMock | None:
        return self._mocks.get(mock_id)

    # -- admin writes: copy, change, build off the loop, swap ------------------------------------------

    @asynccontextmanager
    async def editing(self) -> AsyncIterator[MockEdit]:
        """Change the mocks atomically (see the module docstring). Yields a `MockEdit` on a private copy."""
        async with self._write_lock:
            edit = MockEdit(dict(self._mocks), self._make_target)
            yield edit
            if edit.changed:
                if self.before_commit is not None:
                    await self.before_commit(edit.mocks)
                await self._commit(edit.mocks)

    async def _commit(self, mocks: dict[str, StoredMock]) -> None:
        while True:
            seen = self._installs
            extra = self._extra_routes()
            prefixes = self.route_prefixes
            if len(mocks) + len(extra) < THREAD_BUILD_THRESHOLD:
                table = _assemble(mocks, extra, prefixes, self._hits)
            else:
                table = await asyncio.to_thread(_assemble, mocks, extra, prefixes, self._hits)
            if self._installs == seen:
                break
            # A synchronous rebuild (generated routes changed) landed while we built: ours may miss it.
        if self.on_commit is not None:
            self.on_commit(self._mocks, mocks)
        # No await between these two lines: readers see the old pair or the new pair, never a mix.
        old, self._mocks = self._mocks, mocks
        self.commits += 1
        self._install(table)
        _retire(old, mocks)

    # -- synchronous rebuilds (start-up, generated-route changes) ---------------------------------------

    def load(self, compiled: Sequence[CompiledMock]) -> None:
        """Replace everything with `compiled` (config load at start-up)."""
        now = time.time()
        old = self._mocks
        self._mocks = {c["mock"]["id"]: StoredMock(c, self._make_target(c), now, now) for c in compiled}
        self.commits += 1
        self.rebuild()
        _retire(old, self._mocks)

    def rebuild(self) -> None:
        """Compile the committed mocks plus generated routes and swap the table in, inline."""
        self._install(_assemble(self._mocks, self._extra_routes(), self.route_prefixes, self._hits))

    def _install(self, table: RouteTable) -> None:
        self.table = table
        self._installs += 1


def _retire(old: dict[str, StoredMock], new: dict[str, StoredMock]) -> None:
    """Tell the targets of replaced or removed mocks they are gone: open WebSocket and SSE connections of a
    mock that changed end (protocols-reference §0.3), as the Go tool unregisters their handlers."""
    for mock_id, stored in old.items():
        kept = new.get(mock_id)
        if kept is None or kept.target is not stored.target:
            stored.target.retire()


def _assemble(
    mocks: dict[str, StoredMock], extra: Sequence[tuple[RouteSpec, Target]], prefixes: dict[str, str],
    hits: HitCounts,
) -> RouteTable:  # fmt: skip
    """The route table of `mocks` (enabled HTTP routes in store order) then the generated routes.

    Explicit mocks come first so that definition order favours them; generated routes (legacy `basePath`
    resources) carry tier 1 and lose exact ties anyway (design D3). Safe to run in a worker thread: it only
    reads `mocks` and `extra`, which nobody mutates (both are replaced, never changed in place).
    """
    specs: list[RouteSpec] = []
    targets: list[Target] = []
    infos: list[RouteInfo] = []
    upgrades: dict[str, Target] = {}
    for m in mocks.values():
        if m.info is not None and m.compiled["enabled"]:
            spec: RouteSpec = m.compiled["route"]  # type: ignore[assignment]  # info is set iff route is
            if prefixes:
                prefix = prefixes.get(m.compiled["mock"].get("workspaceId") or "")
                if prefix:
                    spec = _prefixed(spec, prefix)
            specs.append(spec)
            targets.append(m.target)
            infos.append(m.info)
        elif m.compiled["enabled"] and m.compiled["action"]["kind"] == "protocol":
            path = m.compiled["action"]["spec"].get("upgradePath")
            if isinstance(path, str):
                upgrades[path] = m.target
    for spec, target in extra:
        specs.append(spec)
        targets.append(target)
        infos.append(RouteInfo(spec["id"], spec["name"]))
    return RouteTable.build(specs, targets, infos, len(mocks), upgrades, hits)


def _prefixed(spec: RouteSpec, prefix: str) -> RouteSpec:
    """The route of a workspace's mock: its path (or regex) under the workspace's basePath, as the Go tool
    rewrites a mock it pushes to its engine (`prefixMockForEngine`)."""
    out: RouteSpec = dict(spec)  # type: ignore[assignment]  # a copy of the same TypedDict
    path = spec["path"]
    if path:
        out["path"] = prefix + path[1:] if prefix.endswith("/") and path.startswith("/") else prefix + path
    pattern = spec["pathPattern"]
    if pattern:
        out["pathPattern"] = "^" + prefix + pattern[1:] if pattern.startswith("^") else prefix + pattern
    return out
