"""Admin-port middleware pieces: security headers, CORS and API-key authentication (reference §5.0).

One deliberate difference from the Go tool, because it would otherwise break the integration-testing guide's
own Jest examples: Node's `fetch` sends `Sec-Fetch-Mode: cors` but neither `Origin` nor `Sec-Fetch-Site`.
The Go tool counts that as an untrusted browser request and demands a key. Real browsers always send
`Sec-Fetch-Site` to localhost, so a loopback request with neither `Origin` nor `Sec-Fetch-Site` is treated as
the non-browser client it is.

Two places where we are stricter than the Go tool (issue 12; docs/security.md "What the admin port trusts"):
- only `/health` and `/metrics` (and paths below them) are served without a key. The Go tool also exempts
  its dashboard's files by name *suffix* (`.js`, `.css`, ...), so a mock with the id `app.js` could be
  deleted by anyone who reaches the port. Our dashboard (issue 22) is not exempt either: its page and files
  pass the same check as the API, so a loopback browser needs no key and anyone else needs one.
- a keyless loopback request of *any* method must name a loopback `Host` (the Go tool checks it only for
  browsers and unsafe methods), so a page reached through DNS rebinding cannot read `/config` or
  `/requests` from a browser that sends no `Origin` or `Sec-Fetch-*` headers on a GET.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from mockd.runtime.admin.http import Response, error_response

SECURITY_HEADERS: list[tuple[str, str]] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("x-xss-protection", "1; mode=block"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("content-security-policy", "default-src 'self'"),
    ("cache-control", "no-store"),
]
CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_HEADERS = "Content-Type, Authorization, X-API-Key"
# The only routes served without a key. Exact prefixes, never suffixes (issue 12).
EXEMPT_PREFIXES = ("/health", "/metrics")


def generate_api_key() -> str:
    return "mk_" + secrets.token_hex(32)


def hostname_is_loopback(host: str) -> bool:
    host = host.strip().strip("[]").strip()
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def client_host(client: str) -> str:
    """The address part of Granian's `client` ("ip:port", "[::1]:port" or "::1:port" for IPv6)."""
    host = client
    if host.startswith("["):
        host = host[1 : host.find("]")]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    elif host.count(":") > 1 and not hostname_is_loopback(host):
        host = host.rsplit(":", 1)[0]
    return host


def remote_is_loopback(client: str) -> bool:
    return hostname_is_loopback(client_host(client))


def origin_is_loopback(origin: str | None) -> bool:
    if not origin or origin == "null":
        return False
    try:
        return hostname_is_loopback(urlsplit(origin).hostname or "")
    except ValueError:
        return False


def _host_is_loopback(host: str | None) -> bool:
    """Whether a `Host` header names this machine. An absent Host is accepted: HTTP/1.1 requires one and every
    browser sends one, so its absence means an HTTP/1.0 tool or a raw socket, not a rebound web page."""
    if not host:
        return True
    name = host
    if name.startswith("["):
        name = name[1 : name.find("]")] if "]" in name else name
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    return hostname_is_loopback(name)


def _is_browser(headers: Any) -> bool:
    return any(headers.get(h) for h in ("sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest", "origin"))


def _is_untrusted_browser(headers: Any) -> bool:
    origin = headers.get("origin") or ""
    site = headers.get("sec-fetch-site") or ""
    if site in ("same-origin", "same-site"):
        return bool(origin) and not origin_is_loopback(origin)
    if site == "none":
        return False
    if not site and not origin:
        return False  # not a browser (Node's fetch): see the module docstring
    return not origin_is_loopback(origin)


def keyless_localhost_trusted(headers: Any, client: str) -> bool:
    """A caller on this machine, naming this machine in `Host` (every method: issue 12, DNS rebinding), and
    not a browser on another site."""
    if not remote_is_loopback(client) or not _host_is_loopback(headers.get("host")):
        return False
    return not (_is_browser(headers) and _is_untrusted_browser(headers))


def _exempt(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in EXEMPT_PREFIXES)


@dataclass(frozen=True, slots=True)
class AuthPolicy:
    enabled: bool
    key: str | None

    def check(self, path: str, headers: Any, client: str) -> Response | None:
        """None when the request may proceed, else the 401 reply."""
        if not self.enabled or _exempt(path) or keyless_localhost_trusted(headers, client):
            return None
        provided = headers.get("x-api-key") or ""
        if not provided:
            auth = headers.get("authorization") or ""
            if auth.startswith("Bearer "):
                provided = auth[len("Bearer ") :]
        if not provided:
            return error_response(
                401, "missing_api_key",
                "API key required. Provide via X-API-Key header or Authorization: Bearer <key>.",
            )  # fmt: skip
        if not self.key or not hmac.compare_digest(provided.encode(), self.key.encode()):
            return error_response(401, "invalid_api_key", "Invalid API key")
        return None


def cors_headers(origin: str | None) -> list[tuple[str, str]]:
    """Admin CORS: `Vary: Origin` always; only loopback origins are echoed, others get no CORS headers."""
    if not origin_is_loopback(origin):
        return [("vary", "Origin")]
    return [
        ("vary", "Origin"),
        ("access-control-allow-origin", origin or ""),
        ("access-control-allow-methods", CORS_METHODS),
        ("access-control-allow-headers", CORS_HEADERS),
        ("access-control-max-age", "86400"),
    ]


def preflight(origin: str | None) -> Response:
    """OPTIONS preflight: 200 for a loopback Origin, else 403 (no Origin included); never authenticated."""
    return Response(200 if origin_is_loopback(origin) else 403)
