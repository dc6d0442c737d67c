"""Chaos end to end, bounded: a latency distribution's p50/p99 and an error rate, measured by a client.

Run: python bench/chaos_e2e.py [--rate 1000] [--seconds 5] [--p50 50ms] [--p99 400ms] [--error-rate 0.1]

Starts `mockd start` on free loopback ports with one mock and this chaos config (seeded):

    latency: {distribution: lognormal, p50, p99, probability: 1}   on ^/slow
    errorRate: {probability: error-rate}                           everywhere else

then sends `rate` requests/second for `seconds` to each path over keep-alive connections (open-loop: a
request is sent on schedule whatever the earlier ones are doing) and prints the measured p50/p99 of
/slow (client-side, so they include the few hundred microseconds of the round trip) against the configured
ones, and the measured error share of the other path against the configured rate. Issue 15's targets:
p50/p99 within 5 %, the rate within 1 percentage point. Standard library only.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mockd.chaos.durations import parse_duration
from tests.harness import MockdProcess, free_port

CONFIG = """\
version: "1.0"
mocks:
  - id: any
    http:
      matcher: {{method: GET, pathPattern: "^/"}}
      response: {{statusCode: 200, body: ok}}
serverConfig:
  chaos:
    enabled: true
    seed: 1
    global:
      errorRate: {{probability: {rate}}}
    rules:
      - pathPattern: "^/slow"
        probability: 1
        faults:
          - {{type: latency, probability: 1, config: {{distribution: lognormal, p50: "{p50}", p99: "{p99}"}}}}
"""


async def _one(port: int, path: str, pool: asyncio.Queue, out: list[tuple[float, int]]) -> None:
    try:
        reader, writer = pool.get_nowait()
    except asyncio.QueueEmpty:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.perf_counter()
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    out.append((time.perf_counter() - started, status))
    pool.put_nowait((reader, writer))


async def drive(port: int, path: str, rate: int, seconds: float) -> list[tuple[float, int]]:
    out: list[tuple[float, int]] = []
    pool: asyncio.Queue = asyncio.Queue()
    tasks = []
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(_one(port, path, pool, out)))
    await asyncio.gather(*tasks)
    while not pool.empty():
        pool.get_nowait()[1].close()
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rate", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--p50", default="50ms")
    p.add_argument("--p99", default="400ms")
    p.add_argument("--error-rate", type=float, default=0.1)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "chaos.yaml"
        config.write_text(CONFIG.format(rate=a.error_rate, p50=a.p50, p99=a.p99))
        proc = MockdProcess(["--config", str(config), "--no-auth"], free_port(), free_port()).start()
        try:
            slow = asyncio.run(drive(proc.port, "/slow", a.rate, a.seconds))
            fast = asyncio.run(drive(proc.port, "/fast", a.rate, a.seconds))
        finally:
            proc.stop()
    times = [t for t, _ in slow]
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    want50, want99 = parse_duration(a.p50) or 0, parse_duration(a.p99) or 0
    print(f"/slow: {len(times)} requests at {a.rate}/s")
    for name, got, want in (("p50", cuts[49], want50), ("p99", cuts[98], want99)):
        print(f"  {name} {got * 1000:8.2f} ms  configured {want * 1000:8.2f} ms  ({got / want - 1:+.1%})")
    errors = sum(1 for _, s in fast if s == 500)
    share = errors / len(fast)
    print(f"/fast: {len(fast)} requests, {errors} errors = {share:.2%} (configured {a.error_rate:.2%}, "
          f"{(share - a.error_rate) * 100:+.2f} points)")  # fmt: skip


if __name__ == "__main__":
    main()
