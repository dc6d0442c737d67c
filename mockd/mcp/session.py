"""One MCP session's view of mockd: which admin API it talks to (context), which workspace, and the calls.

Every tool goes through `Session.call`, which turns any admin failure into `AdminFailure` carrying the
server's own message (or the Go tool's "unreachable" sentence), so handlers only choose the prefix of the
text the agent sees. The HTTP work is the typed client's (`mockd.client`): one `Call` per route.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mockd.client import AsyncMockdClient, Call, MockdApiError, MockdConnectionError
from mockd.client.calls import Reply


class ToolError(Exception):
    """A tool failed: the text becomes an `isError` result, never a JSON-RPC error."""


class AdminFailure(Exception):
    """The admin API refused the call (`status` set) or could not be reached (`unreachable`)."""

    def __init__(self, message: str, *, status: int = 0, code: str = "", unreachable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code  # the admin API's error slug
        self.unreachable = unreachable


def _json(reply: Reply) -> Any:
    return reply.json


@dataclass
class Session:
    """Context name, admin URL and workspace of one MCP session; `switch` re-points it (not persisted)."""

    admin_url: str
    context_name: str = "local"
    workspace: str = ""
    api_key: str | None = None
    _client: AsyncMockdClient | None = field(default=None, repr=False)

    @property
    def client(self) -> AsyncMockdClient:
        if self._client is None:
            self._client = AsyncMockdClient(self.admin_url, api_key=self.api_key)
        return self._client

    async def switch(self, name: str, admin_url: str, workspace: str) -> None:
        await self.aclose()
        self.context_name, self.admin_url, self.workspace = name, admin_url.rstrip("/"), workspace

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def unreachable_text(self) -> str:
        return f"mockd server unreachable at {self.admin_url} — start it with: mockd serve"

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
        content: bytes | None = None,
        scoped: bool = True,
    ) -> Any:
        """One admin call; the decoded reply (None for an empty one). `scoped` adds the session's workspace
        as `?workspaceId=`, as the Go tool does on the routes that take it."""
        query = dict(params or {})
        if scoped and self.workspace:
            query["workspaceId"] = self.workspace
        call: Call[Any] = Call(method, path, _json, query, json=json, content=content)
        try:
            return await self.client.send(call)
        except MockdConnectionError:
            raise AdminFailure(self.unreachable_text(), unreachable=True) from None
        except MockdApiError as exc:
            raise AdminFailure(exc.message or str(exc), status=exc.status, code=exc.code) from None

    async def run(self, what: str, method: str, path: str, **kwargs: Any) -> Any:
        """`call`, with a failure turned into the tool error `failed to <what>: <reason>`."""
        try:
            return await self.call(method, path, **kwargs)
        except AdminFailure as exc:
            raise ToolError(f"failed to {what}: {exc.message}") from None
