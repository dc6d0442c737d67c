"""issue 14: the per-request Prometheus series (runtime/metrics.py): Go's path normalisation, the histogram's
buckets, and that clearing the request log does not reset them."""

from __future__ import annotations

import pytest

from mockd._native import Matcher
from mockd.runtime.journal import Journal
from mockd.runtime.metrics import RequestMetrics, normalise
from tests.matcher.routes import route


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/users/123", "/users/{id}"),
        ("/users/12", "/users/12"),  # fewer than 3 digits stays
        ("/users/abc123", "/users/abc123"),
        ("/o/5F2B8C1E9A0D4E6F7A8B9C0D/x", "/o/{id}/x"),  # 24 hex, any case
        ("/o/0b5e3c2a-1d4f-4e6a-9b8c-7d6e5f4a3b2c", "/o/{uuid}"),
        ("/n/\u0661\u0662\u0663", "/n/\u0661\u0662\u0663"),  # digits are ASCII digits
        ("/", "/"),
    ],
)
def test_paths_are_normalised_as_the_go_tool_does(path: str, label: str) -> None:
    assert normalise(path) == label


def test_durations_land_in_their_le_bucket() -> None:
    m = RequestMetrics()
    for ms in (0, 1, 2, 5, 6, 10_000, 20_000):
        m.observe("GET", "/x", 200, ms)
    [line_count] = [r for r in m.duration_lines("d") if r.startswith("d_count")]
    assert line_count == 'd_count{method="GET",path="/x"} 7'
    buckets = {
        r.split('le="')[1].split('"')[0]: r.rsplit(" ", 1)[1] for r in m.duration_lines("d") if "le=" in r
    }
    assert buckets == {"0.001": "2", "0.005": "4", "0.01": "5", "0.025": "5", "0.05": "5", "0.1": "5",
                       "0.25": "5", "0.5": "5", "1": "5", "2.5": "5", "5": "5", "10": "6", "+Inf": "7"}  # fmt: skip
    [line_sum] = [r for r in m.duration_lines("d") if r.startswith("d_sum")]
    assert line_sum == 'd_sum{method="GET",path="/x"} 30.014'


class _Scope:
    def __init__(self, path: str) -> None:
        self.method, self.path = "GET", path


def test_clearing_the_request_log_keeps_the_counters() -> None:
    j = Journal()
    for p in ("/a/1001", "/a/1002", "/a/1001"):
        j.record(0.0, _Scope(p), b"", "m", 200, 0)
    j.clear()
    assert j.metrics.requests_samples() == [('{method="GET",path="/a/{id}",status="200"}', 3)]


def test_a_ten_thousand_route_working_set_stays_in_the_alias_table() -> None:
    """issue 20: with 4,096 aliases, bench scenario 2's random mix (one path per mock, 10,000 mocks)
    normalised 59 % of its paths on every request. Past the bound, new paths still count, uncached."""
    m = RequestMetrics()
    paths = [f"/api/r{i:05d}/items/{i * 7919}" for i in range(20_000)]
    for p in paths[:10_000]:
        m.row("GET", p, 200)[0] += 1
    assert len(m.rows) == 10_000
    assert all(("GET", p, 200) in m.rows for p in paths[:10_000])
    for p in paths[10_000:]:
        m.observe("GET", p, 200, 0)
    assert len(m.rows) == 16_384  # bounded
    assert sum(row[0] for row in m.series.values()) == 20_000


def test_counts_from_the_matcher_join_the_journal_series() -> None:
    """issue 20: static hits counted in Rust (`hits`) and requests counted by `Journal.record` are one
    series: the Rust counts are taken into it at scrape time, as 0 ms requests, exactly once."""
    j = Journal()
    m = Matcher([route(method="GET", path="/a/{id}")], j.metrics.hits, [200])
    for p in ("/a/1001", "/a/1002"):
        assert m.find("GET", p, "", None, None) == 0
        j.log(0.0, _Scope(p), b"", "m", 200, 0)
    j.record(0.0, _Scope("/a/1003"), b"", "m", 200, 7)
    assert j.metrics.requests_samples() == [('{method="GET",path="/a/{id}",status="200"}', 3)]
    assert j.metrics.requests_samples() == [('{method="GET",path="/a/{id}",status="200"}', 3)]
    lines = j.metrics.duration_lines("d")
    assert 'd_bucket{method="GET",path="/a/{id}",le="0.001"} 2' in lines
    assert 'd_bucket{method="GET",path="/a/{id}",le="0.01"} 3' in lines
    assert 'd_count{method="GET",path="/a/{id}"} 3' in lines
    assert j.total_recorded == 3
