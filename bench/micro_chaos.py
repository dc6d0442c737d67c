"""Chaos configured but not firing vs no chaos: the Python cost of one static hit on the mock port.

Run: python bench/micro_chaos.py [--number N] [--rules 10]

Issue 15 asks that a route no chaos rule matches keeps >= 0.97x the throughput of no chaos. This times
`MockApp.__rsgi__` for the same static hit, in the same run, three ways: no chaos (`rt.chaos` is None: one
attribute read), chaos with `--rules` rules for other paths and no global faults (one `select`: a counter
bump and a cached per-path lookup), and, for scale, the bare handler of `bench/run`. The ratio column is
µs(no chaos) / µs(case): the share of the no-chaos request rate the Python side allows. The socket and
Granian's Rust side cost the same in every case, so the end-to-end ratio is closer to 1 than this one.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import timeit
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from micro_hotpath import Proto, Scope, app_for, drive
from mockbench import fixtures

from mockd.chaos.model import from_api


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--number", type=int, default=20_000)
    p.add_argument("--repeat", type=int, default=25)
    p.add_argument("--rules", type=int, default=10)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plain = app_for(fixtures.one_mock(1), Path(tmp) / "plain")
        chaotic = app_for(fixtures.one_mock(1), Path(tmp) / "chaos")
    rules = [
        {"pathPattern": f"^/other/{i}", "probability": 1, "faults": [{"type": "error", "probability": 1}]}
        for i in range(a.rules)
    ]
    chaotic.rt.set_chaos(from_api({"enabled": True, "seed": 1, "rules": rules}))
    scope, proto = Scope(fixtures.HIT_PATH), Proto()
    assert chaotic.rt.chaos is not None
    select = chaotic.rt.chaos.select
    for app in (plain, chaotic):
        proto.last = None
        drive(app.__rsgi__, scope, proto)
        if proto.last is None or proto.last[0] != 200:
            raise SystemExit(f"not a static hit: {proto.last!r}")
    cases: dict[str, Any] = {
        "MockApp, no chaos": lambda: drive(plain.__rsgi__, scope, proto),
        f"MockApp, chaos with {a.rules} rules for other paths": lambda: drive(chaotic.__rsgi__, scope, proto),
        "Injector.select alone (no rule matches)": lambda: select("GET", fixtures.HIT_PATH),
    }
    times = {}
    # interleaved repeats, best of each: load on a shared machine hits both cases alike
    for _ in range(a.repeat):
        for name, fn in cases.items():
            t = timeit.timeit(fn, number=a.number) / a.number * 1e6
            times[name] = min(times.get(name, t), t)
    base = times["MockApp, no chaos"]
    print(f"{'case':<48} {'µs/call':>8} {'ratio':>6}")
    for name, t in times.items():
        ratio = f"{base / t:6.3f}" if name.startswith("MockApp") else ""
        print(f"{name:<48} {t:8.2f} {ratio:>6}")
    assert chaotic.rt.chaos is not None
    print(f"chaos requests seen: {chaotic.rt.chaos.stats.total}, faults: {chaotic.rt.chaos.stats.injected}")


if __name__ == "__main__":
    main()
