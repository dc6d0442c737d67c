"""What `--data-dir` keeps, and when it is written (docs/persistence.md). `mockd.persistence` stores rows.

Kept: mocks created, changed or deleted over the admin API; stateful resources registered over the admin
API (their definitions); the items of every table, whoever changed them. Not kept: counters, the request
log, chaos settings, custom operations (as the Go tool, apart from items, which it never keeps).

When:
- an admin call that may change something (any method but GET) is answered only after its changes are
  committed: `AdminApp` awaits `flush()`. So every acknowledged admin write survives `kill -9`.
- table items changed by requests on the mock port are written by a background task within
  `ITEM_FLUSH_INTERVAL` of the change. The mock port only marks the table dirty (a set insert); it never
  waits for the disk.
- at shutdown, whatever is still dirty is written before the lock is released.

A table's items are encoded in the writer thread: the loop hands over a list of references to its `Item`s
(immutable once stored), so a large table never holds up the mock port while it is written. Mocks are
encoded on the loop, by the admin call that changed them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import TYPE_CHECKING, Any

from mockd.persistence.writer import Batch
from mockd.runtime.state.resource import Item, _ticks

if TYPE_CHECKING:
    from collections.abc import Callable

    from mockd.persistence import DataDir
    from mockd.runtime.store import StoredMock
    from mockd.runtime.world import Runtime

log = logging.getLogger("mockd.persistence")

ITEM_FLUSH_INTERVAL = 0.1  # seconds between background writes of tables changed on the mock port


class Persister:
    def __init__(self, rt: Runtime, data: DataDir) -> None:
        self.rt = rt
        self.data = data
        self._mock_upserts: dict[str, StoredMock] = {}
        self._mock_deletes: set[str] = set()
        self._dirty_tables: set[str] = set()
        self._definitions_changed = False
        self._workspaces_changed = False
        self._task: asyncio.Task[None] | None = None

    # -- start-up --------------------------------------------------------------------------------------

    def attach(self) -> None:
        """Restore stored table items over the freshly loaded seeds, then start recording changes."""
        self._restore_items(self.data.snapshot.items)
        for row in self.data.snapshot.mocks:  # their own timestamps, unless a config mock replaced them
            stored = self.rt.store.get(str((row.get("mock") or {}).get("id")))
            if stored is not None and stored.compiled["source"] < 0:
                stored.created_at = row.get("createdAt", stored.created_at)
                stored.updated_at = row.get("updatedAt", stored.updated_at)
        self.rt.store.on_commit = self._mocks_committed
        self.rt.state.watch(self._table_touched, self._definitions_touched)
        if self.data.snapshot.workspaces:
            self.rt.workspaces.load(self.data.snapshot.workspaces)
            self.rt.workspaces_changed()  # their mocks' routes move under their prefixes
        self.rt.workspaces.listeners.append(self._workspaces_touched)

    def start(self) -> None:
        """Begin the background writes of mock-port changes (call on the running loop)."""
        self._task = asyncio.ensure_future(self._background())

    # -- change tracking (event-loop thread) -----------------------------------------------------------

    def _mocks_committed(self, old: dict[str, StoredMock], new: dict[str, StoredMock]) -> None:
        for mock_id, stored in new.items():
            if old.get(mock_id) is not stored:
                self._mock_upserts[mock_id] = stored
                self._mock_deletes.discard(mock_id)
        for mock_id in old.keys() - new.keys():
            self._mock_upserts.pop(mock_id, None)
            self._mock_deletes.add(mock_id)

    def _table_touched(self, name: str) -> None:
        self._dirty_tables.add(name)  # not a bound `set.add`: the set is replaced by every batch

    def _workspaces_touched(self) -> None:
        self._workspaces_changed = True

    def _definitions_touched(self) -> None:
        self._definitions_changed = True

    def _take_batch(self) -> Batch | None:
        """Everything changed since the last batch, as thunks the writer encodes; None when nothing."""
        batch = Batch()
        if self._mock_upserts:
            for mock_id, stored in self._mock_upserts.items():
                try:
                    batch.mock_upserts.append((mock_id, _mock_json(stored)))
                except (TypeError, ValueError) as exc:  # cannot happen for JSON-born mocks; never fatal
                    log.error("mock %r cannot be stored in the data dir and is skipped: %s", mock_id, exc)
            self._mock_upserts = {}
        if self._mock_deletes:
            batch.mock_deletes = sorted(self._mock_deletes)
            self._mock_deletes = set()
        state = self.rt.state
        if self._definitions_changed:
            self._definitions_changed = False
            admin_made = [s for s in state.resources if s["source"] < 0]
            batch.resources = [(s["name"], json.dumps(s)) for s in admin_made]
        if self._workspaces_changed:
            self._workspaces_changed = False
            batch.workspaces = [(w["id"], json.dumps(w)) for w in self.rt.workspaces.items.values()]
        for name in self._dirty_tables:
            resource = state.get(name)
            batch.items[name] = None if resource is None else _items_rows(list(resource.items.values()))
        self._dirty_tables = set()
        return None if batch.empty() else batch

    # -- writing ---------------------------------------------------------------------------------------

    async def flush(self) -> None:
        """Write everything changed so far and wait until it is on disk (raises the writer's error)."""
        batch = self._take_batch()
        if batch is not None:
            await asyncio.wrap_future(self.data.submit(batch))

    async def _background(self) -> None:
        while True:
            await asyncio.sleep(ITEM_FLUSH_INTERVAL)
            if self._dirty_tables:
                with contextlib.suppress(Exception):  # the writer logged it; the next change retries
                    await self.flush()

    def close(self) -> None:
        """Final write and release of the data dir (after both ports have stopped)."""
        if self._task is not None:
            self._task.cancel()
        batch = self._take_batch()
        if batch is not None:
            try:
                self.data.submit(batch).result()
            except Exception as exc:
                log.error("failed to write the data dir at shutdown: %s", exc)
        self.data.close()

    # -- restore ---------------------------------------------------------------------------------------

    def _restore_items(self, stored: dict[str, list[dict[str, Any]]]) -> None:
        """Put stored items back, keeping their creation and update order (new clock ticks, same order)."""
        state = self.rt.state
        rows = [(name, r) for name, items in stored.items() if state.get(name) is not None for r in items]
        for name in stored:
            if state.get(name) is None:
                log.warning("stored items of %r are ignored: no such stateful resource is loaded", name)
        olds = sorted({r.get("seq", 0) for _, r in rows} | {r.get("useq", 0) for _, r in rows})
        tick = dict(zip(olds, (next(_ticks) for _ in olds), strict=True))
        tables: dict[str, dict[str, Item]] = {name: {} for name in stored if state.get(name) is not None}
        for name, r in rows:
            try:
                item = Item(r["id"], r["key"], r["data"], r["created"], r["updated"], tick[r.get("seq", 0)],
                            tick[r.get("useq", 0)], r.get("view"))  # fmt: skip
            except (KeyError, TypeError):
                log.warning("a stored item of %r is malformed and skipped", name)
                continue
            tables[name][item.key] = item
        for name, items in tables.items():
            resource = state.need(name)
            resource.items = items
            for key in items:
                resource.ids.track(key)


def _mock_json(stored: StoredMock) -> str:
    return json.dumps({"mock": stored.compiled["mock"], "createdAt": stored.created_at,
                       "updatedAt": stored.updated_at})  # fmt: skip


def _items_rows(items: list[Item]) -> Callable[[], list[str]]:
    """A thunk the writer thread calls: encodes a snapshot of the table's items off the loop."""

    def encode() -> list[str]:
        return [
            json.dumps({"id": it.id, "key": it.key, "data": it.data, "created": it.created,
                        "updated": it.updated, "seq": it.seq, "useq": it.useq,
                        "view": it.view if it.seeded else None})
            for it in items
        ]  # fmt: skip

    return encode
