"""What happened: exact per-mock counters and a bounded request log.

Verification reads the counters, never the log (design D4): the Go tool counts matches in its newest 100 log
entries, so `exactly 150` fails there after 150 calls. Counters are plain attributes bumped on the event-loop
thread between awaits, so no increment is lost and no lock is needed.

The log is a ring bounded by entries *and* by bytes. Entries keep references to objects the request already
made (the RSGI header object, the body bytes) and are formatted only when someone reads them, so recording a
request costs one tuple and a deque append on the hot path.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

DEFAULT_MAX_ENTRIES = 1000  # the Go tool's --max-log-entries default
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_BODY_CAP = 64 * 1024
# Headers are not measured on the hot path (that would mean iterating them); each entry is charged this much
# on top of its body, path and query.
ENTRY_OVERHEAD = 512


class Counter:
    """Calls matched to one mock id. Shared by every route table built while the mock exists."""

    __slots__ = ("count", "last")

    def __init__(self) -> None:
        self.count = 0
        self.last = 0.0  # epoch seconds of the newest call; meaningless while count == 0


class LogEntry(NamedTuple):
    seq: int
    timestamp: float
    method: str
    path: str
    query: str
    headers: Any  # RSGIHeaders (or a list of (name, value) pairs): formatted on read
    body: bytes  # kept up to the body cap
    body_size: int  # the real size, so truncation is visible
    remote_addr: str
    mock_id: str  # "" when unmatched; "__mockd:health", "stateful:<name>" as in the Go tool
    status: int
    duration_ms: int
    near_misses: list[dict] | None
    error: str | None

    @property
    def truncated(self) -> bool:
        return self.body_size > len(self.body)

    @property
    def id(self) -> str:
        return "req-" + _base36(self.seq)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


@dataclass(frozen=True, slots=True)
class JournalLimits:
    max_entries: int = DEFAULT_MAX_ENTRIES
    max_bytes: int = DEFAULT_MAX_BYTES
    body_cap: int = DEFAULT_BODY_CAP


class Journal:
    def __init__(self, limits: JournalLimits | None = None) -> None:
        self.limits = limits or JournalLimits()
        self._counters: dict[str, Counter] = {}
        self._log: deque[LogEntry] = deque()
        self._bytes = 0
        self._seq = itertools.count(1)
        self.total_recorded = 0  # every request ever logged, including evicted ones

    # -- counters --------------------------------------------------------------------------------------

    def counter(self, mock_id: str) -> Counter:
        """The live counter for `mock_id`, created on first use; route tables hold it by reference."""
        c = self._counters.get(mock_id)
        if c is None:
            c = self._counters[mock_id] = Counter()
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
        method: str,
        path: str,
        query: str,
        headers: Any,
        body: bytes,
        remote_addr: str,
        mock_id: str,
        status: int,
        duration_ms: int,
        near_misses: list[dict] | None = None,
        error: str | None = None,
    ) -> None:
        """Hot path: append one entry, evicting the oldest ones past either bound."""
        size = len(body)
        cap = self.limits.body_cap
        kept = body if size <= cap else body[:cap]
        entry = LogEntry(
            next(self._seq), timestamp, method, path, query, headers, kept, size, remote_addr, mock_id,
            status, duration_ms, near_misses, error,
        )  # fmt: skip
        self._log.append(entry)
        self._bytes += len(kept) + len(path) + len(query) + ENTRY_OVERHEAD
        self.total_recorded += 1
        if len(self._log) > self.limits.max_entries or self._bytes > self.limits.max_bytes:
            self._evict()

    def _evict(self) -> None:
        log = self._log
        while log and (len(log) > self.limits.max_entries or self._bytes > self.limits.max_bytes):
            old = log.popleft()
            self._bytes -= len(old.body) + len(old.path) + len(old.query) + ENTRY_OVERHEAD

    @property
    def retained_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._log)

    def newest_first(self) -> Iterator[LogEntry]:
        return reversed(self._log)

    def find(self, entry_id: str) -> LogEntry | None:
        for e in self._log:
            if e.id == entry_id:
                return e
        return None

    def clear(self) -> int:
        """Drop the whole log and zero every counter (DELETE /verify); returns the entries removed."""
        n = len(self._log)
        self._log.clear()
        self._bytes = 0
        for c in self._counters.values():
            c.count = 0
            c.last = 0.0
        return n

    def clear_log(self) -> int:
        """Drop the log only (DELETE /requests); counters keep counting."""
        n = len(self._log)
        self._log.clear()
        self._bytes = 0
        return n

    def clear_mock(self, mock_id: str) -> int:
        """Drop one mock's entries and zero its counter (DELETE /mocks/{id}/invocations)."""
        kept = deque(e for e in self._log if e.mock_id != mock_id)
        removed = len(self._log) - len(kept)
        self._log = kept
        self._bytes = sum(len(e.body) + len(e.path) + len(e.query) + ENTRY_OVERHEAD for e in kept)
        c = self._counters.get(mock_id)
        if c is not None:
            c.count = 0
            c.last = 0.0
        return removed
