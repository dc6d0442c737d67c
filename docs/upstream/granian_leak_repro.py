"""Granian 2.8.9, `--task-impl rust`: every awaited body read stays in memory (see granian-rust-task-leak.md).

    python docs/upstream/granian_leak_repro.py [--task-impl rust|asyncio] [--requests 2000] [--body-kib 64]

Starts `granian --interface rsgi` on this file's `app` (which only reads the body and answers 200), sends
POSTs over one keep-alive connection, and prints the server's RSS before and after. Needs nothing but
Granian; the server is stopped by its PID.
"""

from __future__ import annotations

import argparse
import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path


async def app(scope, proto):  # noqa: ANN001, ANN201 - the RSGI callable, as small as it gets
    await proto()  # the body read: Granian yields its own future here, and keeps a reference to it
    proto.response_bytes(200, [("content-type", "text/plain")], b"ok")


def rss_kib(pid: int) -> int:
    return int(Path(f"/proc/{pid}/status").read_text().split("VmRSS:")[1].split()[0])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--task-impl", default="rust", choices=["rust", "asyncio"])
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--body-kib", type=int, default=64)
    a = p.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    here = Path(__file__).resolve()
    argv = [sys.executable, "-m", "granian", "--interface", "rsgi", "--task-impl", a.task_impl,
            "--host", "127.0.0.1", "--port", str(port), "--workers", "1", f"{here.stem}:app"]  # fmt: skip
    server = subprocess.Popen(argv, cwd=here.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(100):
            try:
                conn.request("POST", "/", body=b"")
                conn.getresponse().read()
                break
            except OSError:
                conn.close()
                time.sleep(0.1)
        worker = int(subprocess.check_output(["pgrep", "-P", str(server.pid)]).split()[0])
        body = b"x" * (a.body_kib * 1024)
        before = rss_kib(worker)
        for _ in range(a.requests):
            conn.request("POST", "/", body=body)
            conn.getresponse().read()
        after = rss_kib(worker)
        per_request = (after - before) / a.requests
        print(
            f"granian --task-impl {a.task_impl}: {a.requests} POSTs of {a.body_kib} KiB, worker RSS "
            f"{before / 1024:.1f} -> {after / 1024:.1f} MiB ({per_request:+.1f} KiB a request)"
        )
    finally:
        server.terminate()
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
