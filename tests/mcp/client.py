"""Drive `mockd mcp` as an agent does: a subprocess on stdio, the official `mcp` SDK's client."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client


@dataclass
class Reply:
    is_error: bool
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


class Agent:
    def __init__(self, session: ClientSession) -> None:
        self.session = session

    async def call(self, name: str, arguments: dict[str, Any] | None = None) -> Reply:
        result = await self.session.call_tool(name, arguments or {})
        assert [c.type for c in result.content] == ["text"]
        return Reply(bool(result.is_error), result.content[0].text)

    async def ok(self, name: str, arguments: dict[str, Any] | None = None) -> Any:
        reply = await self.call(name, arguments)
        assert not reply.is_error, reply.text
        return reply.json()

    async def error(self, name: str, arguments: dict[str, Any] | None = None) -> str:
        reply = await self.call(name, arguments)
        assert reply.is_error, reply.text
        return reply.text


@asynccontextmanager
async def agent(*flags: str, env: dict[str, str] | None = None) -> AsyncIterator[Agent]:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "mockd", "mcp", *flags], env={**os.environ, **(env or {})}
    )
    with tempfile.TemporaryFile("w+") as errlog:  # the server's log; a file, so it never blocks
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            yield Agent(session)
