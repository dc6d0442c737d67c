"""A small real upstream for passthrough and proxy tests: a threaded stdlib HTTP server on a free port.

Routes: `/counter...` answers `{"n": k}` for its k-th call (per path, per test run); `/echo...` answers JSON describing the request it got (method, path, query, headers, body);
`/stream` answers a chunked body of `n` chunks (query `n`, default 50) without a Content-Length; `/status/N`
answers status N with a small body; `/redirect` answers 302 to /echo. Anything else: 404 text.
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.harness import free_port

_LOCK = threading.Lock()
_COUNTS: dict[str, int] = {}  # `/counter...` paths: how often each was asked


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        if parts.path.startswith("/echo"):
            payload = {
                "method": self.command,
                "path": parts.path,
                "query": parts.query,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
            }
            out = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.send_header("Set-Cookie", "session=secret-cookie")
            self.send_header("X-Upstream", "yes")
            self.send_header("Connection", "keep-alive, X-Hop")
            self.send_header("X-Hop", "must-not-pass")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(out)
        elif parts.path.startswith("/counter"):
            with _LOCK:
                _COUNTS[parts.path] = _COUNTS.get(parts.path, 0) + 1
                n = _COUNTS[parts.path]
            out = json.dumps({"n": n}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
        elif parts.path == "/hang":  # answers only after the test's read timeout has long passed
            time.sleep(5)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif parts.path == "/stream":
            n = int(parse_qs(parts.query).get("n", ["50"])[0])
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(n):
                chunk = f"line {i}\n".encode() * 200
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif parts.path.startswith("/status/"):
            code = int(parts.path.rsplit("/", 1)[1])
            out = json.dumps({"status": code, "query": parts.query}).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
        elif parts.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/echo")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"not found")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _answer


@contextmanager
def upstream_server(tls: ssl.SSLContext | None = None) -> Iterator[str]:
    """Serve on a free loopback port for the duration of the block; yields its base URL (https://localhost
    when `tls` is given: the server presents that context's certificate)."""
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{port}" if tls is not None else f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
