"""Passthrough: forward a request no mock matched to the upstream base URL and stream the answer back.

One `httpx.AsyncClient` per server, opened on first use (on the serving loop) and kept for connection reuse.
Redirects are relayed, never followed (the client sees what the real service said). Small answers with a
known length are relayed whole (one write, the upstream's Content-Length kept); anything else is streamed
chunk by chunk as it arrives, never buffered whole. When recording, the first `max_record_bytes` of the body
are kept alongside for the `Exchange`.

An unreachable upstream answers 502 at once (the connect timeout bounds "at once"); an upstream that accepts
but does not answer in time answers 504. Both carry a JSON body naming the upstream and the error.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from mockd.errors import MockdError
from mockd.gocompat import gojson
from mockd.proxy.hop import end_to_end
from mockd.recording.model import Exchange

JSON_HEADERS = [("content-type", "application/json")]
# Relayed in one write up to this size when the upstream says how long the body is.
WHOLE_LIMIT = 64 * 1024
_CLIENT_SETS = frozenset(("host", "content-length"))  # httpx derives both from the URL and the body


class UpstreamError(MockdError):
    """`--upstream` is not an http(s) base URL."""


@dataclass(frozen=True, slots=True)
class UpstreamOptions:
    url: str
    connect_timeout: float = 2.0  # seconds to establish the connection: how quickly a dead upstream is a 502
    read_timeout: float = 30.0  # seconds between bytes once connected, as the Go proxy's client timeout
    max_record_bytes: int = 10 * 1024 * 1024  # body bytes kept per recorded message (the Go proxy's cap)


def check_url(url: str) -> str:
    """The base URL without a trailing slash, or UpstreamError saying what was expected."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UpstreamError(
            f"invalid --upstream {url!r}: expected an http:// or https:// base URL with a host"
        )
    if parts.query or parts.fragment:
        raise UpstreamError(f"invalid --upstream {url!r}: a base URL has no query or fragment")
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise UpstreamError(f"invalid --upstream {url!r}: the port is not a number from 0 to 65535") from None
    return url.rstrip("/")


class Upstream:
    """Forwards unmatched requests to one base URL; `on_exchange` (if set) gets each completed exchange."""

    def __init__(
        self, options: UpstreamOptions, on_exchange: Callable[[Exchange], object] | None = None
    ) -> None:
        self.options = options
        self.base = check_url(options.url)
        self.on_exchange = on_exchange
        self._client: httpx.AsyncClient | None = None

    def _open(self) -> httpx.AsyncClient:
        o = self.options
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(o.read_timeout, connect=o.connect_timeout),
            follow_redirects=False,
            trust_env=False,  # an HTTP_PROXY meant for the user's shell must not reroute the mock port
            limits=httpx.Limits(max_connections=512, max_keepalive_connections=128),
        )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def forward(self, scope: Any, proto: Any, method: str, path: str, query: str, body: bytes) -> int:
        """Relay one request; returns the status the client was sent."""
        client = self._client or self._open()
        url = self.base + path + ("?" + query if query else "")
        incoming = scope.headers.items()
        headers = end_to_end(incoming, _CLIENT_SETS)
        client_ip = scope.client.rsplit(":", 1)[0].strip("[]") if scope.client else ""
        host = scope.headers.get("host", "")
        headers += [("x-forwarded-for", client_ip), ("x-forwarded-host", host), ("x-forwarded-proto", "http")]
        started = time.time()
        began = time.perf_counter_ns()
        try:
            resp = await client.send(
                client.build_request(method, url, headers=headers, content=body), stream=True
            )
        except httpx.TimeoutException as exc:
            connect = isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
            return self._fail(proto, 502 if connect else 504, exc)
        except httpx.HTTPError as exc:
            return self._fail(proto, 502, exc)
        status = resp.status_code
        kept: list[bytes] | None = [] if self.on_exchange is not None else None
        try:
            await self._relay(proto, method, resp, kept)
        finally:
            await resp.aclose()
        if kept is not None and self.on_exchange is not None:
            self.on_exchange(
                Exchange(
                    started=started,
                    duration_ns=time.perf_counter_ns() - began,
                    method=method,
                    url=url,
                    path=path,
                    query=query,
                    host=urlsplit(self.base).netloc,
                    scheme=urlsplit(self.base).scheme,
                    request_headers=end_to_end(incoming),
                    request_body=body[: self.options.max_record_bytes],
                    status=status,
                    response_headers=list(resp.headers.multi_items()),
                    response_body=b"".join(kept)[: self.options.max_record_bytes],
                )
            )
        return status

    async def _relay(self, proto: Any, method: str, resp: httpx.Response, kept: list[bytes] | None) -> None:
        status = resp.status_code
        pairs = resp.headers.multi_items()
        length = resp.headers.get("content-length")
        if method == "HEAD" or status in (204, 304):
            proto.response_empty(status, end_to_end(pairs))
            return
        if length is not None and length.isdecimal() and int(length) <= WHOLE_LIMIT:
            data = b""
            with contextlib.suppress(httpx.HTTPError):  # a short body is still relayed as far as it came
                data = b"".join([chunk async for chunk in resp.aiter_raw()])
            if kept is not None:
                kept.append(data)
            proto.response_bytes(status, end_to_end(pairs, _CLIENT_SETS), data)  # the server re-counts it
            return
        transport = proto.response_stream(status, end_to_end(pairs, _CLIENT_SETS))
        size = 0
        cap = self.options.max_record_bytes
        # The upstream failing mid-body, or the client going away, ends the stream where it is.
        with contextlib.suppress(Exception):
            async for chunk in resp.aiter_raw():
                await transport.send_bytes(chunk)
                if kept is not None and size < cap:
                    kept.append(chunk)
                    size += len(chunk)

    def _fail(self, proto: Any, status: int, exc: Exception) -> int:
        detail = str(exc) or type(exc).__name__
        code, what = ("upstream_timeout", "did not answer in time") if status == 504 else (
            "upstream_unreachable", "could not be reached")  # fmt: skip
        body = {
            "error": code,
            "message": f"Upstream {self.base} {what}: {type(exc).__name__}: {detail}",
            "upstream": self.base,
        }
        proto.response_bytes(status, JSON_HEADERS, gojson.marshal(body, sort_keys=True))
        return status
