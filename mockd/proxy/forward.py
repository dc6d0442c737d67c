"""The forward proxy (operations reference §2.1): clients configured to use it as their HTTP proxy.

HTTP/1.1 is parsed by `h11` and TLS done by the standard library's `ssl`; no hand-written protocol code.
- An absolute-form request (`GET http://host/path`) is forwarded with httpx and answered; a request in
  origin-form (the client did not use us as a proxy) gets 400 with guidance.
- `CONNECT host:port` without a CA is a blind TCP tunnel, nothing recorded. With a CA the proxy answers
  200, terminates TLS with a certificate for that host signed by the CA, and forwards each inner request
  over a new TLS connection to the target (certificate not verified, as the Go tool: the point is to see
  traffic, often of test services with self-signed certificates).
- Request and response bodies are read whole, up to 10 MiB (the Go tool's limits); the answer is sent
  with a recomputed Content-Length. A target that cannot be reached answers 502 `Error forwarding request:
  <error>` as plain text, as the Go tool does.
- In `record` mode each exchange that passes the filters is kept in the recording store (redacted first).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import h11
import httpx

from mockd.proxy.filters import Filters
from mockd.proxy.hop import end_to_end
from mockd.recording.model import Exchange

if TYPE_CHECKING:
    from mockd.proxy.ca import CertificateAuthority
    from mockd.recording.store import RecordingStore

MAX_BODY = 10 * 1024 * 1024
DIRECT = (
    b"mockd proxy received a direct request. Configure your client to use this address as an HTTP proxy "
    b"(e.g. curl -x http://<proxy-host:port> <url>)."
)
_CLIENT_SETS = frozenset(("host", "content-length"))
_TEXT = [(b"content-type", b"text/plain; charset=utf-8")]


@dataclass(slots=True)
class ProxySettings:
    mode: str = "record"  # or "passthrough": forward, keep nothing
    filters: Filters = field(default_factory=Filters)
    timeout: float = 30.0


class ForwardProxy:
    def __init__(self, settings: ProxySettings, store: RecordingStore | None, ca: CertificateAuthority | None,
                 log: Callable[[str], None] | None = None) -> None:  # fmt: skip
        self.settings = settings
        self.store = store
        self.ca = ca
        self.log = log
        self.count = 0
        self._server: asyncio.Server | None = None
        self._client: httpx.AsyncClient | None = None

    async def start(self, host: str, port: int) -> int:
        """Listen; returns the port (useful when `port` is 0)."""
        self._client = httpx.AsyncClient(
            # A jar that accepts nothing: one client's Set-Cookie must never ride on another's requests.
            cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])),
            verify=False,
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(self.settings.timeout),
        )
        self._server = await asyncio.start_server(self._connection, host, port, limit=MAX_BODY)
        return int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
        if self._client is not None:
            await self._client.aclose()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        client = f"{peer[0]}:{peer[1]}" if peer else ""
        try:
            await self._serve(reader, writer, client, None)
        except (ConnectionError, h11.ProtocolError, asyncio.IncompleteReadError, OSError):
            pass  # a client that goes away or speaks garbage ends only its own connection
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, client: str,
                     tunnel: str | None) -> None:  # fmt: skip
        """Requests on one connection (or one MITM tunnel, `tunnel` = its `host:port`) until it closes."""
        conn = h11.Connection(h11.SERVER)
        while True:
            event = await _next(reader, conn)
            if not isinstance(event, h11.Request):
                return
            body = bytearray()
            while True:
                part = await _next(reader, conn)
                if isinstance(part, h11.Data):
                    if len(body) < MAX_BODY:
                        body += part.data[: MAX_BODY - len(body)]
                elif isinstance(part, h11.EndOfMessage):
                    break
                else:
                    return
            method = event.method.decode("ascii")
            target = event.target.decode("latin-1")
            headers = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in event.headers]
            if method == "CONNECT" and tunnel is None:
                leftover = conn.trailing_data[0]
                await self._connect(reader, writer, target, leftover, client)
                return
            if tunnel is not None:
                url = f"https://{tunnel.removesuffix(':443')}{target}"
            elif target.startswith(("http://", "https://")):
                url = target
            else:
                await _send(writer, conn, 400, _TEXT, DIRECT)
                return
            await self._exchange(writer, conn, method, url, headers, bytes(body), client)
            if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                return
            conn.start_next_cycle()

    async def _exchange(self, writer: asyncio.StreamWriter, conn: h11.Connection, method: str, url: str,
                        headers: list[tuple[str, str]], body: bytes, client: str) -> None:  # fmt: skip
        assert self._client is not None
        parts = urlsplit(url)
        original_host = next((v for n, v in headers if n.lower() == "host"), parts.netloc)
        out = [
            *end_to_end(headers, _CLIENT_SETS),
            ("x-forwarded-for", client),
            ("x-forwarded-host", original_host),
        ]
        started = time.time()
        began = time.perf_counter_ns()
        try:
            resp = await self._client.send(self._client.build_request(method, url, headers=out, content=body),
                                           stream=True)  # fmt: skip
            try:
                data = bytearray()
                async for chunk in resp.aiter_raw():
                    if len(data) < MAX_BODY:
                        data += chunk[: MAX_BODY - len(data)]
            finally:
                await resp.aclose()
        except httpx.HTTPError as exc:
            await _send(
                writer, conn, 502, _TEXT, f"Error forwarding request: {exc or type(exc).__name__}".encode()
            )
            self._log(f"{method} {url} -> 502 ({exc or type(exc).__name__})")
            return
        raw = [(n, v) for n, v in resp.headers.raw]
        kept = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in raw]
        if method == "HEAD":
            reply = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in end_to_end(kept)]
            await _send(writer, conn, resp.status_code, reply, b"", resp.reason_phrase)
        else:
            reply = [
                (n.encode("latin-1"), v.encode("latin-1"))
                for n, v in end_to_end(kept, frozenset(("content-length",)))
            ]
            reply.append((b"content-length", str(len(data)).encode()))
            await _send(writer, conn, resp.status_code, reply, bytes(data), resp.reason_phrase)
        duration = time.perf_counter_ns() - began
        self.count += 1
        self._log(f"{method} {url} -> {resp.status_code} ({duration // 1_000_000}ms)")
        if (
            self.settings.mode == "record"
            and self.store is not None
            and self.settings.filters.allows(parts.netloc, parts.path or "/")
        ):
            exchange = Exchange(
                started=started, duration_ns=duration, method=method, url=url, path=parts.path or "/",
                query=parts.query, host=parts.netloc, scheme=parts.scheme,
                request_headers=end_to_end(headers), request_body=body, status=resp.status_code,
                response_headers=kept, response_body=bytes(data),
            )  # fmt: skip
            self.store.record(exchange)

    async def _connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, target: str,
                       leftover: bytes, client: str) -> None:  # fmt: skip
        host, _, port_text = target.rpartition(":")
        if not host or not port_text.isdecimal():
            host, port_text = target, "443"
        host = host.strip("[]")
        port = int(port_text)
        if self.ca is None:
            await self._tunnel(reader, writer, host, port, leftover)
            return
        ctx = await asyncio.to_thread(self.ca.context_for, host)
        writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        await writer.drain()
        await writer.start_tls(ctx)
        await self._serve(reader, writer, client, f"{host}:{port}")

    async def _tunnel(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, port: int,
                      leftover: bytes) -> None:  # fmt: skip
        try:
            up_reader, up_writer = await asyncio.wait_for(
                asyncio.open_connection(host, port), self.settings.timeout
            )
        except (OSError, TimeoutError) as exc:
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            self._log(f"CONNECT {host}:{port} -> 502 ({exc})")
            return
        writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        if leftover:
            up_writer.write(leftover)
        self._log(f"CONNECT {host}:{port} (tunnel)")

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while chunk := await src.read(65536):
                    dst.write(chunk)
                    await dst.drain()
            with contextlib.suppress(Exception):
                dst.write_eof()

        try:
            await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        finally:
            up_writer.close()

    def _log(self, line: str) -> None:
        if self.log is not None:
            self.log(f"[proxy] {line}")


async def _next(reader: asyncio.StreamReader, conn: h11.Connection) -> object:
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            conn.receive_data(await reader.read(65536))
            continue
        return event


async def _send(writer: asyncio.StreamWriter, conn: h11.Connection, status: int,
                headers: list[tuple[bytes, bytes]], body: bytes, reason: str = "") -> None:  # fmt: skip
    if not any(n.lower() == b"content-length" for n, _ in headers) and status >= 200:
        headers = [*headers, (b"content-length", str(len(body)).encode())]
    data = conn.send(h11.Response(status_code=status, headers=headers, reason=reason.encode("latin-1")))
    if body:
        data = (data or b"") + (conn.send(h11.Data(data=body)) or b"")
    data = (data or b"") + (conn.send(h11.EndOfMessage()) or b"")
    writer.write(data)
    await writer.drain()


class ProxyThread:
    """A `ForwardProxy` on its own thread and standard asyncio loop, for a host loop that lacks `start_tls`
    (the server's rloop: an admin-started MITM handshake never completed on it). Recordings are appended to
    the store from that thread; readers on the admin loop see whole recordings (a list append is atomic)."""

    def __init__(self, proxy: ForwardProxy) -> None:
        self.proxy = proxy
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="mockd-proxy", daemon=True)

    async def start(self, host: str, port: int) -> int:
        self._thread.start()
        try:
            return await asyncio.wrap_future(
                asyncio.run_coroutine_threadsafe(self.proxy.start(host, port), self._loop)
            )
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self.proxy.close(), self._loop))
        self._loop.call_soon_threadsafe(self._loop.stop)
        await asyncio.to_thread(self._thread.join, 5)
        if not self._thread.is_alive():
            self._loop.close()
