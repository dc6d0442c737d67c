"""A worker's way to the owner: requests that need the owner's state are relayed to the owner's own port.

The owner serves its own mock app (the same one a single process serves) on a private loopback port (not a
unix socket: rloop, the loop mockd runs on, has no `create_unix_connection`); a worker sends the
request there as it came (method, path and query byte for byte, end-to-end headers, body) and streams the
answer back with the passthrough's relay (mockd/proxy/upstream.py). The owner matches, answers, counts and
logs it, so those requests behave exactly as with one process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import aiohttp
from yarl import URL

from mockd.proxy.hop import end_to_end
from mockd.proxy.upstream import Upstream, UpstreamOptions
from mockd.runtime.targets import Target
from mockd.runtime.workers.shipping import RELAYED

if TYPE_CHECKING:
    from mockd.runtime.targets import RequestView, UpgradeView

_CLIENT_SETS = frozenset(("content-length",))  # aiohttp derives it from the body it sends


class OwnerLink(Upstream):
    """The passthrough's client, pointed at the owner's private port and sending the request unchanged (no
    X-Forwarded-* headers: the owner logs the headers the client sent, Host included)."""

    def __init__(self, owner_port: int) -> None:
        super().__init__(UpstreamOptions(url=f"http://127.0.0.1:{owner_port}", connect_timeout=5.0))

    def _open(self) -> aiohttp.ClientSession:
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=5.0, sock_read=300.0),
            auto_decompress=False,
            trust_env=False,
            skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
        )
        return self._session

    async def relay(self, scope: Any, proto: Any, body: bytes) -> int:
        """Send one request to the owner and relay its answer; returns the status sent."""
        session = self._session or self._open()
        query = scope.query_string
        url = self.base + scope.path + ("?" + query if query else "")
        headers = end_to_end(scope.headers.items(), _CLIENT_SETS)
        try:
            resp = await session.request(scope.method, URL(url, encoded=True), headers=headers,
                                         data=body or None, allow_redirects=False)  # fmt: skip
        except (TimeoutError, aiohttp.ClientError) as exc:
            return self._fail(proto, 502, exc)
        pairs = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in resp.raw_headers]
        try:
            await self._relay(proto, scope.method, resp, pairs, None)
        finally:
            resp.release()
        return resp.status


class RelayTarget(Target):
    """The target of every route a worker does not answer itself: relays to the owner. Uncounted and logged
    under `RELAYED` (dropped by the worker's journal), since the owner counts and logs the request."""

    __slots__ = ("link",)

    def __init__(self, link: OwnerLink) -> None:
        super().__init__(RELAYED, None)
        self.link = link

    async def respond(self, req: RequestView, proto: Any) -> int:
        return await self.link.relay(req.scope, proto, req.body)

    async def upgrade(self, view: UpgradeView, proto: Any, opened: Callable[[], None]) -> int:
        # WebSocket mocks live on the owner only; workers cannot relay an upgrade yet (docs/workers.md).
        proto.close(503)
        return 0
