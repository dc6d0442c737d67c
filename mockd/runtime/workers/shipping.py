"""What a worker saw, shipped to the owner: counts, metrics and the newest log entries.

A worker answers static and templated mocks itself, so it is the one that sees those requests. Its hot path
is the one-process hot path: the mock's counter is bumped, the request is counted in the metrics (by
`Journal.record`, or for a static hit by the matcher) and `WorkerJournal.log` appends it to a buffer bounded
by the log's own size (older entries would be evicted from the owner's log at once, so they are never
shipped, only counted). The owner pulls from every worker in batches (`take`) and adds the counter deltas,
metric rows and entries to its own journal. Admin calls on the owner pull first (a flush barrier), so a
verify made after a response was received always counts it.

With a live reader of the log (`GET /requests/stream`) on the owner, the buffer is unbounded until the
next pull, so the stream gets every request.

Requests a worker relays to the owner are counted and logged by the owner when it answers them; the
worker's entry for them carries the `RELAYED` id and is dropped here.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, NamedTuple

from mockd.runtime.journal import Journal
from mockd.runtime.metrics import RequestMetrics

if TYPE_CHECKING:
    from collections.abc import Iterable

# The log id of the relay target: the owner counts and records those requests itself.
RELAYED = "\x00relayed-to-owner"

# (timestamp, method, path, query, headers, client, body, mock_id, status, duration_ms, near_misses)
Row = tuple[float, str, str, str, list[tuple[str, str]], str, bytes, str, int, int, Any]


class Batch(NamedTuple):
    """One pull from one worker."""

    rows: list[Row]  # entries that started by the pull's cutoff, oldest first
    skipped: int  # entries recorded but dropped before shipping (older than the log keeps)
    counters: list[tuple[str, int, float]]  # (mock id, calls since the last pull, newest call)
    series: dict[tuple[str, str, int], list[int]]  # metric rows since the last pull
    misses: int


class WorkerJournal(Journal):
    """A worker's journal: `record` counts and buffers; `take` hands over everything since the last take."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending: deque[tuple] = deque(maxlen=self.max_kept)
        self._done = 0  # entries shipped or skipped so far

    def record(
        self, timestamp: float, scope: Any, body: bytes, mock_id: str, status: int, duration_ms: int,
        near_misses: list[dict] | None = None,
    ) -> None:  # fmt: skip
        """As `Journal.record`, except for requests relayed to the owner: the owner counts and logs those."""
        if mock_id is not RELAYED:
            super().record(timestamp, scope, body, mock_id, status, duration_ms, near_misses)

    def log(
        self, timestamp: float, scope: Any, body: bytes, mock_id: str, status: int, duration_ms: int,
        near_misses: list[dict] | None = None,
    ) -> None:  # fmt: skip
        """Hot path of a worker: one bounded append (the metrics were counted by `record` or the matcher)."""
        self.total_recorded += 1
        self.pending.append((timestamp, scope, body, mock_id, status, duration_ms, near_misses))

    def take(self, cutoff: float, keep_all: bool) -> Batch:
        """Everything since the last take (on the loop thread, where Granian's scope objects live). Entries
        that started after `cutoff` (the owner's clock when it began this pull) wait for the next one: every
        worker is cut at the same instant, so entries reach the owner's log in time order. `keep_all`: the
        owner has a live log reader, so buffer without bound until the next pull."""
        pending = self.pending
        shipped = []
        while pending and pending[0][0] <= cutoff:
            shipped.append(pending.popleft())
        if keep_all != (pending.maxlen is None):
            self.pending = deque(pending, maxlen=None if keep_all else self.max_kept)
        done = self.total_recorded - len(self.pending)
        skipped = done - self._done - len(shipped)
        self._done = done
        rows: list[Row] = [
            (ts, s.method, s.path, s.query_string, list(s.headers.items()), s.client, body, mock_id, status,
             ms, near)
            for ts, s, body, mock_id, status, ms, near in shipped
        ]  # fmt: skip
        counters = []
        for mock_id, counter in self._counters.items():
            if counter.count:
                counters.append((mock_id, counter.count, counter.last))
                counter.count = 0
        self.metrics.absorb()  # the static hits the worker's matchers counted
        series = self.metrics.series
        self.metrics = RequestMetrics(self.metrics.hits)  # the route tables keep counting into `hits`
        self._metric_rows = self.metrics.rows
        misses, self.misses = self.misses, 0
        return Batch(rows, skipped, counters, series, misses)


class ShippedScope:
    """Stands in for the RSGI scope of a request a worker answered: what journal.LogEntry and the request
    log read of it (method, path, query, client, and headers with `items` and `get`)."""

    __slots__ = ("_pairs", "client", "method", "path", "query_string")

    def __init__(self, method: str, path: str, query: str, pairs: list[tuple[str, str]], client: str) -> None:
        self.method = method
        self.path = path
        self.query_string = query
        self._pairs = pairs
        self.client = client

    @property
    def headers(self) -> ShippedScope:
        return self

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


def apply(journal: Journal, batches: Iterable[Batch]) -> None:
    """Add the workers' batches of one pull to the owner's journal (on the owner's loop thread)."""
    rows: list[Row] = []
    series = journal.metrics.series
    for batch in batches:
        journal.misses += batch.misses
        journal.total_recorded += batch.skipped  # older than anything shipped: their sequence numbers first
        for mock_id, calls, last in batch.counters:
            counter = journal.peek(mock_id)
            if counter is not None:
                counter.count += calls
                if last > counter.last:
                    counter.last = last
        for key, values in batch.series.items():
            mine = series.get(key)
            if mine is None:
                series[key] = values
            else:
                for i, v in enumerate(values):
                    mine[i] += v
        rows.extend(batch.rows)
    rows.sort(key=lambda r: r[0])  # one log in time order across workers
    append = journal.log  # counted in the metrics by the worker (its series are added above)
    for ts, method, path, query, headers, client, body, mock_id, status, ms, near in rows:
        append(ts, ShippedScope(method, path, query, headers, client), body, mock_id, status, ms, near)
