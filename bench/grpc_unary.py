"""Unary gRPC calls per second against a static HTTP mock of the same server (issue 18's gRPC figure).

    PYTHONPATH=. .venv/bin/python bench/grpc_unary.py [--concurrency 32] [--seconds 3] [--rounds 3]

Starts one mockd on free loopback ports with a gRPC mock (one unary method, a small canned reply) and a
static HTTP mock, then alternates rounds (gRPC, HTTP, gRPC, HTTP, ...). Both load loops are Python on one
asyncio loop with `--concurrency` calls in flight: gRPC through a `grpc.aio` channel (raw bytes, no stubs),
HTTP over keep-alive connections written by hand (the cheapest Python HTTP/1.1 client). The client shares
the machine's cores with the server, so both figures are floors for the server; the ratio of the two,
measured in the same run, is what to compare. With `wrk` on the PATH, the HTTP mock is also measured with
it, to show how much the Python client holds the HTTP figure down. The server's CPU time per call (from
/proc, Linux only) is the figure least affected by the client.

Last, start-up is timed with `--protos` gRPC mocks, each with its own .proto compiled at load.

The server is stopped by its PID.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import grpc

PROTO = """
syntax = "proto3";
package bench;
service Echo { rpc Get(Req) returns (Reply); }
message Req { string id = 1; }
message Reply { string id = 1; string name = 2; }
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(folder: Path, port: int, admin: int, grpc_port: int) -> subprocess.Popen[bytes]:
    (folder / "bench.proto").write_text(PROTO)
    config = {
        "mocks": [
            {"id": "ping", "http": {"matcher": {"method": "GET", "path": "/ping"},
                                    "response": {"statusCode": 200, "body": '{"id":"1","name":"bench"}'}}},
            {"id": "echo", "type": "grpc", "grpc": {"port": grpc_port, "protoFile": "bench.proto",
             "services": {"bench.Echo": {"methods": {"Get": {"response": {"id": "1", "name": "bench"}}}}}}},
        ]
    }  # fmt: skip
    path = folder / "mockd.json"
    path.write_text(json.dumps(config))
    cmd = [sys.executable, "-m", "mockd", "start", "--config", str(path), "--host", "127.0.0.1",
           "-p", str(port), "-a", str(admin)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{admin}/ports", timeout=1) as resp:
                if any(p["port"] == grpc_port for p in json.loads(resp.read())["ports"]):
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("mockd did not start")


async def grpc_round(port: int, concurrency: int, seconds: float) -> tuple[float, int]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as ch:
        call = ch.unary_unary("/bench.Echo/Get")
        await call(b"")  # connect outside the measured window
        done = 0
        stop_at = time.monotonic() + seconds

        async def worker() -> None:
            nonlocal done
            while time.monotonic() < stop_at:
                await call(b"\n\x011")  # Req{id: "1"}
                done += 1

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return done / (time.monotonic() - started), done


async def http_round(port: int, concurrency: int, seconds: float) -> tuple[float, int]:
    request = b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    done = 0
    stop_at = time.monotonic() + seconds

    async def worker() -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < stop_at:
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                await reader.readexactly(length)
                done += 1
        finally:
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done / (time.monotonic() - started), done


def cpu_seconds(pid: int) -> float:
    """The server's user + system CPU so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(pid: int, run: Callable[[], Coroutine[Any, Any, tuple[float, int]]]) -> tuple[float, float]:
    """(calls per second, server CPU microseconds per call) of one round."""
    before = cpu_seconds(pid)
    rate, calls = asyncio.run(run())
    return rate, (cpu_seconds(pid) - before) * 1e6 / max(calls, 1)


def wrk_rps(port: int, seconds: float) -> float | None:
    if shutil.which("wrk") is None:
        return None
    out = subprocess.run(["wrk", "-t2", "-c64", f"-d{max(1, int(seconds))}s", f"http://127.0.0.1:{port}/ping"],
                         capture_output=True, text=True, check=False).stdout  # fmt: skip
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    return None


def startup_with_protos(count: int) -> float:
    """Seconds from spawning mockd to its admin port listing all of `count` gRPC mocks' ports, each mock
    with its own .proto (each compiled by protoc at load)."""
    with tempfile.TemporaryDirectory(prefix="mockd-bench-") as tmp:
        folder = Path(tmp)
        mocks, ports = [], []
        for i in range(count):
            (folder / f"svc{i}.proto").write_text(PROTO.replace("package bench;", f"package bench{i};"))
            port = free_port()
            ports.append(port)
            services = {f"bench{i}.Echo": {"methods": {"Get": {"response": {"id": "1"}}}}}
            spec = {"port": port, "protoFile": f"svc{i}.proto", "services": services}
            mocks.append({"id": f"g{i}", "type": "grpc", "grpc": spec})
        path = folder / "mockd.json"
        path.write_text(json.dumps({"mocks": mocks}))
        admin = free_port()
        cmd = [sys.executable, "-m", "mockd", "start", "--config", str(path), "--host", "127.0.0.1",
               "-p", str(free_port()), "-a", str(admin)]  # fmt: skip
        started = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while time.monotonic() - started < 60:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{admin}/ports", timeout=1) as resp:
                        listed = {p["port"] for p in json.loads(resp.read())["ports"]}
                    if listed >= set(ports):
                        return time.monotonic() - started
                except OSError:
                    time.sleep(0.02)
            raise SystemExit("mockd did not list its gRPC ports in time")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=15)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--protos", type=int, default=10, help="start-up is timed with this many .proto files")
    args = ap.parse_args()
    port, admin, grpc_port = free_port(), free_port(), free_port()
    with tempfile.TemporaryDirectory(prefix="mockd-bench-") as tmp:
        proc = start(Path(tmp), port, admin, grpc_port)
        try:
            g, h, gcpu, hcpu = [], [], [], []
            for _ in range(args.rounds):
                rate, cpu = measured(proc.pid, lambda: grpc_round(grpc_port, args.concurrency, args.seconds))
                g.append(rate)
                gcpu.append(cpu)
                rate, cpu = measured(proc.pid, lambda: http_round(port, args.concurrency, args.seconds))
                h.append(rate)
                hcpu.append(cpu)
            wrk = wrk_rps(port, args.seconds)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=15)
    ratios = [a / b for a, b in zip(g, h, strict=True)]
    print(f"gRPC unary calls/s (Python grpc.aio client, {args.concurrency} in flight): "
          f"median {statistics.median(g):,.0f}  rounds {[round(x) for x in g]}")  # fmt: skip
    print(f"HTTP static mock req/s (Python keep-alive client, {args.concurrency} connections): "
          f"median {statistics.median(h):,.0f}  rounds {[round(x) for x in h]}")  # fmt: skip
    print(f"gRPC / HTTP (same client language, same run): median {statistics.median(ratios):.2f}x "
          f"({min(ratios):.2f}-{max(ratios):.2f})")  # fmt: skip
    gus, hus = statistics.median(gcpu), statistics.median(hcpu)
    print(f"server CPU per call: gRPC {gus:.0f} us, HTTP {hus:.0f} us "
          f"(so at most {1e6 / gus:,.0f} gRPC calls/s per core)")  # fmt: skip
    if wrk is not None:
        print(f"HTTP static mock with wrk -t2 -c64: {wrk:,.0f} req/s")
    print(f"start-up with {args.protos} protos (spawn to all gRPC ports listed): "
          f"{startup_with_protos(args.protos) * 1000:.0f} ms")  # fmt: skip
    print(f"cpu count {os.cpu_count()}")


if __name__ == "__main__":
    main()
