"""Why `--data-dir` uses SQLite in WAL mode: the cost of one durable admin write, against a JSON file
rewritten whole with write + fsync + rename (the Go tool's data.json, made durable).

Run: python bench/persistence_choice.py [DIR]  (DIR on the disk you care about; default: a temp dir)
Prints the median milliseconds per acknowledged write with N mocks already stored.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

MOCK = {"type": "http", "http": {"matcher": {"method": "GET", "path": "/api/x"},
                                 "response": {"statusCode": 200, "body": "x" * 120}}}  # fmt: skip


def json_file(directory: Path, existing: int, writes: int) -> list[float]:
    mocks = {f"m{i}": {**MOCK, "id": f"m{i}"} for i in range(existing)}
    target = directory / "data.json"
    times = []
    for n in range(writes):
        start = time.perf_counter()
        mocks[f"new{n}"] = {**MOCK, "id": f"new{n}"}
        tmp = directory / "data.json.tmp"
        with open(tmp, "w") as f:
            json.dump({"mocks": list(mocks.values())}, f, indent=2)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(target)
        dfd = os.open(directory, os.O_RDONLY)
        os.fsync(dfd)
        os.close(dfd)
        times.append(time.perf_counter() - start)
    return times


def sqlite_wal(directory: Path, existing: int, writes: int) -> list[float]:
    db = sqlite3.connect(directory / "mockd.db", isolation_level="DEFERRED")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE mocks (id TEXT PRIMARY KEY, pos INTEGER, body TEXT)")
    with db:
        rows = [(f"m{i}", i, json.dumps({**MOCK, "id": f"m{i}"})) for i in range(existing)]
        db.executemany("INSERT INTO mocks VALUES (?, ?, ?)", rows)
    times = []
    for n in range(writes):
        start = time.perf_counter()
        with db:
            db.execute("INSERT INTO mocks VALUES (?, ?, ?)",
                       (f"new{n}", existing + n, json.dumps({**MOCK, "id": f"new{n}"})))  # fmt: skip
        times.append(time.perf_counter() - start)
    db.close()
    return times


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="mockd-persist-"))
    print("existing mocks | JSON rewrite+fsync+rename ms | SQLite WAL commit ms")
    for existing in (10, 1000, 10000):
        results = []
        for fn in (json_file, sqlite_wal):
            d = Path(tempfile.mkdtemp(dir=root))
            results.append(statistics.median(fn(d, existing, 50)) * 1000)
        print(f"{existing:>14} | {results[0]:>28.2f} | {results[1]:>20.2f}")


if __name__ == "__main__":
    main()
