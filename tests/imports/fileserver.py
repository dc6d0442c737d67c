"""A local HTTP server over a directory for import tests (url: imports, remote `$ref`s)."""

from __future__ import annotations

from pathlib import Path


class FileServer:
    """A local HTTP server over a directory, and the requests it saw (to show what was, and was not, fetched)."""

    def __init__(self, directory: Path) -> None:
        import functools
        import http.server
        import threading

        seen = self.seen = []

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                seen.append(self.path)
                super().do_GET()

        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(directory))
        )
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
