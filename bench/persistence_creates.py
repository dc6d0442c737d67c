"""What `--data-dir` costs a stateful create on the mock port: req/s of `POST /api/users` with and
without a data dir (docs/persistence.md, "Crash safety").

Run: python bench/persistence_creates.py [SECONDS] [CONNECTIONS] [ROUNDS]  (needs `wrk`; default 5 s,
8 connections, 3 rounds; prints the median of the rounds, memory-only and data-dir runs interleaved)
Starts mockd on free ports (a scratch data dir under /tmp, removed afterwards), drives it with wrk, stops it
by its PID. A small run on a shared machine: compare the lines with each other, not with other machines.
"""

from __future__ import annotations

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

CONFIG = """version: "1.0"
statefulResources:
  - name: users
    basePath: /api/users
"""
LUA = """wrk.method = "POST"
wrk.body = '{"name":"Grace","email":"grace@example.com"}'
wrk.headers["Content-Type"] = "application/json"
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(scratch: Path, data_dir: bool, seconds: int, connections: int) -> float:
    port, admin = free_port(), free_port()
    args = [sys.executable, "-m", "mockd", "start", "--host", "127.0.0.1", "-p", str(port), "-a", str(admin),
            "--no-auth", "--config", str(scratch / "mocks.yaml")]  # fmt: skip
    if data_dir:
        args += ["--data-dir", str(scratch / f"data-{port}")]
    with open(scratch / f"server-{port}.log", "wb") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{admin}/health", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("mockd did not start") from None
                time.sleep(0.1)
        out = subprocess.run(
            ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s",
             "-s", str(scratch / "post.lua"), f"http://127.0.0.1:{port}/api/users"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        match = re.search(r"Requests/sec:\s+([\d.]+)", out)
        if match is None:
            raise RuntimeError(out)
        return float(match.group(1))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    connections = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    with tempfile.TemporaryDirectory(prefix="mockd-bench-") as tmp:
        scratch = Path(tmp)
        (scratch / "mocks.yaml").write_text(CONFIG)
        (scratch / "post.lua").write_text(LUA)
        runs: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(rounds):
            for data_dir in (False, True):
                runs[data_dir].append(run(scratch, data_dir, seconds, connections))
        for data_dir, rps in runs.items():
            label = "--data-dir" if data_dir else "memory only"
            print(f"{label:12} {statistics.median(rps):8.0f} creates/s  (median of {rounds}; {connections} "
                  f"connections, {seconds} s each)", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
