"""Memory under a million POST-body requests (issue 20: "POST-body requests leak nothing over 1,000,000").

    PYTHONPATH=. .venv/bin/python bench/post_leak.py [--requests 1000000] [--body-kib 1]
        [--task-impl rust asyncio]

Granian 2.8.9's Rust tasks keep one reference to every object a request coroutine yields; a body read yields
a future that holds the body, so unfixed every POST leaked its body and more (runtime/rusttasks.py). This
starts mockd with one static POST mock, sends `--warmup` POSTs so that allocator pools and the request log
reach their steady size, then sends `--requests` more in wrk runs, reading the server's RSS from /proc after
each. A leak of even one small object per request shows as tens of MiB; the figure printed is the growth from
the end of the warm-up to the end, and per request. Each task implementation is measured in turn, on its own
server, stopped by its PID.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workers import free_port, wrk

CONFIG = {
    "version": "1.0",
    "mocks": [{"id": "upload", "http": {"matcher": {"method": "POST", "path": "/upload"},
                                        "response": {"statusCode": 200, "body": '{"ok":true}'}}}],
}  # fmt: skip


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0])


def post_script(folder: Path, body_kib: int) -> Path:
    script = folder / "post.lua"
    body = "x" * (body_kib * 1024)
    lines = ['wrk.method = "POST"', f'wrk.body = "{body}"', 'wrk.headers["Content-Type"] = "text/plain"']
    script.write_text("\n".join(lines) + "\n")
    return script


def send(port: int, script: Path, count: int) -> int:
    """At least `count` POSTs, in wrk runs of about two seconds; returns how many were answered."""
    sent = 0
    while sent < count:
        done, _ = wrk(f"http://127.0.0.1:{port}/upload", 2, script)
        sent += done
    return sent


def measure(task_impl: str, folder: Path, script: Path, warmup: int, requests: int) -> dict:
    config = folder / "config.json"
    config.write_text(json.dumps(CONFIG))
    port, admin = free_port(), free_port()
    argv = [sys.executable, "-m", "mockd", "start", "--host", "127.0.0.1", "-p", str(port), "-a", str(admin),
            "-c", str(config), "--task-impl", task_impl]  # fmt: skip
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{admin}/health", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit(f"mockd --task-impl {task_impl} did not start") from None
                time.sleep(0.1)
        send(port, script, warmup)
        start = rss_kib(proc.pid)
        samples, sent = [start], 0
        while sent < requests:
            sent += send(port, script, min(100_000, requests - sent))
            samples.append(rss_kib(proc.pid))
        return {
            "taskImpl": task_impl,
            "requests": sent,
            "rssAfterWarmupKiB": start,
            "rssEndKiB": samples[-1],
            "rssMaxKiB": max(samples),
            "grownKiB": samples[-1] - start,
            "bytesPerRequest": round((samples[-1] - start) * 1024 / sent, 3),
            # an allocator still growing its arenas rises early and then levels off; a leak keeps rising
            "grownSecondHalfKiB": samples[-1] - samples[len(samples) // 2],
            "samplesKiB": samples,
        }
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--warmup", type=int, default=100_000)
    parser.add_argument("--body-kib", type=int, default=1)
    parser.add_argument("--task-impl", nargs="+", default=["rust", "asyncio"], choices=["rust", "asyncio"])
    a = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        script = post_script(Path(tmp), a.body_kib)
        for impl in a.task_impl:
            r = measure(impl, Path(tmp), script, a.warmup, a.requests)
            print(
                f"{impl} tasks: {r['requests']:,} POSTs of {a.body_kib} KiB after {a.warmup:,} warm-up: "
                f"RSS {r['rssAfterWarmupKiB'] / 1024:.1f} -> {r['rssEndKiB'] / 1024:.1f} MiB "
                f"(max {r['rssMaxKiB'] / 1024:.1f}), {r['grownKiB']:+,} KiB, "
                f"{r['bytesPerRequest']:+.3f} bytes per request; second half {r['grownSecondHalfKiB']:+,} KiB"
            )
            print("  " + json.dumps(r))


if __name__ == "__main__":
    main()
