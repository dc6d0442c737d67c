"""What `--shared-state` costs one replica (issue 19 part 2): req/s of a static mock and of a stateful create
with a Redis store, as ratios to the in-process mode, measured in the same run (docs/shared-state.md).

    PYTHONPATH=. .venv/bin/python bench/shared_state.py [--seconds 4] [--rounds 5] [--connections 32]

Starts `redis-server` on a free port (no persistence) and two mockd servers on free ports, one in-process
and one with `--shared-state`, each once. Rounds are interleaved, and every other round runs the subjects in
the opposite order (A B, B A), so a position effect cancels instead of landing on one ratio; each figure is
the median of its rounds. `wrk -t2` drives `GET /ping` (a static mock) and `POST /api/items` (a table
create). After each static round the verification count is printed beside what wrk saw (the mode's point
is that counts stay exact; wrk does not count responses in flight when it stops). Every process is stopped
by its PID. Needs `wrk` and `redis-server`. On a machine with 2 shared cores, Redis and wrk take cores from
the server: compare the ratios, not the absolute figures, with other machines.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# The workers benchmark's two mocks and wrk script (bench/ is on sys.path: it is this script's folder).
from workers import CONFIG, POST_SCRIPT, free_port


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as reply:
        return reply.read()


def _wait(check_url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            _get(check_url)
            return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{check_url} did not answer") from None
            time.sleep(0.1)


class Mockd:
    def __init__(self, label: str, folder: Path, shared: str | None) -> None:
        self.label = label
        self.port, self.admin = free_port(), free_port()
        config = str(folder / "mocks.json")
        args = [sys.executable, "-m", "mockd", "start", "--host", "127.0.0.1", "-p", str(self.port),
                "-a", str(self.admin), "--no-auth", "--pid-file", "", "--config", config]  # fmt: skip
        if shared:
            args += ["--shared-state", shared]
        with open(folder / f"{label}.log", "wb") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        _wait(f"http://127.0.0.1:{self.admin}/health", self.proc)

    def calls(self) -> int:
        return int(json.loads(_get(f"http://127.0.0.1:{self.admin}/mocks/ping/verify"))["callCount"])

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(30)


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> tuple[float, int]:
    """(req/s, requests completed) of one wrk run."""
    cmd = ["wrk", "-t2", "-c", str(connections), "-d", f"{seconds}s", url]
    if script is not None:
        cmd[1:1] = ["-s", str(script)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    done = re.search(r"(\d+) requests in", out)
    if rate is None or done is None:
        raise RuntimeError(out)
    return float(rate.group(1)), int(done.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    opts = parser.parse_args()
    redis_bin = shutil.which("redis-server") or "/usr/bin/redis-server"
    with tempfile.TemporaryDirectory(prefix="mockd-bench-") as tmp:
        folder = Path(tmp)
        (folder / "mocks.json").write_text(json.dumps(CONFIG))
        (folder / "post.lua").write_text(POST_SCRIPT)
        redis_port = free_port()
        redis = subprocess.Popen(
            [redis_bin, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        servers: list[Mockd] = []
        try:
            time.sleep(0.3)
            servers = [Mockd("in-process", folder, None),
                       Mockd("redis", folder, f"redis://127.0.0.1:{redis_port}")]  # fmt: skip
            rates: dict[tuple[str, str], list[float]] = {}
            counted: dict[str, list[str]] = {s.label: [] for s in servers}
            for r in range(opts.rounds):
                order = servers if r % 2 == 0 else servers[::-1]
                for server in order:
                    base = f"http://127.0.0.1:{server.port}"
                    before = server.calls()
                    rate, done = wrk(base + "/ping", opts.seconds, opts.connections)
                    rates.setdefault((server.label, "static"), []).append(rate)
                    counted[server.label].append(f"{server.calls() - before}/{done}")
                    rate, _ = wrk(base + "/api/items", opts.seconds, opts.connections, folder / "post.lua")
                    rates.setdefault((server.label, "create"), []).append(rate)
            print(f"{opts.rounds} interleaved rounds, {opts.seconds} s each, wrk -t2 -c{opts.connections}")
            for kind in ("static", "create"):
                base_rate = statistics.median(rates[("in-process", kind)])
                shared_rate = statistics.median(rates[("redis", kind)])
                print(f"{kind:7} in-process {base_rate:8.0f} req/s   redis {shared_rate:8.0f} req/s   "
                      f"ratio {shared_rate / base_rate:.2f}x")  # fmt: skip
            for label, pairs in counted.items():
                # wrk counts the responses it read; requests still in flight when it stops are answered and
                # counted by the server but not by wrk, so "counted" may exceed wrk's by up to -c per round.
                print(f"{label:10} counted/wrk (static rounds): {' '.join(pairs)}")
        finally:
            for server in servers:
                server.stop()
            redis.send_signal(signal.SIGTERM)
            redis.wait(30)


if __name__ == "__main__":
    main()
