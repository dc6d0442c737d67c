"""Open a data dir: take its lock, open (or create) its database, check the format, read what it holds.

Failure modes, each with a clear outcome rather than a traceback or a silently emptied store:
- another server holds the directory: `PersistenceError` naming its PID (the second server does not start);
- the database was written by a newer mockd (`PRAGMA user_version` above ours): `PersistenceError`;
- the file is not a readable SQLite database: it is renamed `mockd.db.corrupt-<UTC time>` (with its WAL
  files), a warning names the new name, and the server starts with an empty store;
- one row holds JSON that does not parse: that row is skipped with a warning, the others load.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import sys
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mockd.errors import MockdError
from mockd.persistence.lock import DirLock, LockHeld
from mockd.persistence.writer import Batch, Writer

log = logging.getLogger("mockd.persistence")

DB_NAME = "mockd.db"
FORMAT = 1  # PRAGMA user_version; bump on any incompatible schema change
_SCHEMA = """
CREATE TABLE IF NOT EXISTS mocks (id TEXT PRIMARY KEY, pos INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS resources (name TEXT PRIMARY KEY, pos INTEGER NOT NULL, spec TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tables (name TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS workspaces (id TEXT PRIMARY KEY, pos INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS folders (id TEXT PRIMARY KEY, pos INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (resource TEXT NOT NULL, pos INTEGER NOT NULL, body TEXT NOT NULL,
                                  PRIMARY KEY (resource, pos));
CREATE INDEX IF NOT EXISTS items_key ON items (resource, json_extract(body, '$.key'));
"""


class PersistenceError(MockdError):
    """The data dir cannot be used (locked by another server, newer format, not writable)."""


def default_data_dir() -> Path:
    """The Go tool's default location: `$XDG_DATA_HOME/mockd`, else `~/.local/share/mockd`."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "mockd"


@dataclass
class Snapshot:
    """What a data dir held at open, decoded. Mocks and resources in their stored order."""

    mocks: list[dict[str, Any]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # only tables with a snapshot
    workspaces: list[dict[str, Any]] = field(default_factory=list)
    folders: list[dict[str, Any]] = field(default_factory=list)


class DataDir:
    def __init__(self, path: Path, lock: DirLock, db: sqlite3.Connection, snapshot: Snapshot) -> None:
        self.path = path
        self.snapshot = snapshot
        self._lock = lock
        self._db = db
        next_pos = db.execute("SELECT COALESCE(MAX(pos), -1) + 1 FROM mocks").fetchone()[0]
        self._writer: Writer | None = Writer(db, next_pos)

    @classmethod
    def open(cls, path: Path) -> DataDir:
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            lock = DirLock.acquire(path)
            (path / "workspaces" / "_default").mkdir(mode=0o700, parents=True, exist_ok=True)
        except LockHeld as held:
            who = f" (PID {held.holder})" if held.holder else ""
            raise PersistenceError(
                f"data dir {path} is in use by another mockd{who}: stop it first, or use another --data-dir"
            ) from None
        except OSError as exc:
            raise PersistenceError(f"cannot use data dir {path}: {exc.strerror or exc}") from None
        try:
            db, snapshot = _open_db(path / DB_NAME)
        except BaseException:
            lock.release()
            raise
        return cls(path, lock, db, snapshot)

    def submit(self, batch: Batch) -> Future[None]:
        """Queue row changes; the future completes once they are committed (fsynced)."""
        if self._writer is None:
            raise PersistenceError("the data dir is closed")
        return self._writer.submit(batch)

    def close(self) -> None:
        """Write what is queued, then close the database and release the lock."""
        if self._writer is None:
            return
        self._writer.close()
        self._writer = None
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.close()
        self._lock.release()


def _connect(file: Path) -> sqlite3.Connection:
    # The writer thread uses the connection after the loading thread is done with it.
    db = sqlite3.connect(file, check_same_thread=False, isolation_level=None)
    db.isolation_level = "DEFERRED"  # `with db:` then wraps each batch in BEGIN ... COMMIT
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")  # a commit is on disk before the admin call is answered
    return db


def _open_db(file: Path) -> tuple[sqlite3.Connection, Snapshot]:
    try:
        db = _connect(file)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > FORMAT:
            db.close()
            raise PersistenceError(
                f"{file} was written by a newer mockd (data format {version}; this mockd reads format "
                f"{FORMAT} and older): upgrade mockd, or start with another --data-dir"
            )
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("quick_check failed")
        db.executescript(_SCHEMA)
        db.execute(f"PRAGMA user_version = {FORMAT}")
        return db, _read(db)
    except sqlite3.DatabaseError as exc:
        with contextlib.suppress(Exception):
            db.close()
        moved = _move_aside(file)
        print(f"Warning: data file {file} is unreadable ({exc}); moved it to {moved} and started empty",
              flush=True, file=sys.stderr)  # fmt: skip
        db = _connect(file)
        db.executescript(_SCHEMA)
        db.execute(f"PRAGMA user_version = {FORMAT}")
        return db, Snapshot()


def _move_aside(file: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = file.with_name(f"{file.name}.corrupt-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(file) + suffix)
        if src.exists():
            src.replace(Path(str(target) + suffix))
    return target


def _rows(db: sqlite3.Connection, sql: str, what: str) -> list[tuple[str, Any]]:
    """(key, decoded JSON) pairs; a row whose JSON does not parse is skipped with a warning."""
    out = []
    for key, text in db.execute(sql):
        try:
            out.append((key, json.loads(text)))
        except ValueError:
            log.warning("skipping %s %r in the data dir: its stored JSON does not parse", what, key)
    return out


def _read(db: sqlite3.Connection) -> Snapshot:
    snap = Snapshot()
    snap.mocks = [body for _, body in _rows(db, "SELECT id, body FROM mocks ORDER BY pos", "mock")]
    snap.resources = [s for _, s in _rows(db, "SELECT name, spec FROM resources ORDER BY pos", "resource")]
    snap.workspaces = [w for _, w in _rows(db, "SELECT id, body FROM workspaces ORDER BY pos", "workspace")]
    snap.folders = [f for _, f in _rows(db, "SELECT id, body FROM folders ORDER BY pos", "folder")]
    for (name,) in db.execute("SELECT name FROM tables"):
        snap.items[name] = []
    for name, item in _rows(db, "SELECT resource, body FROM items ORDER BY resource, pos", "item of"):
        snap.items.setdefault(name, []).append(item)
    return snap


__all__ = ["Batch", "DataDir", "PersistenceError", "Snapshot", "default_data_dir"]
