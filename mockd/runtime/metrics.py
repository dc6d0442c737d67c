"""Per-request Prometheus series: `mockd_requests_total{method,path,status}` and the
`mockd_request_duration_seconds{method,path}` histogram, with the Go tool's path normalisation.

Hot path — change with care. A static hit is counted in Rust, by `Matcher.find` into `hits` (a
`HitCounts`, see rust/src/hits.rs): in a 10,000-route random mix the Python step below cost about 1.5 µs of
cold memory per request (issue 20). Every other logged request goes through `Journal.record`, which does
one lookup of the raw (method, path, status) in `rows` (a bounded alias table onto the normalised series)
and two increments; a duration of 0 ms lands in the first bucket without a search. `row` (first sight of a
raw key) and `add_duration` (a non-zero duration) are the slower steps. The Rust counts are taken into the
series (`absorb`), labels rendered, the histogram's buckets made cumulative and grouped by method and path
when `/metrics` is scraped. `bench/micro_hotpath.py` prints the cost next to the rest of the hot path.
"""

from __future__ import annotations

import bisect

from mockd._native import HitCounts, metric_path

# The Go tool's buckets (prometheus.DefBuckets plus 0.001), in milliseconds to compare with the journal's
# whole-millisecond durations without a division per request.
BUCKETS_S = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_BUCKETS_MS = tuple(b * 1000 for b in BUCKETS_S)
# Distinct raw (method, path, status) keys remembered; past that, a new key's path is normalised on every
# request. 4,096 was below a 10,000-route load test's working set: bench scenario 2's random mix (one path
# per mock) missed 59 % of the time and fell from 0.97x to 0.89x of one mock. At most about 3 MiB.
_CACHE_LIMIT = 16384

# The Go tool's label for a path: UUID segments -> `{uuid}`, 24-hex and all-digit (3+) -> `{id}`, so
# `/users/12345` and `/users/67890` are one series. One implementation, in Rust, for both counting paths.
normalise = metric_path


class RequestMetrics:
    """Counts and duration buckets per (method, normalised path, status)."""

    __slots__ = ("hits", "rows", "series")

    def __init__(self, hits: HitCounts | None = None) -> None:
        # Static hits, counted by the route tables' matchers (the journal's store builds them with this).
        self.hits = hits if hits is not None else HitCounts()
        # (method, normalised path, status) -> [count, sum_ms, bucket_0 .. bucket_11]; the buckets are not
        # cumulative and the +Inf bucket is the count.
        self.series: dict[tuple[str, str, int], list[int]] = {}
        # (method, raw path, status) -> the same list as its normalised series (bounded: _CACHE_LIMIT).
        self.rows: dict[tuple[str, str, int], list[int]] = {}

    def row(self, method: str, path: str, status: int) -> list[int]:
        """The series row for a raw key seen for the first time (or past the alias table's bound)."""
        found = self._series_row((method, normalise(path), status))
        if len(self.rows) < _CACHE_LIMIT:
            self.rows[(method, path, status)] = found
        return found

    def _series_row(self, key: tuple[str, str, int]) -> list[int]:
        found = self.series.get(key)
        if found is None:
            found = self.series[key] = [0, 0] + [0] * len(_BUCKETS_MS)
        return found

    @staticmethod
    def add_duration(row: list[int], duration_ms: int) -> None:
        row[1] += duration_ms
        i = bisect.bisect_left(_BUCKETS_MS, duration_ms)
        if i < len(_BUCKETS_MS):
            row[2 + i] += 1

    def observe(self, method: str, path: str, status: int, duration_ms: int) -> None:
        """What `Journal.record` does inline (kept here for callers off the hot path and for tests)."""
        row = self.rows.get((method, path, status)) or self.row(method, path, status)
        row[0] += 1
        if duration_ms:
            self.add_duration(row, duration_ms)
        else:
            row[2] += 1

    def absorb(self) -> None:
        """Take the static hits counted in Rust into the series (a 0 ms request: the first bucket)."""
        for method, path, status, n in self.hits.take():
            row = self._series_row((method, path, status))
            row[0] += n
            row[2] += n

    def requests_samples(self) -> list[tuple[str, float]]:
        self.absorb()
        return [
            (f'{{method="{_label(m)}",path="{_label(p)}",status="{s}"}}', row[0])
            for (m, p, s), row in sorted(self.series.items())
        ]

    def duration_lines(self, name: str) -> list[str]:
        """`_bucket{le}` (cumulative), `_sum` (seconds) and `_count` per (method, path)."""
        self.absorb()
        grouped: dict[tuple[str, str], list[int]] = {}
        for (m, p, _), row in self.series.items():
            acc = grouped.get((m, p))
            if acc is None:
                grouped[(m, p)] = list(row)
            else:
                for i, v in enumerate(row):
                    acc[i] += v
        lines = []
        for (m, p), row in sorted(grouped.items()):
            labels = f'method="{_label(m)}",path="{_label(p)}"'
            running = 0
            for i, le in enumerate(BUCKETS_S):
                running += row[2 + i]
                lines.append(f'{name}_bucket{{{labels},le="{le:g}"}} {running:g}')
            lines.append(f'{name}_bucket{{{labels},le="+Inf"}} {row[0]:g}')
            lines.append(f"{name}_sum{{{labels}}} {row[1] / 1000:g}")
            lines.append(f"{name}_count{{{labels}}} {row[0]:g}")
        return lines


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
