"""Open SSE streams and their RSS; WebSocket echo messages per second (issue 16's streaming figures).

    PYTHONPATH=. .venv/bin/python bench/protocols_stream.py [--streams 1000] [--connections 64] [--seconds 5]

Starts one mockd on free loopback ports with an SSE mock (one event a minute, so streams sit idle) and a
WebSocket echo mock, then:

1. SSE: opens `--streams` streams over raw asyncio connections, waits until each has its `retry:` frame,
   and reports the server's RSS (VmRSS from /proc) before and with them open, and the cost per stream;
2. WebSocket: `--connections` clients (the `websockets` library) each send a frame and wait for its echo, in
   a loop for `--seconds`; reports echoed messages per second. The client shares the machine's cores with
   the server, so the figure is a floor for the server.

The server is stopped by its PID. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from websockets.asyncio.client import connect

CONFIG = """
mocks:
  - id: idle-stream
    http:
      matcher: {method: GET, path: /stream}
      sse:
        generator: {type: sequence, count: 1}
        timing: {fixedDelay: 60000}
  - id: echo
    websocket: {path: /echo}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def start(config: Path, port: int, admin: int, streams: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MOCKD_SSE_MAX_CONNECTIONS": str(streams + 10)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mockd", "start", "--host", "127.0.0.1", "-p", str(port), "-a", str(admin),
         "--config", str(config), "--pid-file", str(config.parent / "mockd.pid")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{admin}/health", timeout=1):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("mockd did not start")


async def open_stream(port: int) -> asyncio.StreamWriter:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /stream HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n")
    await writer.drain()
    seen = b""
    while b"retry:3000" not in seen:
        chunk = await reader.read(4096)
        if not chunk:
            raise RuntimeError("stream closed before its first frame")
        seen += chunk
    return writer


async def sse(port: int, pid: int, streams: int) -> dict[str, float]:
    before = rss_kib(pid)
    writers = []
    for i in range(0, streams, 100):  # in batches, so the accept backlog never overflows
        writers += await asyncio.gather(*(open_stream(port) for _ in range(min(100, streams - i))))
    await asyncio.sleep(1)  # let allocations settle
    during = rss_kib(pid)
    for w in writers:
        w.close()
    return {
        "streams": streams,
        "rss_before_mib": before / 1024,
        "rss_open_mib": during / 1024,
        "kib_per_stream": (during - before) / streams,
    }


async def ws_echo(port: int, connections: int, seconds: float) -> dict[str, float]:
    stop = time.monotonic() + seconds
    counts = [0] * connections

    async def client(i: int) -> None:
        async with connect(f"ws://127.0.0.1:{port}/echo", compression=None) as conn:
            while time.monotonic() < stop:
                await conn.send("ping")
                await conn.recv()
                counts[i] += 1

    started = time.monotonic()
    await asyncio.gather(*(client(i) for i in range(connections)))
    elapsed = time.monotonic() - started
    return {"connections": connections, "seconds": elapsed, "messages_per_s": sum(counts) / elapsed}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--streams", type=int, default=1000)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="mockd-bench-") as scratch:
        config = Path(scratch) / "mocks.yaml"
        config.write_text(CONFIG)
        port, admin = free_port(), free_port()
        proc = start(config, port, admin, args.streams)
        try:
            print("sse:", asyncio.run(sse(port, proc.pid, args.streams)), flush=True)
            print("websocket:", asyncio.run(ws_echo(port, args.connections, args.seconds)), flush=True)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
