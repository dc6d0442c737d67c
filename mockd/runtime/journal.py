"""What happened: exact per-mock counters and a bounded request log.

Verification reads the counters, never the log (design D4): the Go tool counts matches in its newest 100 log
entries, so `exactly 150` fails there after 150 calls. Counters are plain attributes bumped on the event-loop
thread between awaits, so no increment is lost and no lock is needed.

The log is a ring bounded by entries *and* by bytes. Entries keep references to objects the request already
made (the RSGI header object, the body bytes) and are formatted only when someone reads them, so recording a
request costs one tuple and a deque append on the hot path.

Live readers (`GET /requests/stream`) subscribe and get every entry pushed to their own bounded queue as it
is recorded; with no subscriber the hot path pays one truthiness test for this.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from mockd.runtime.metrics import RequestMetrics

DEFAULT_MAX_ENTRIES = 1000  # the Go tool's --max-log-entries default
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_BODY_CAP = 64 * 1024
# Headers are not measured on the hot path (that would mean iterating them); each entry is charged this much
# on top of its body, path and query.
ENTRY_OVERHEAD = 512


class Counter:
    """Calls matched to one mock id. Shared by every route table built while the mock exists."""

    __slots__ = ("count", "last", "since")

    def __init__(self, since: int = 0) -> None:
        self.count = 0
        self.last = 0.0  # epoch seconds of the newest call; meaningless while count == 0
        # Log sequence number when counting (re)started: older entries with this mock id belong to a deleted
        # mock of the same id or to a reset, so invocation lists skip them and agree with `count`.
        self.since = since


class LogEntry(NamedTuple):
    """One logged request. The hot path stores the RSGI `scope` itself (it stays readable after the request)
    and this view reads method, path, query, headers and client from it only when someone lists the log."""

    seq: int
    timestamp: float
    scope: Any  # anything with .method, .path, .query_string, .headers, .client (Granian's RSGI scope)
    body: bytes  # kept up to the body cap
    body_size: int  # the real size, so truncation is visible
    mock_id: str  # "" when unmatched; "__mockd:health", "stateful:<name>" as in the Go tool
    status: int
    duration_ms: int
    near_misses: list[dict] | None

    @property
    def truncated(self) -> bool:
        return self.body_size > len(self.body)

    @property
    def id(self) -> str:
        return "req-" + _base36(self.seq)

    @property
    def method(self) -> str:
        return self.scope.method

    @property
    def path(self) -> str:
        return self.scope.path

    @property
    def query(self) -> str:
        return self.scope.query_string

    @property
    def headers(self) -> list[tuple[str, str]]:
        return list(self.scope.headers.items())

    @property
    def remote_addr(self) -> str:
        return self.scope.client


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


# What a queued entry costs besides its body, measured: a stalled reader behind 10,000 bodiless GETs held
# about 5 KB of RSS per entry (the RSGI scope it references keeps the parsed request head).
STREAM_ENTRY_CHARGE = 4096


class Subscription:
    """One live reader of new log entries. Pushed to on the event-loop thread only (no lock needed).

    The queue is bounded by entries and by bytes (each entry charged its kept body plus STREAM_ENTRY_CHARGE),
    so a client that stops reading costs at most that much here: past either bound the oldest unsent entries
    are dropped and counted, and the reader reports the count in the stream (issue 12). The stream's pump
    stops taking entries while the client is behind (admin/sendwindow.py), which is what lets this fill.
    """

    __slots__ = ("_bytes", "_event", "_in_window", "_queue", "_window", "dropped", "limit", "max_bytes",
                 "per_second", "skipped")  # fmt: skip

    def __init__(self, limit: int, max_bytes: int, per_second: int = 0) -> None:
        self.limit = limit
        self.max_bytes = max_bytes
        self._queue: deque[tuple] = deque()
        self._bytes = 0
        self._event = asyncio.Event()
        self.dropped = 0  # entries dropped since the reader last took the count
        # A sampling reader (the dashboard, issue 22) takes at most `per_second` entries in each one-second
        # window and only counts the rest: they are never queued or formatted, so a flood costs the server a
        # clock read per entry for this reader, not an encoded frame.
        self.per_second = per_second
        self._window = 0.0
        self._in_window = 0
        self.skipped = 0  # entries left out by sampling since the reader last took the count

    def push(self, entry: tuple) -> None:
        if self.per_second:
            now = time.monotonic()
            if now - self._window >= 1.0:
                self._window = now
                self._in_window = 0
            if self._in_window >= self.per_second:
                self.skipped += 1
                if self.skipped == 1:  # wake the reader once per report, not once per entry
                    self._event.set()
                return
            self._in_window += 1
        queue = self._queue
        queue.append(entry)
        self._bytes += len(entry[3]) + STREAM_ENTRY_CHARGE
        while len(queue) > self.limit or self._bytes > self.max_bytes:
            self._bytes -= len(queue.popleft()[3]) + STREAM_ENTRY_CHARGE
            self.dropped += 1
        self._event.set()

    @property
    def queued_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._queue)

    async def next(self) -> tuple[int, LogEntry | None]:
        """`(dropped, entry)`: the entries dropped since the last call (they came before `entry`), and the
        oldest queued entry, or None when only drops or sampling skips are to be reported. Waits until there
        is one of them (`skipped` is left for the caller to take)."""
        while not self._queue and not self.dropped and not self.skipped:
            self._event.clear()
            await self._event.wait()
        dropped, self.dropped = self.dropped, 0
        if not self._queue:
            return dropped, None
        entry = self._queue.popleft()
        self._bytes -= len(entry[3]) + STREAM_ENTRY_CHARGE
        return dropped, LogEntry._make(entry)


STREAM_QUEUE_LIMIT = 10_000  # unsent entries kept per stream reader
STREAM_QUEUE_BYTES = 8 * 1024 * 1024  # and their bytes (bodies kept plus STREAM_ENTRY_CHARGE each)


@dataclass(frozen=True, slots=True)
class JournalLimits:
    max_entries: int = DEFAULT_MAX_ENTRIES
    max_bytes: int = DEFAULT_MAX_BYTES
    body_cap: int = DEFAULT_BODY_CAP


class Journal:
    def __init__(self, limits: JournalLimits | None = None) -> None:
        self.limits = limits or JournalLimits()
        self._counters: dict[str, Counter] = {}
        # Raw tuples in LogEntry field order; wrapped in LogEntry only when read.
        self._log: deque[tuple] = deque()
        self._body_bytes = 0  # bodies kept; each entry is also charged ENTRY_OVERHEAD
        # The byte bound applied to the per-entry charge alone, folded into the entry bound so requests
        # without a body need one comparison.
        self._max_entries = max(0, min(self.limits.max_entries, self.limits.max_bytes // ENTRY_OVERHEAD))
        self.misses = 0  # requests no mock matched (404 no_match), for /metrics
        self.total_recorded = 0  # every request ever logged, including evicted ones; also the entry seq
        self._subscribers: list[Subscription] = []
        # Prometheus series by method, path and status: process-wide, never reset by clearing the log.
        self.metrics = RequestMetrics()
        self._metric_rows = self.metrics.rows

    # -- counters --------------------------------------------------------------------------------------

    def counter(self, mock_id: str) -> Counter:
        """The live counter for `mock_id`, created on first use; route tables hold it by reference."""
        c = self._counters.get(mock_id)
        if c is None:
            c = self._counters[mock_id] = Counter(self.total_recorded)
        return c

    def peek(self, mock_id: str) -> Counter | None:
        return self._counters.get(mock_id)

    def forget(self, mock_id: str) -> None:
        """The mock is gone: drop its counter (a new mock with the same id starts from zero)."""
        self._counters.pop(mock_id, None)

    # -- log -------------------------------------------------------------------------------------------

    def record(
        self,
        timestamp: float,
        scope: Any,
        body: bytes,
        mock_id: str,
        status: int,
        duration_ms: int,
        near_misses: list[dict] | None = None,
    ) -> None:
        """Count the request in the metrics, then `log` it. A static hit skips this for `log`: the matcher
        counted it (metrics.py)."""
        row = self._metric_rows.get((scope.method, scope.path, status))
        if row is None:
            row = self.metrics.row(scope.method, scope.path, status)
        row[0] += 1
        if duration_ms:
            self.metrics.add_duration(row, duration_ms)
        else:
            row[2] += 1  # the first bucket: a 0 ms request
        self.log(timestamp, scope, body, mock_id, status, duration_ms, near_misses)

    def log(
        self, timestamp: float, scope: Any, body: bytes, mock_id: str, status: int, duration_ms: int,
        near_misses: list[dict] | None = None,
    ) -> None:  # fmt: skip
        """Hot path — change with care: append one entry, evicting the oldest past either bound. Leaves the
        metrics alone: a static hit was counted by the matcher, and a worker's entry by the worker."""
        n = self.total_recorded + 1
        self.total_recorded = n
        log = self._log
        if body:
            size = len(body)
            kept = body if size <= self.limits.body_cap else body[: self.limits.body_cap]
            entry = (n, timestamp, scope, kept, size, mock_id, status, duration_ms, near_misses)
            log.append(entry)
            self._body_bytes += len(kept)
            if self._body_bytes + len(log) * ENTRY_OVERHEAD > self.limits.max_bytes:
                self._evict()
        else:
            entry = (n, timestamp, scope, b"", 0, mock_id, status, duration_ms, near_misses)
            log.append(entry)
        if len(log) > self._max_entries:
            self._evict()
        if self._subscribers:
            for sub in self._subscribers:
                sub.push(entry)

    @property
    def has_subscribers(self) -> bool:
        return bool(self._subscribers)

    @property
    def max_kept(self) -> int:
        """The most entries the log keeps (the entry bound, with the byte bound per entry folded in)."""
        return self._max_entries

    def _evict(self) -> None:
        log = self._log
        max_bytes = self.limits.max_bytes
        while log and (
            len(log) > self._max_entries or self._body_bytes + len(log) * ENTRY_OVERHEAD > max_bytes
        ):
            self._body_bytes -= len(log.popleft()[3])

    def __len__(self) -> int:
        return len(self._log)

    def newest_first(self) -> Iterator[LogEntry]:
        return (LogEntry._make(t) for t in reversed(self._log))

    def find(self, entry_id: str) -> LogEntry | None:
        """The retained entry with this id (`req-<base36 seq>`), else None."""
        prefix, _, digits = entry_id.partition("-")
        if prefix != "req" or not digits or digits != digits.lower() or not digits.isalnum():
            return None
        try:
            seq = int(digits, 36)
        except ValueError:
            return None
        if _base36(seq) != digits:  # "req-01" is not "req-1"
            return None
        for t in self._log:
            if t[0] == seq:
                return LogEntry._make(t)
        return None

    def entries_for(self, mock_id: str) -> list[LogEntry]:
        """The retained entries of `mock_id`'s current counter (see `Counter.since`), newest first."""
        c = self._counters.get(mock_id)
        since = c.since if c is not None else self.total_recorded
        return [LogEntry._make(t) for t in reversed(self._log) if t[5] == mock_id and t[0] > since]

    def clear(self) -> int:
        """Drop the whole log and zero every counter; returns the entries removed.

        Both `DELETE /verify` and `DELETE /requests` land here: the Go tool derives call counts from its log,
        so a suite that clears the log between tests expects the counts to start again from zero."""
        n = len(self._log)
        self._log.clear()
        self._body_bytes = 0
        for c in self._counters.values():
            c.count = 0
            c.last = 0.0
            c.since = self.total_recorded
        return n

    def subscribe(
        self, limit: int = STREAM_QUEUE_LIMIT, max_bytes: int = STREAM_QUEUE_BYTES, per_second: int = 0,
    ) -> Subscription:  # fmt: skip
        """A reader that receives every entry recorded from now on (call on the event-loop thread), or with
        `per_second`, at most that many a second (the rest counted in `skipped`)."""
        sub = Subscription(limit, max_bytes, per_second)
        self._subscribers.append(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        # A new list, not an in-place removal: `record` may be iterating the old one.
        self._subscribers = [s for s in self._subscribers if s is not sub]

    def clear_mock(self, mock_id: str) -> int:
        """Drop one mock's entries and zero its counter (DELETE /mocks/{id}/invocations)."""
        kept = [t for t in self._log if t[5] != mock_id]
        removed = len(self._log) - len(kept)
        self._log.clear()
        self._log.extend(kept)
        self._body_bytes = sum(len(t[3]) for t in kept)
        c = self._counters.get(mock_id)
        if c is not None:
            c.count = 0
            c.last = 0.0
            c.since = self.total_recorded
        return removed
