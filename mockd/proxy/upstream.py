"""Passthrough: forward a request no mock matched to the upstream base URL and stream the answer back.

One `aiohttp.ClientSession` per server, opened on first use (on the serving loop) and kept for connection
reuse. aiohttp rather than httpx here: on this path the client is most of the cost, and with 16 concurrent
requests httpx 0.28 managed about 260 requests/second against nginx where aiohttp managed about 2,900 on the
same machine (bench/passthrough.py). Redirects are relayed, never followed (the client sees what the real
service said), bodies are relayed as sent (no decompression), and the path and query are sent byte for byte
(no re-quoting). Small answers with a known length are relayed whole (one write); anything else is streamed
chunk by chunk as it arrives, never buffered whole. When recording, the first `max_record_bytes` of the
body are kept alongside for the `Exchange`.

An unreachable upstream answers 502 at once (the connect timeout bounds "at once"); an upstream that accepts
but does not answer in time answers 504. Both carry a JSON body naming the upstream and the error.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from yarl import URL

from mockd.errors import MockdError
from mockd.gocompat import gojson
from mockd.proxy.hop import end_to_end
from mockd.proxy.url import url_problem
from mockd.recording.model import Exchange

JSON_HEADERS = [("content-type", "application/json")]
# Relayed in one write up to this size when the upstream says how long the body is.
WHOLE_LIMIT = 64 * 1024
_CLIENT_SETS = frozenset(("host", "content-length"))  # the client derives both from the URL and the body
# Headers aiohttp would add on its own: the upstream must see only what the client sent.
_NO_AUTO = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")


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
    problem = url_problem(url)
    if problem is not None:
        raise UpstreamError(f"invalid --upstream {url!r}: {problem}")
    return url.rstrip("/")


class Upstream:
    """Forwards unmatched requests to one base URL; `on_exchange` (if set) gets each completed exchange."""

    def __init__(
        self, options: UpstreamOptions, on_exchange: Callable[[Exchange], object] | None = None
    ) -> None:
        self.options = options
        self.base = check_url(options.url)
        parts = urlsplit(self.base)
        self._host, self._scheme = parts.netloc, parts.scheme
        self.on_exchange = on_exchange
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        o = self.options
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=512, ttl_dns_cache=60),
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=o.connect_timeout, sock_read=o.read_timeout
            ),
            auto_decompress=False,
            # Cookies belong to the clients: a jar would replay one client's Set-Cookie on every other
            # client's requests (and costs a cookie filter per request).
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,  # an HTTP_PROXY meant for the user's shell must not reroute the mock port
            skip_auto_headers=_NO_AUTO,
        )
        return self._session

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def forward(self, scope: Any, proto: Any, method: str, path: str, query: str, body: bytes) -> int:
        """Relay one request; returns the status the client was sent."""
        session = self._session or self._open()
        url = self.base + path + ("?" + query if query else "")
        incoming = scope.headers.items()
        headers = end_to_end(incoming, _CLIENT_SETS)
        client_ip = scope.client.rsplit(":", 1)[0].strip("[]") if scope.client else ""
        prior = scope.headers.get("x-forwarded-for")
        if prior:  # an earlier proxy's list: ours is appended, as every forwarder does
            headers = [(n, v) for n, v in headers if n.lower() != "x-forwarded-for"]
            client_ip = f"{prior}, {client_ip}"
        host = scope.headers.get("host", "")
        headers += [
            ("x-forwarded-for", client_ip), ("x-forwarded-host", host), ("x-forwarded-proto", scope.scheme)
        ]  # fmt: skip
        recording = self.on_exchange is not None
        started = time.time() if recording else 0.0
        began = time.perf_counter_ns() if recording else 0
        try:
            resp = await session.request(method, URL(url, encoded=True), headers=headers, data=body or None,
                                         allow_redirects=False)  # fmt: skip
        except (aiohttp.ConnectionTimeoutError, aiohttp.ClientConnectorError) as exc:
            return self._fail(proto, 502, exc)
        except (TimeoutError, aiohttp.SocketTimeoutError) as exc:
            return self._fail(proto, 504, exc)
        except aiohttp.ClientError as exc:
            return self._fail(proto, 502, exc)
        status = resp.status
        kept: list[bytes] | None = [] if recording else None
        pairs = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in resp.raw_headers]
        try:
            await self._relay(proto, method, resp, pairs, kept)
        finally:
            resp.release()
        if kept is not None and self.on_exchange is not None:
            self.on_exchange(
                Exchange(
                    started=started,
                    duration_ns=time.perf_counter_ns() - began,
                    method=method,
                    url=url,
                    path=path,
                    query=query,
                    host=self._host,
                    scheme=self._scheme,
                    request_headers=end_to_end(incoming),
                    request_body=body[: self.options.max_record_bytes],
                    status=status,
                    response_headers=pairs,
                    response_body=b"".join(kept)[: self.options.max_record_bytes],
                )
            )
        return status

    async def _relay(
        self, proto: Any, method: str, resp: aiohttp.ClientResponse, pairs: list[tuple[str, str]],
        kept: list[bytes] | None,
    ) -> None:  # fmt: skip
        status = resp.status
        length = resp.headers.get("content-length")
        if method == "HEAD" or status in (204, 304):
            proto.response_empty(status, end_to_end(pairs))
            return
        if length is not None and length.isdecimal() and int(length) <= WHOLE_LIMIT:
            data = b""
            with contextlib.suppress(aiohttp.ClientError, asyncio.TimeoutError):  # relay as much as came
                data = await resp.content.read()
            if kept is not None:
                kept.append(data)
            proto.response_bytes(status, end_to_end(pairs, _CLIENT_SETS), data)  # the server re-counts it
            return
        transport = proto.response_stream(status, end_to_end(pairs, _CLIENT_SETS))
        size = 0
        cap = self.options.max_record_bytes
        # The upstream failing mid-body, or the client going away, ends the stream where it is.
        with contextlib.suppress(Exception):
            async for chunk in resp.content.iter_any():
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
