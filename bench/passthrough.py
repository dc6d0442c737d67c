"""Passthrough cost (issue 17): wrk against nginx directly vs through `mockd start --upstream <nginx>`.

Run: python bench/passthrough.py [--seconds 5] [--rounds 3] [--connections 16] [--threads 1]
     [--client-ceiling]

nginx (one worker, `return 200` with a small JSON body) is the upstream. Each round runs wrk against nginx
directly and then against mockd's mock port, where no mock matches, so every request is forwarded with
aiohttp and relayed. Prints the median requests/second and p99 of each, and the ratios passthrough/direct
(throughput: higher is better; p99: lower is better). Servers bind 127.0.0.1 on free ports and are stopped
by their own PIDs. Needs wrk and nginx (bench/README.md).

`--client-ceiling` adds a row per round: the HTTP client alone (aiohttp, with the session options mockd's
passthrough uses, on rloop when installed) sending the same request to nginx from this process with
`--connections` concurrent requests. Passthrough cannot beat it, as every forwarded request costs one of
these plus the serving side, so passthrough/ceiling says how much of the cost is ours.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mockbench import servers, wrk

CONFIG = """\
version: "1.0"
mocks:
  - id: other
    http:
      matcher: {method: GET, path: /not-the-benchmarked-path}
      response: {statusCode: 200, body: mocked}
"""
BODY = b'{"id":42,"name":"Ada Lovelace","email":"ada@example.com"}'
PATH = "/api/users/42"
ROOT = Path(__file__).resolve().parent.parent


def client_ceiling(port: int, seconds: float, concurrency: int) -> tuple[float, float]:
    """(requests/second, p99 ms) of aiohttp alone against nginx, configured as mockd's Upstream."""
    import aiohttp
    from yarl import URL

    async def run() -> tuple[float, float]:
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=512), auto_decompress=False, trust_env=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=2.0, sock_read=30.0),
            skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
        )  # fmt: skip
        url = URL(f"http://127.0.0.1:{port}{PATH}", encoded=True)
        headers = [("host", f"127.0.0.1:{port}"), ("x-forwarded-for", "127.0.0.1")]
        latencies: list[float] = []
        end = time.perf_counter() + seconds

        async def worker() -> None:
            while (began := time.perf_counter()) < end:
                resp = await session.request("GET", url, headers=headers, allow_redirects=False)
                await resp.read()
                resp.release()
                latencies.append(time.perf_counter() - began)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        await session.close()
        latencies.sort()
        return len(latencies) / seconds, latencies[int(len(latencies) * 0.99)] * 1000

    try:
        from rloop.loop import RLoop  # type: ignore[import-untyped]  # mockd's server loop, when installed

        loop: asyncio.AbstractEventLoop = RLoop()
    except ImportError:
        loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(run())
    finally:
        loop.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--client-ceiling", action="store_true", help="also measure aiohttp alone")
    args = parser.parse_args()
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    wrk_bin = shutil.which("wrk")
    if wrk_bin is None or not Path(nginx_bin).exists():
        print("needs wrk and nginx: apt-get install -y wrk nginx-light", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="mockd-passthrough-") as scratch:
        work = Path(scratch)
        config = work / "mocks.yaml"
        config.write_text(CONFIG)
        upstream = servers.nginx(nginx_bin, work, "nginx", 200, "application/json", BODY).start()
        proxy = None
        try:
            upstream.wait_ready()
            proxy = servers.mockd(
                args.python, work, "mockd", config=config, ready_path=PATH,
                extra=["--upstream", f"http://127.0.0.1:{upstream.port}", "--pid-file", ""],
            )  # fmt: skip
            proxy.env = {
                "PYTHONPATH": str(ROOT)
            }  # this checkout's mockd, whatever the interpreter has installed
            proxy.start()
            proxy.wait_ready()
            results: dict[str, list[wrk.WrkResult]] = {"direct": [], "passthrough": []}
            ceiling: list[tuple[float, float]] = []
            load = wrk.Workload(PATH)
            for _ in range(args.rounds):
                for name, port in (("direct", upstream.port), ("passthrough", proxy.port)):
                    argv = wrk.command(
                        wrk_bin, port, load, threads=args.threads, connections=args.connections,
                        duration_s=args.seconds, script_path=work / "load.lua",
                    )  # fmt: skip
                    results[name].append(wrk.finish(wrk.start(argv)))
                if args.client_ceiling:
                    ceiling.append(client_ceiling(upstream.port, args.seconds, args.connections))
        finally:
            if proxy is not None:
                proxy.stop()
            upstream.stop()
    med = {
        k: (statistics.median(r.rps for r in v), statistics.median(r.p99_ms for r in v))
        for k, v in results.items()
    }
    print(f"{'':<12} {'req/s':>10} {'p99 ms':>8} {'non-2xx':>8}  socket errors")
    for name, (rps, p99) in med.items():
        bad = sum(r.non_2xx for r in results[name])
        sock = {
            k: sum(r.socket_errors[k] for r in results[name]) for k in ("connect", "read", "write", "timeout")
        }
        print(f"{name:<12} {rps:>10.0f} {p99:>8.2f} {bad:>8}  {sock}")
    if ceiling:
        alone = (statistics.median(c[0] for c in ceiling), statistics.median(c[1] for c in ceiling))
        print(f"{'client alone':<12} {alone[0]:>10.0f} {alone[1]:>8.2f}")
    print(f"ratio passthrough/direct: throughput {med['passthrough'][0] / med['direct'][0]:.3f}x, "
          f"p99 {med['passthrough'][1] / med['direct'][1]:.2f}x")  # fmt: skip
    if ceiling:
        print(f"ratio passthrough/client alone: throughput {med['passthrough'][0] / alone[0]:.3f}x, "
              f"p99 {med['passthrough'][1] / alone[1]:.2f}x")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
