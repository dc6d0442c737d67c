"""Server CPU per request with `--workers 1, 2, 4` (issue 19), and one worker against today's code.

    PYTHONPATH=. .venv/bin/python bench/workers.py [--seconds 4] [--rounds 3] [--baseline /work/main]

The benchmark machines have 2 cores shared with the load generator, so throughput cannot show scaling.
What predicts it is the server's CPU time per request (all its processes, from /proc): if it stays flat as
workers are added, the design adds no shared bottleneck and a machine with more cores serves more. Each
configuration is started once; rounds are interleaved (1, 2, 4, 1, 2, 4, ...) and each figure is the median
of its rounds. Measured: a static mock (`wrk -t2 -c64` GETs) and a stateful create (`wrk` POSTs to one
table: every create is relayed to the owner, the contention case), and after each static round the
verification count against what wrk saw. With `--baseline`, a server started from that checkout (today's
code) is measured in the same rounds as `--workers 1` of this one, for the >= 0.97x target.

Servers are stopped by their PIDs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CONFIG = {
    "version": "1.0",
    "mocks": [
        {"id": "ping", "http": {"matcher": {"method": "GET", "path": "/ping"},
                                "response": {"statusCode": 200, "body": '{"ok":true}'}}},
        {"id": "create", "http": {"matcher": {"method": "POST", "path": "/api/items"},
                                  "statefulBinding": {"table": "items", "action": "create"}}},
    ],
    "tables": [{"name": "items", "idField": "id"}],
}  # fmt: skip
POST_SCRIPT = """wrk.method = "POST"
wrk.body = '{"name":"x"}'
wrk.headers["Content-Type"] = "application/json"
"""
HERE = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, label: str, workers: int, folder: Path, source: Path, *, bare: bool = False) -> None:
        self.label = label
        self.bare = bare
        self.port, self.admin = free_port(), free_port()
        env = {**os.environ, "PYTHONPATH": str(source)}
        if bare:  # the control: Granian's own workers serving one fixed reply, no mockd at all
            env["PYTHONPATH"] = str(HERE / "bench" / "mockbench")
            env["MOCKBENCH_BARE"] = json.dumps({"status": 200, "headers": [], "body": '{"ok":true}'})
            args = [sys.executable, "-m", "granian", "--interface", "rsgi", "--task-impl", "asyncio",
                    "--loop", "rloop", "--workers", str(workers), "--no-ws", "--backlog", "2048", "--no-log",
                    "--host", "127.0.0.1", "--port", str(self.port), "bare_app:app"]  # fmt: skip
        else:
            args = [sys.executable, "-m", "mockd", "start", "--host", "127.0.0.1", "-p", str(self.port),
                    "-a", str(self.admin), "--no-auth", "--pid-file", "",
                    "-c", str(folder / "bench.json")]  # fmt: skip
            if workers > 1:
                args += ["--workers", str(workers)]
        self.proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/ping", timeout=1).read()
                if (workers == 1 and not bare) or len(self.pids()) == workers + 1:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{label} did not start")

    def pids(self) -> list[int]:
        pid = self.proc.pid
        kids: list[int] = []
        for task in Path(f"/proc/{pid}/task").glob("*"):
            with contextlib.suppress(OSError):
                kids += map(int, (task / "children").read_text().split())
        return [pid, *kids]

    def cpu_seconds(self) -> tuple[float, float]:
        """(CPU seconds of the owner, of all processes) so far."""
        ticks = [0, 0]
        for i, pid in enumerate(self.pids()):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            used = int(fields[11]) + int(fields[12])
            ticks[1] += used
            if i == 0:
                ticks[0] += used
        return ticks[0] / os.sysconf("SC_CLK_TCK"), ticks[1] / os.sysconf("SC_CLK_TCK")

    def admin_call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.admin}{path}", data=data, method=method)
        with urllib.request.urlopen(req, timeout=30) as resp:
            text = resp.read()
        return json.loads(text) if text else {}

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def wrk(url: str, seconds: int, script: Path | None = None) -> tuple[int, float]:
    """(requests completed, seconds) of one wrk run."""
    args = ["wrk", "-t2", "-c64", f"-d{seconds}s", url]
    if script is not None:
        args[1:1] = ["-s", str(script)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    if match is None:
        raise RuntimeError(out)
    took = float(match.group(2)) / (1000 if match.group(3) == "ms" else 1)
    return int(match.group(1)), took


def measure(server: Server, path: str, seconds: int, script: Path | None) -> tuple[float, float, float, int]:
    """(CPU µs per request, req/s, the owner's share of the CPU, requests) of one round."""
    owner, total = server.cpu_seconds()
    done, took = wrk(f"http://127.0.0.1:{server.port}{path}", seconds, script)
    owner_after, total_after = server.cpu_seconds()
    used = total_after - total
    return used / done * 1e6, done / took, (owner_after - owner) / used if used else 0.0, done


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--baseline", type=Path, default=None, help="a checkout of today's code")
    parser.add_argument("--control", action="store_true", help="also bare Granian with as many workers")
    opts = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mockd-bench-workers-"))
    (folder / "bench.json").write_text(json.dumps(CONFIG))
    script = folder / "post.lua"
    script.write_text(POST_SCRIPT)
    servers: list[Server] = []
    try:
        if opts.baseline is not None:
            servers.append(Server("today (baseline)", 1, folder, opts.baseline))
        for n in (int(x) for x in opts.workers.split(",")):
            servers.append(Server(f"--workers {n}", n, folder, HERE))
            if opts.control:
                servers.append(Server(f"bare granian x{n}", n, folder, HERE, bare=True))
        static: dict[str, list[tuple[float, float, float]]] = {s.label: [] for s in servers}
        create: dict[str, list[tuple[float, float, float]]] = {s.label: [] for s in servers}
        exact: dict[str, list[str]] = {s.label: [] for s in servers}
        for _ in range(opts.rounds):
            for server in servers:
                if server.bare:
                    cpu, rate, share, done = measure(server, "/ping", opts.seconds, None)
                    static[server.label].append((cpu, rate, share))
                    continue
                server.admin_call("DELETE", "/verify")
                cpu, rate, share, done = measure(server, "/ping", opts.seconds, None)
                static[server.label].append((cpu, rate, share))
                count = server.admin_call("GET", "/mocks/ping/verify")["callCount"]
                exact[server.label].append(f"{count}/{done}")
                server.admin_call("POST", "/state/resources/items/reset")
                create[server.label].append(measure(server, "/api/items", opts.seconds, script)[:3])
        print(f"{'':18} {'static µs/req':>13} {'req/s':>7} {'owner':>6} {'create µs/req':>13} {'req/s':>6}"
              "  counted/wrk (static rounds)")  # fmt: skip
        base = statistics.median(c for c, _, _ in static[servers[0].label])
        for server in servers:
            s_cpu, s_rate, s_share = (statistics.median(x) for x in zip(*static[server.label], strict=True))
            c_cpu, c_rate, _ = (
                (statistics.median(x) for x in zip(*create[server.label], strict=True))
                if create[server.label]
                else (0.0, 0.0, 0.0)
            )
            counted = " ".join(exact[server.label])
            row = f"{server.label:18} {s_cpu:13.1f} {s_rate:7.0f} {s_share:6.0%} {c_cpu:13.1f} {c_rate:6.0f}"
            print(f"{row}  {counted}   static CPU/req {s_cpu / base:.2f}x the first row")
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
