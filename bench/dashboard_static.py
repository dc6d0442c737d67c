"""Static-mock throughput with and without the dashboard's live traffic view open (issue 22's >= 0.97x).

    PYTHONPATH=. .venv/bin/python bench/dashboard_static.py [--seconds 10] [--rounds 3] [--connections 32]

Starts one mockd on free loopback ports with one static mock, then alternates, `--rounds` times: `wrk`
against the mock for `--seconds` with no dashboard, and the same with headless Chromium (Debian's
`chromium` + `chromium-driver`, through Selenium) showing `#/traffic`, the only page that holds a
connection open (it follows `GET /requests/stream`, so every request wrk makes is sent to the browser).
Prints requests/s for each run, the medians, and their ratio (open / closed).

`--reader stream` replaces the browser by a plain socket reading the same stream the view reads
(`/requests/stream?maxPerSecond=40`): the server's own cost, without a browser on the same cores.

wrk, the server and the browser share this machine's cores, so the ratio also counts the browser's own CPU
use against the server: it is a floor for what a dashboard on another machine costs. The server and the
browser are stopped by their own handles. Linux only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

CONFIG = """
mocks:
  - id: static
    http:
      matcher: {method: GET, path: /static}
      response: {statusCode: 200, body: {ok: true}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(config: Path, port: int, admin: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "mockd", "start", "--host", "127.0.0.1", "-p", str(port), "-a", str(admin),
         "--config", str(config)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/static", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("mockd did not start")


def open_browser(admin: int) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                              options=options)  # fmt: skip
    driver.get(f"http://127.0.0.1:{admin}/#/traffic")
    WebDriverWait(driver, 30).until(lambda d: d.find_element("id", "stream-status").text == "live")
    return driver


class StreamReader:
    """What the traffic view asks the server for, read and thrown away by a thread (no browser)."""

    def __init__(self, admin: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", admin))
        self.sock.sendall(b"GET /requests/stream?maxPerSecond=40 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        self.frames = 0
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self) -> None:
        try:
            while chunk := self.sock.recv(65536):
                self.frames += chunk.count(b"\n\n")
        except OSError:
            pass

    def quit(self) -> None:
        self.sock.close()
        self.thread.join(5)


def wrk(port: int, seconds: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", f"http://127.0.0.1:{port}/static"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not found:
        raise SystemExit(f"could not read wrk's output:\n{out}")
    return float(found.group(1))


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--reader", choices=("browser", "stream"), default="browser")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "mockd.yaml"
        config.write_text(CONFIG)
        port, admin = free_port(), free_port()
        server = start_server(config, port, admin)
        closed: list[float] = []
        opened: list[float] = []
        try:
            wrk(port, 2, args.connections)  # warm-up
            for i in range(args.rounds):
                closed.append(wrk(port, args.seconds, args.connections))
                print(f"round {i + 1}: dashboard closed {closed[-1]:,.0f} req/s", flush=True)
                if args.reader == "stream":
                    reader = StreamReader(admin)
                    try:
                        opened.append(wrk(port, args.seconds, args.connections))
                        note = f"{reader.frames} frames read"
                    finally:
                        reader.quit()
                else:
                    browser = open_browser(admin)
                    try:
                        opened.append(wrk(port, args.seconds, args.connections))
                        sampling = browser.find_element("id", "sampling")
                        note = sampling.text if sampling.is_displayed() else "(no sampling notice)"
                    finally:
                        browser.quit()
                print(f"round {i + 1}: dashboard open   {opened[-1]:,.0f} req/s; {note}", flush=True)
                # the server drops what it could not send the closed page; let it settle before the next run
                time.sleep(1)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
    c, o = statistics.median(closed), statistics.median(opened)
    print(f"median: closed {c:,.0f} req/s, open {o:,.0f} req/s, ratio {o / c:.3f} (cores: {os.cpu_count()})")


if __name__ == "__main__":
    main()
