"""What `--data-dir` keeps, and when it is written (docs/persistence.md). `mockd.persistence` stores rows.

Kept: mocks created, changed or deleted over the admin API; stateful resources registered over the admin
API (their definitions); workspaces and folders; the items of every table, whoever changed them. Not kept:
counters, the request log, chaos settings, custom operations (as the Go tool, apart from items, which it
never keeps).

When:
- an admin call that may change something (any method but GET) is answered only after its changes are
  committed: `AdminApp` awaits `flush()`.
- a request on the mock port that changed a table (a stateful create, update, delete, custom operation)
  awaits `flush()` too before its reply is written (`StateTarget.respond`). So every acknowledged write,
  admin or mock port, survives `kill -9`.
- group commit: one commit is in flight at a time. Changes made while it runs collect in the dirty sets,
  and their requests wait together for the next commit, launched the moment the current one lands. A lone
  write waits about one fsync; a burst of N shares a commit instead of paying N. The waiting is an asyncio
  future: the loop serves other requests meanwhile, nothing blocks.
- a background task still writes, every `ITEM_FLUSH_INTERVAL`, changes no request waited for (a SOAP
  `statefulBinding` operation, say); and at shutdown whatever is still dirty is written before the lock is
  released.

What is written: a table seen for the first time (or reset, cleared, re-registered) is written whole; after
that only the items changed, one row each (found by key through an index), so a create in a table of
100,000 items costs one row. Items are encoded in the writer thread: the loop hands over references to its
`Item`s (immutable once stored), so a large table never holds up the mock port. Mocks are encoded on the
loop, by the admin call that changed them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from concurrent.futures import Future
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
    # `Durable.guard`: none here, a request runs and then waits for `flush` (--shared-state has one).
    guard = None

    def __init__(self, rt: Runtime, data: DataDir) -> None:
        self.rt = rt
        self.data = data
        self._mock_upserts: dict[str, StoredMock] = {}
        self._mock_deletes: set[str] = set()
        self._dirty_tables: set[str] = set()  # written whole
        # Single items changed in tables already stored: table -> key -> (the item or None, created).
        self._dirty_items: dict[str, dict[str, tuple[Item | None, bool]]] = {}
        self._stored_tables: set[str] = set(data.snapshot.items)  # tables whose rows are in the database
        self._definitions_changed = False
        self._workspaces_changed = False
        self._folders_changed = False
        self._task: asyncio.Task[None] | None = None
        self.changes = 0  # item changes so far: a mock-port request compares it around its handling
        self._committing = False  # a batch is with the writer thread
        self._next: asyncio.Future[None] | None = None  # the waiters of the batch after it

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
        self.rt.state.durable = self
        if self.data.snapshot.workspaces:
            self.rt.workspaces.load(self.data.snapshot.workspaces)
            self.rt.workspaces_changed()  # their mocks' routes move under their prefixes
        self.rt.workspaces.listeners.append(self._workspaces_touched)
        self.rt.folders.load(self.data.snapshot.folders)
        self.rt.folders.listeners.append(self._folders_touched)

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

    def _table_touched(self, name: str, key: str | None, created: bool) -> None:
        self.changes += 1
        if key is None or name not in self._stored_tables or name in self._dirty_tables:
            self._dirty_tables.add(name)
            self._dirty_items.pop(name, None)
            return
        resource = self.rt.state.get(name)
        item = resource.items.get(key) if resource is not None else None
        changed = self._dirty_items.setdefault(name, {})
        moved = created or (key in changed and changed[key][1])  # created, then updated: still at the end
        changed[key] = (item, moved)

    def _workspaces_touched(self) -> None:
        self._workspaces_changed = True

    def _folders_touched(self) -> None:
        self._folders_changed = True

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
        if self._folders_changed:
            self._folders_changed = False
            batch.folders = [(f["id"], json.dumps(f)) for f in self.rt.folders.items.values()]
        for name in self._dirty_tables:
            resource = state.get(name)
            batch.items[name] = None if resource is None else _items_rows(list(resource.items.values()))
            if resource is None:
                self._stored_tables.discard(name)
            else:
                self._stored_tables.add(name)
        self._dirty_tables = set()
        for name, changed in self._dirty_items.items():
            batch.item_changes[name] = [
                (key, None if it is None else _item_row(it), moved) for key, (it, moved) in changed.items()
            ]
        self._dirty_items = {}
        return None if batch.empty() else batch

    # -- writing ---------------------------------------------------------------------------------------

    async def flush(self) -> None:
        """Return once everything changed so far is committed (raises the writer's error).

        Joins the waiters of the next batch; that batch is taken and handed to the writer as soon as no
        other is in flight, so concurrent callers share one commit (group commit)."""
        waiters = self._next
        if waiters is None:
            waiters = self._next = asyncio.get_running_loop().create_future()
            if not self._committing:
                self._launch()
        await asyncio.shield(waiters)  # a caller that goes away does not cancel the others' commit

    def _launch(self) -> None:
        waiters, self._next = self._next, None
        assert waiters is not None
        batch = self._take_batch()
        if batch is None:  # what they changed was taken by the batch that just landed
            waiters.set_result(None)
            return
        self._committing = True
        loop = asyncio.get_running_loop()

        def landed(done: Future[None]) -> None:  # in the writer thread
            with contextlib.suppress(RuntimeError):  # the loop is gone: close() writes the rest
                loop.call_soon_threadsafe(self._landed, waiters, done, batch)

        self.data.submit(batch).add_done_callback(landed)

    def _landed(self, waiters: asyncio.Future[None], done: Future[None], batch: Batch) -> None:
        self._committing = False
        exc = done.exception()
        if exc is not None:
            # Those tables' rows are unknown now: written whole by the next commit (the background retries).
            failed = batch.items.keys() | batch.item_changes.keys()
            self._stored_tables -= failed
            self._dirty_tables |= failed
            waiters.set_exception(exc)
            waiters.add_done_callback(lambda f: f.exception())  # retrieved even if every waiter left
        else:
            waiters.set_result(None)
        if self._next is not None:
            self._launch()

    async def _background(self) -> None:
        while True:
            await asyncio.sleep(ITEM_FLUSH_INTERVAL)
            if self._dirty_tables or self._dirty_items:
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


def _item_json(it: Item) -> str:
    return json.dumps({"id": it.id, "key": it.key, "data": it.data, "created": it.created,
                       "updated": it.updated, "seq": it.seq, "useq": it.useq,
                       "view": it.view if it.seeded else None})  # fmt: skip


def _items_rows(items: list[Item]) -> Callable[[], list[str]]:
    """A thunk the writer thread calls: encodes a snapshot of the table's items off the loop."""
    return lambda: [_item_json(it) for it in items]


def _item_row(item: Item) -> Callable[[], str]:
    """One item, encoded by the writer thread."""
    return lambda: _item_json(item)
