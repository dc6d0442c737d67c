"""What an upstream base URL must look like, for `--upstream` and a mock's `http.passthrough.upstream`.

Kept apart from `upstream.py` so the compiler can check a config's URLs without loading the HTTP client.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def url_problem(url: str) -> str | None:
    """Why `url` is not an http(s) base URL (expected-shape wording), or None when it is one."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "expected an http:// or https:// base URL with a host"
    if parts.query or parts.fragment:
        return "a base URL has no query or fragment"
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "the port is not a number from 0 to 65535"
    return None
