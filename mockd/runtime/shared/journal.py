"""The journal of a `--shared-state` replica: the hot path buffers, a flusher ships, admin reads the store.

Hot path (`log`, after the metrics were counted by `Journal.record` or, for a static hit, by the matcher):
one append to `pending`; the mock's counter was bumped by the app as in one process. `take` (called by the
flusher on the loop thread) turns the buffer and the counters' deltas into one batch for `keys.SHIP`, which
gives every entry a sequence number from the store, so request ids are unique across replicas and the
stream is in the order entries were shipped.

Admin side: `load_snapshot` (run by the flush barrier before every admin call) replaces the local log with
the store's newest entries and the counts with the store's, so `Journal`'s own read methods (`newest_first`,
`find`, `entries_for`) and `peek` answer for every replica. Writes to the log (`clear`, `clear_mock`,
`forget`) change the snapshot at once, so the handler answers from it, and queue the same change for the
store; `SharedState.after_admin` applies the queue before the admin call returns.

Per replica, not shared: the Prometheus series (`/metrics`) and the unmatched-request count, and the live
stream (`GET /requests/stream` shows what this replica served).
"""

from __future__ import annotations

import base64
from collections import deque
from typing import Any

import orjson

from mockd.runtime.journal import Counter, Journal
from mockd.runtime.workers.shipping import ShippedScope

# Entries buffered while the store cannot take them (an outage); past this they are dropped and counted.
PENDING_LIMIT = 100_000


class SharedJournal(Journal):
    """See the module docstring. `dropped` counts log entries (and counter deltas) the store never got."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending: deque[tuple] = deque()
        self.dropped = 0
        # The store's counts as of the last snapshot (mock id -> Counter); `peek` answers from it.
        self._snapshot: dict[str, Counter] = {}
        # Store changes queued by admin handlers: ("clear",) or ("restart", mock id, drop entries).
        self.ops: list[tuple] = []

    # -- hot path --------------------------------------------------------------------------------------

    def log(
        self, timestamp: float, scope: Any, body: bytes, mock_id: str, status: int, duration_ms: int,
        near_misses: list[dict] | None = None,
    ) -> None:  # fmt: skip
        """Hot path of a replica: one append for the flusher (the metrics were counted by `record` or the
        matcher, as in one process)."""
        size = len(body)
        kept = body if size <= self.limits.body_cap else body[: self.limits.body_cap]
        pending = self.pending
        if len(pending) < PENDING_LIMIT:
            pending.append((timestamp, scope, kept, size, mock_id, status, duration_ms, near_misses))
        else:
            self.dropped += 1
        if self._subscribers:  # this replica's live readers (the stream is per replica)
            self.total_recorded += 1
            entry = (self.total_recorded, timestamp, scope, kept, size, mock_id, status, duration_ms,
                     near_misses)  # fmt: skip
            for sub in self._subscribers:
                sub.push(entry)

    # -- shipping --------------------------------------------------------------------------------------

    def take(self, limit: int) -> tuple[list[str], int, int]:
        """Up to `limit` buffered entries and every counter delta as `keys.SHIP` arguments (after maxlen):
        `(args, entries, calls)`. Runs on the loop thread: the counters are zeroed with no await between
        reading and zeroing, so no call is lost or shipped twice."""
        counters: list[str] = []
        calls = 0
        for mock_id, counter in self._counters.items():
            if counter.count:
                counters += (mock_id, str(counter.count), repr(counter.last))
                calls += counter.count
                counter.count = 0
        args = [str(len(counters) // 3), *counters]
        pending = self.pending
        n = min(limit, len(pending))
        for _ in range(n):
            ts, s, body, size, mock_id, status, ms, near = pending.popleft()
            row = [ts, s.method, s.path, s.query_string, list(s.headers.items()), s.client,
                   base64.b64encode(body).decode(), size, status, ms, near]  # fmt: skip
            args += (mock_id, orjson.dumps(row).decode())
        return args, n, calls

    # -- admin side: the store's view ------------------------------------------------------------------

    def load_snapshot(
        self, rows: list[tuple[bytes, dict[bytes, bytes]]], counts: dict[bytes, bytes],
        last: dict[bytes, bytes], since: dict[bytes, bytes], seq: int,
    ) -> None:  # fmt: skip
        """Install what the store holds: `rows` newest first (XREVRANGE), the counts hashes and the newest
        sequence number. Called on the loop thread with no await inside, so a handler sees one snapshot."""
        log: deque[tuple] = deque()
        body_bytes = 0
        for _, fields in reversed(rows):
            ts, method, path, query, headers, client, body64, size, status, ms, near = orjson.loads(
                fields[b"e"]
            )
            body = base64.b64decode(body64)
            body_bytes += len(body)
            scope = ShippedScope(method, path, query, [tuple(h) for h in headers], client)
            log.append((int(fields[b"s"]), ts, scope, body, size, fields[b"m"].decode(), status, ms, near))
        self._log = log
        self._body_bytes = body_bytes
        self.total_recorded = seq
        snapshot: dict[str, Counter] = {}
        for key in counts.keys() | since.keys():
            c = Counter(int(since.get(key, b"0")))
            c.count = int(counts.get(key, b"0"))
            c.last = float(last.get(key, b"0"))
            snapshot[key.decode()] = c
        self._snapshot = snapshot

    def peek(self, mock_id: str) -> Counter | None:
        return self._snapshot.get(mock_id)

    def entries_for(self, mock_id: str) -> list:
        c = self._snapshot.get(mock_id)
        since = c.since if c is not None else 0
        return [e for e in self.newest_first() if e.mock_id == mock_id and e.seq > since]

    def forget(self, mock_id: str) -> None:
        super().forget(mock_id)
        self._snapshot.pop(mock_id, None)
        self.ops.append(("restart", mock_id, False))

    def clear(self) -> int:
        n = len(self._log)
        self._log.clear()
        self._body_bytes = 0
        self._snapshot = {}
        self.ops.append(("clear",))
        return n

    def clear_mock(self, mock_id: str) -> int:
        kept = [t for t in self._log if t[5] != mock_id]
        removed = len(self._log) - len(kept)
        self._log = deque(kept)
        self._body_bytes = sum(len(t[3]) for t in kept)
        self._snapshot.pop(mock_id, None)
        self.ops.append(("restart", mock_id, True))
        return removed
