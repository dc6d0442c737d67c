"""`--data-dir`: what the admin API and the stateful tables change survives a restart (docs/persistence.md).

One SQLite database in WAL mode (`<data-dir>/mockd.db`, standard-library `sqlite3`), written by one worker
thread, guarded by a lock file so two servers never write the same directory. This package knows rows and
JSON only; `mockd.runtime.persist` decides what goes in and when, and the CLI puts what comes out back.
"""

from mockd.persistence.datadir import DataDir, PersistenceError, Snapshot, default_data_dir

__all__ = ["DataDir", "PersistenceError", "Snapshot", "default_data_dir"]
