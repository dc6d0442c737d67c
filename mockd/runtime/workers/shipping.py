"""Journal entries made in a worker, shipped to the owner's journal.

A worker answers static and templated mocks itself, so it is the one that sees those requests. Its journal
(`WorkerJournal`) only appends each entry to a local buffer before the response is finished (the same
synchronous step as in one process); the owner pulls the buffers in batches and records them in its own
journal, bumping the mock's counter as the hot path would have. Admin calls on the owner pull from every
worker first (a flush barrier), so a verify made after a response was received always counts that request.

Requests a worker relays to the owner are recorded by the owner when it answers them; the worker's entry for
them carries the `RELAYED` id and is dropped here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockd.runtime.journal import Journal

if TYPE_CHECKING:
    from collections.abc import Iterable

# The log id of the relay target: the owner records those requests itself.
RELAYED = "\x00relayed-to-owner"

# (timestamp, method, path, query, headers, client, body, mock_id, status, duration_ms, near_misses)
Row = tuple[float, str, str, str, list[tuple[str, str]], str, bytes, str, int, int, Any]


class WorkerJournal(Journal):
    """A worker's journal: `record` buffers, `take` hands the buffer over. Counters stay local (nobody reads
    them); the owner counts from the shipped entries."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending: list[tuple] = []

    def record(
        self, timestamp: float, scope: Any, body: bytes, mock_id: str, status: int, duration_ms: int,
        near_misses: list[dict] | None = None,
    ) -> None:  # fmt: skip
        """Hot path of a worker: one identity test and one list append."""
        if mock_id is not RELAYED:
            self.pending.append((timestamp, scope, body, mock_id, status, duration_ms, near_misses))

    def take(self, cutoff: float) -> tuple[list[Row], int]:
        """The buffered entries that started by `cutoff` (the owner's clock when it began this pull), as
        plain data (read on the loop thread, where Granian's scope objects live), and the misses counted
        since the last take. Later entries wait for the next pull: every worker is cut at the same instant,
        so entries from different workers reach the owner's log in time order."""
        pending = self.pending
        if pending and pending[-1][0] > cutoff:
            later = [e for e in pending if e[0] > cutoff]
            pending = [e for e in pending if e[0] <= cutoff]
        else:
            later = []
        self.pending = later
        misses, self.misses = self.misses, 0
        rows = [
            (ts, s.method, s.path, s.query_string, list(s.headers.items()), s.client, body, mock_id, status,
             ms, near)
            for ts, s, body, mock_id, status, ms, near in pending
        ]  # fmt: skip
        return rows, misses


class ShippedHeaders:
    """The header view a shipped entry needs (what the request log reads of RSGI headers)."""

    __slots__ = ("_pairs",)

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs

    def items(self) -> list[tuple[str, str]]:
        return self._pairs

    def get(self, name: str, default: Any = None) -> Any:
        name = name.lower()
        for key, value in self._pairs:
            if key == name:
                return value
        return default

    def __contains__(self, name: object) -> bool:
        return any(key == name for key, _ in self._pairs)


class ShippedScope:
    """Stands in for the RSGI scope of a request a worker answered (journal.LogEntry reads these fields)."""

    __slots__ = ("client", "headers", "method", "path", "query_string")

    def __init__(
        self, method: str, path: str, query: str, headers: list[tuple[str, str]], client: str
    ) -> None:
        self.method = method
        self.path = path
        self.query_string = query
        self.headers = ShippedHeaders(headers)
        self.client = client


def apply(journal: Journal, rows: Iterable[Row], misses: int) -> None:
    """Record shipped entries in the owner's journal and count them on their mocks' counters (on the owner's
    loop thread, as every journal write)."""
    journal.misses += misses
    record = journal.record
    peek = journal.peek
    for ts, method, path, query, headers, client, body, mock_id, status, ms, near in rows:
        record(ts, ShippedScope(method, path, query, headers, client), body, mock_id, status, ms, near)
        if mock_id:
            counter = peek(mock_id)
            if counter is not None:
                counter.count += 1
                if ts > counter.last:
                    counter.last = ts
