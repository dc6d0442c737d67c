"""`mockd serve --mcp`: the MCP server over streamable HTTP at 127.0.0.1:<mcp-port>/mcp, inside the server
process (reference §8.1), driven by the `mcp` SDK's HTTP client."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import anyio
import httpx
import mcp_types as types
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client

from tests.harness import free_port


def test_serve_mcp_over_http(mockd_server):
    mcp_port = free_port()
    server = mockd_server("--mcp", "--mcp-port", str(mcp_port))

    async def main() -> None:
        url = f"http://127.0.0.1:{mcp_port}/mcp"
        async with streamable_http_client(url) as (read, write, *_), ClientSession(read, write) as mcp:
            info = await mcp.initialize()
            assert info.server_info.name == "mockd"
            assert len((await mcp.list_tools()).tools) == 18
            created = await mcp.call_tool("manage_mock", {"action": "create", "type": "http", "id": "h",
                "http": {"matcher": {"path": "/over-http"}, "response": {"body": "yes"}}})  # fmt: skip
            assert (created.is_error, created.content[0].text) == (False, '{"action":"created","id":"h"}')
            # the session's workspace outlives the request that chose it
            created_ws = await mcp.call_tool("manage_workspace", {"action": "create", "name": "W"})
            ws_id = json.loads(created_ws.content[0].text)["id"]
            await mcp.call_tool("manage_workspace", {"action": "switch", "id": ws_id})
            listed = await mcp.call_tool("manage_workspace", {"action": "list"})
            assert json.loads(listed.content[0].text)["currentWorkspace"] == ws_id
            bad = await mcp.call_tool("verify_mock", {})
            assert (bad.is_error, bad.content[0].text) == (True, "id is required")

    anyio.run(main)
    assert httpx.get(server.url + "/over-http").text == "yes"
    assert server.stop() == 0  # SIGTERM stops the MCP listener with the rest


def test_a_taken_mcp_port_stops_start_up():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "mockd", "start", "--host", "127.0.0.1", "-p", str(free_port()), "-a",
             str(free_port()), "--mcp", "--mcp-port", str(port), "--pid-file", ""],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 1
    assert (
        done.stderr.splitlines()[-1] == f"failed to start MCP server on port {port}: Address already in use"
    )
    assert "running on" not in done.stdout


def test_http_sessions_hear_that_the_mock_list_changed(mockd_server):
    mcp_port = free_port()
    server = mockd_server("--mcp", "--mcp-port", str(mcp_port))
    url = f"http://127.0.0.1:{mcp_port}/mcp"
    heard: list[str] = []

    async def listen(message: object) -> None:
        if isinstance(message, types.ServerNotification | types.ResourceListChangedNotification):
            heard.append(type(getattr(message, "root", message)).__name__)

    async def main() -> None:
        async with (
            streamable_http_client(url) as (read_b, write_b, *_),
            ClientSession(read_b, write_b, message_handler=listen) as watcher,
            streamable_http_client(url) as (read_a, write_a, *_),
            ClientSession(read_a, write_a) as actor,
        ):
            info = await watcher.initialize()
            assert info.capabilities.resources is not None
            assert info.capabilities.resources.list_changed is True
            await watcher.list_resources()  # the watcher's connection is known from its first request
            await actor.initialize()
            await actor.call_tool("manage_mock", {"action": "list"})  # changes nothing: no notification
            created = await actor.call_tool("manage_mock", {"action": "create", "type": "http",
                "http": {"matcher": {"path": "/n"}, "response": {"body": "n"}}})  # fmt: skip
            assert not created.is_error
            with anyio.fail_after(20):
                while "ResourceListChangedNotification" not in heard:
                    await anyio.sleep(0.05)

    anyio.run(main)
    assert server.stop() == 0
