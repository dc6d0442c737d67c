"""Python cost of one matched request on the mock port, in microseconds, next to a bare handler.

Run: python bench/micro_hotpath.py [--number N] [--mocks 10000]

Design §1: each extra microsecond of Python per request costs about 5% of throughput, so this splits the
mock port's hot path into its parts, each timed alone with the same fake request: the bare RSGI handler of
`bench/run` (one `response_bytes` call), `MockApp.__rsgi__` for a static hit (one mock, and the last of
`--mocks` mocks, and a random mix over all of them: bench scenario 2's paths, each with its own scope, so
the figure includes the cache misses of a load spread over many routes), `Matcher.find` alone (with and
without counting the hit for /metrics, which it does for a static route: issue 20), `Journal.log` alone (a
static hit's entry) and `Journal.record` alone (every other request's: metrics, then log). The coroutine
is driven with `send(None)` (a static hit never awaits), so no event loop or socket is in the figures. Each
case checks its answer once before it is timed. Absolute figures vary with the machine; compare the rows of
one run.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import timeit
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mockbench import fixtures

from mockd.compiler import compile_files
from mockd.runtime.app import MockApp
from mockd.runtime.metrics import RequestMetrics
from mockd.runtime.options import ServerOptions
from mockd.runtime.world import Runtime


class Headers(dict):
    """Stands in for Granian's RSGIHeaders (`.get(lower_name)`, `in`)."""


class Scope:
    __slots__ = (
        "client",
        "headers",
        "http_version",
        "method",
        "path",
        "proto",
        "query_string",
        "scheme",
        "server",
        "uri",
    )

    def __init__(self, path: str) -> None:
        self.method, self.path, self.query_string, self.scheme = "GET", path, "", "http"
        self.proto, self.http_version = "http", "1.1"
        self.headers = Headers({"host": "127.0.0.1", "user-agent": "wrk"})
        self.client, self.server, self.uri = "127.0.0.1:50000", "127.0.0.1:4280", path


class Proto:
    __slots__ = ("last",)

    def __init__(self) -> None:
        self.last: Any = None

    def response_bytes(self, status: int, headers: Any, body: bytes) -> None:
        self.last = (status, body)


def drive(handler: Any, scope: Scope, proto: Proto) -> None:
    coro = handler(scope, proto)
    try:
        coro.send(None)
    except StopIteration:
        return
    raise RuntimeError("the handler awaited: not a static hit")


def app_for(config: dict, workdir: Path) -> MockApp:
    path = fixtures.write(workdir / "config.json", config)
    rt = Runtime(ServerOptions())
    rt.load(compile_files([path]).plan)
    return MockApp(rt)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--number", type=int, default=200_000)
    p.add_argument("--mocks", type=int, default=10_000)
    a = p.parse_args()
    body = fixtures.body(fixtures.mid(a.mocks - 1)).encode()
    headers = [("content-type", fixtures.CONTENT_TYPE)]

    async def bare(scope: Any, proto: Any) -> None:
        proto.response_bytes(200, headers, body)

    many_config, mix = fixtures.many_mocks(a.mocks)
    with tempfile.TemporaryDirectory() as tmp:
        one = app_for(fixtures.one_mock(a.mocks), Path(tmp) / "one")
        many = app_for(many_config, Path(tmp) / "many")
    scope, proto = Scope(fixtures.HIT_PATH), Proto()
    mix_scopes = [Scope(path) for path, _ in mix]
    for mix_scope, (path, mock_id) in zip(mix_scopes, mix, strict=True):
        drive(many.__rsgi__, mix_scope, proto)
        if proto.last != (200, fixtures.body(mock_id).encode()):
            raise SystemExit(f"random mix: {path} answered {proto.last!r}, expected {mock_id}")
    next_mix = itertools.cycle(mix_scopes).__next__
    next_path = itertools.cycle([path for path, _ in mix]).__next__
    table = one.rt.store.table
    find_many = many.rt.store.table.matcher.find
    record, log = one.rt.journal.record, one.rt.journal.log
    observe = RequestMetrics().observe
    cases = {
        "bare RSGI handler (bench/run's baseline)": lambda: drive(bare, scope, proto),
        "MockApp.__rsgi__, 1 mock, static hit": lambda: drive(one.__rsgi__, scope, proto),
        f"MockApp.__rsgi__, {a.mocks} mocks, hit the last": lambda: drive(many.__rsgi__, scope, proto),
        f"MockApp.__rsgi__, {a.mocks} mocks, random mix": lambda: drive(many.__rsgi__, next_mix(), proto),
        "Matcher.find alone (1 mock), counts the hit": lambda: table.matcher.find(
            "GET", fixtures.HIT_PATH, "", None, b""
        ),
        "Matcher.find_uncounted alone (1 mock)": lambda: table.matcher.find_uncounted(
            "GET", fixtures.HIT_PATH, "", None, b""
        ),
        f"Matcher.find alone, {a.mocks} mocks, random mix": lambda: find_many(
            "GET", next_path(), "", None, b""
        ),
        "Journal.log alone (a static hit's entry)": lambda: log(0.0, scope, b"", "m", 200, 0),
        "Journal.record alone (any other request)": lambda: record(0.0, scope, b"", "m", 200, 0),
        # Its share for the Prometheus series (issue 14: within 3 % of throughput end to end): the same
        # steps as Journal.record's inline part, through the method that mirrors it.
        "  of which request metrics": lambda: observe("GET", fixtures.HIT_PATH, 200, 0),
    }
    for name in ("bare RSGI handler (bench/run's baseline)", "MockApp.__rsgi__, 1 mock, static hit",
                 f"MockApp.__rsgi__, {a.mocks} mocks, hit the last"):  # fmt: skip
        proto.last = None
        cases[name]()
        if proto.last != (200, body):
            raise SystemExit(f"{name}: answered {proto.last!r}, expected 200 {body!r}")
    for _ in range(2000):  # fill the request log to its bound first: eviction is part of the steady state
        cases["Journal.record alone (any other request)"]()
    base = None
    print(f"{'case':<48} {'µs/call':>8} {'vs bare':>8}")
    for name, fn in cases.items():
        best = min(timeit.repeat(fn, number=a.number, repeat=5)) / a.number * 1e6
        base = base if base is not None else best
        extra = f"{best - base:+.2f}" if name.startswith("MockApp") else ""
        print(f"{name:<48} {best:8.2f} {extra:>8}")


if __name__ == "__main__":
    main()
