"""The Host header rules of RFC 9112 §3.2, answered as Go's net/http answers them before any handler runs.

HTTP/1.1 requests must carry exactly one Host header; Go replies 400 with a plain-text reason and closes the
connection. Both checks run on the admin port. The mock port checks only for a missing Host, which costs one
membership test (about 40 ns); counting Host headers needs `headers.get_all`, about 300 ns on every
request (some 1.5% of throughput), so two Host headers are served there (docs/differences.md).
"""

from __future__ import annotations

from typing import Any

# Go writes these on the raw connection: the same status line, headers and body here.
HEADERS = [("content-type", "text/plain; charset=utf-8"), ("connection", "close")]
MISSING_HOST = b"400 Bad Request: missing required Host header"
TOO_MANY_HOSTS = b"400 Bad Request: too many Host headers"
HTTP_1_0 = "1"  # RSGI's scope.http_version for HTTP/1.0, which may omit Host


def host_error(scope: Any, headers: Any) -> bytes | None:
    """The body of Go's 400 reply when the request's Host headers break the rule, else None."""
    hosts = headers.get_all("host")
    if len(hosts) > 1:
        return TOO_MANY_HOSTS
    if not hosts and scope.http_version != HTTP_1_0:
        return MISSING_HOST
    return None
