"""The one thread that writes the database: batches in, one transaction per wake-up, futures out.

Why a thread: a commit waits for `fsync` (milliseconds on a real disk). Done on the event loop, every admin
write would stall the mock port for that long; done here, the loop only queues rows and, for an admin call,
awaits the future before it answers. Several batches queued meanwhile share one commit (group commit), so
a burst of admin writes costs one fsync per wake-up rather than one each.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

log = logging.getLogger("mockd.persistence")


ItemChange = tuple[str, "str | Callable[[], str] | None", bool]  # (key, row, moved)


@dataclass
class Batch:
    """Row changes to apply together. Each list holds what `Writer._apply` expects for its table."""

    mock_upserts: list[tuple[str, str]] = field(default_factory=list)  # (id, JSON)
    mock_deletes: list[str] = field(default_factory=list)
    # Full replacement of the admin-created resource definitions, in order; None: unchanged.
    resources: list[tuple[str, str]] | None = None
    # Table name -> its items' JSON rows (or a thunk the writer calls to encode them); None: drop the table.
    items: dict[str, list[str] | Callable[[], list[str]] | None] = field(default_factory=dict)
    workspaces: list[tuple[str, str]] | None = None  # full replacement, in order; None: unchanged
    folders: list[tuple[str, str]] | None = None  # likewise
    # Table name -> single items changed, for tables already stored whole: (key, its JSON or a thunk; None:
    # deleted, moved: created, so it goes to the end of the table's order). Applied after `items`.
    item_changes: dict[str, list[ItemChange]] = field(default_factory=dict)

    def empty(self) -> bool:
        nothing = not (self.mock_upserts or self.mock_deletes or self.items or self.item_changes)
        return nothing and self.resources is None and self.workspaces is None and self.folders is None


_STOP = object()
ITEM_KEY = "json_extract(body, '$.key')"  # an item row's key; indexed (datadir._SCHEMA)


class Writer:
    def __init__(self, db: sqlite3.Connection, next_pos: int) -> None:
        self._db = db
        self._next_pos = next_pos  # position of the next new mock: existing ids keep theirs
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="mockd-persistence", daemon=True)
        self._thread.start()

    def submit(self, batch: Batch) -> Future[None]:
        done: Future[None] = Future()
        self._queue.put((batch, done))
        return done

    def close(self) -> None:
        """Write everything queued so far, then stop the thread (the caller closes the connection)."""
        self._queue.put(_STOP)
        self._thread.join()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            pending = [first]
            while True:  # everything queued meanwhile joins this transaction
                try:
                    pending.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = any(p is _STOP for p in pending)
            work = [p for p in pending if p is not _STOP]
            if work:
                self._commit(work)  # type: ignore[arg-type]  # only (Batch, Future) pairs are left
            if stop:
                return

    def _commit(self, work: list[tuple[Batch, Future[None]]]) -> None:
        try:
            with self._db:  # one transaction: all of these batches, or none of them
                for batch, _ in work:
                    self._apply(batch)
        except Exception as exc:  # disk full, I/O error: every waiting admin call reports it
            log.error("failed to write the data dir: %s", exc)
            for _, done in work:
                done.set_exception(exc)
            return
        for _, done in work:
            done.set_result(None)

    def _apply(self, batch: Batch) -> None:
        db = self._db
        for mock_id in batch.mock_deletes:
            db.execute("DELETE FROM mocks WHERE id = ?", (mock_id,))
        for mock_id, body in batch.mock_upserts:
            cur = db.execute("UPDATE mocks SET body = ? WHERE id = ?", (body, mock_id))
            if cur.rowcount == 0:
                db.execute(
                    "INSERT INTO mocks (id, pos, body) VALUES (?, ?, ?)", (mock_id, self._next_pos, body)
                )
                self._next_pos += 1
        if batch.resources is not None:
            db.execute("DELETE FROM resources")
            db.executemany(
                "INSERT INTO resources (name, pos, spec) VALUES (?, ?, ?)",
                [(name, i, spec) for i, (name, spec) in enumerate(batch.resources)],
            )
        if batch.workspaces is not None:
            db.execute("DELETE FROM workspaces")
            db.executemany(
                "INSERT INTO workspaces (id, pos, body) VALUES (?, ?, ?)",
                [(ws_id, i, body) for i, (ws_id, body) in enumerate(batch.workspaces)],
            )
        if batch.folders is not None:
            db.execute("DELETE FROM folders")
            db.executemany(
                "INSERT INTO folders (id, pos, body) VALUES (?, ?, ?)",
                [(folder_id, i, body) for i, (folder_id, body) in enumerate(batch.folders)],
            )
        for name, rows in batch.items.items():
            db.execute("DELETE FROM items WHERE resource = ?", (name,))
            db.execute("DELETE FROM tables WHERE name = ?", (name,))
            if rows is None:
                continue
            if callable(rows):
                rows = rows()
            db.execute("INSERT INTO tables (name) VALUES (?)", (name,))
            db.executemany(
                "INSERT INTO items (resource, pos, body) VALUES (?, ?, ?)",
                [(name, i, row) for i, row in enumerate(rows)],
            )
        for name, changes in batch.item_changes.items():
            self._apply_items(name, changes)

    def _apply_items(self, name: str, changes: list[ItemChange]) -> None:
        """One item at a time, found by its key (indexed): a create costs one row, not the whole table."""
        db = self._db
        next_pos: int | None = None
        for key, row, moved in changes:
            if row is None or moved:
                db.execute(f"DELETE FROM items WHERE resource = ? AND {ITEM_KEY} = ?", (name, key))
                if row is None:
                    continue
            text = row() if callable(row) else row
            if not moved:
                cur = db.execute(
                    f"UPDATE items SET body = ? WHERE resource = ? AND {ITEM_KEY} = ?", (text, name, key)
                )
                if cur.rowcount:
                    continue
            if next_pos is None:
                next_pos = db.execute(
                    "SELECT COALESCE(MAX(pos), -1) + 1 FROM items WHERE resource = ?", (name,)
                ).fetchone()[0]
            db.execute("INSERT INTO items (resource, pos, body) VALUES (?, ?, ?)", (name, next_pos, text))
            next_pos += 1
