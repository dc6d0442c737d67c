"""MCP resources of `mockd mcp`: the `mock://` URIs of mocks, tables and the server (reference §8.2)."""

from __future__ import annotations

import json
import re

import anyio
import httpx
import pytest
from mcp.shared.exceptions import MCPError

from tests.mcp.client import agent


def test_resources_list_and_read(mockd_server, tmp_path):
    server = mockd_server()
    httpx.post(server.admin + "/mocks", json={"id": "hi", "type": "http", "name": "Hi",
        "http": {"matcher": {"method": "POST", "path": "/hi"}, "response": {"body": "x"}}}).raise_for_status()  # fmt: skip
    httpx.post(server.admin + "/state/resources", json={"name": "users", "seedData": [{"id": "u1"}]})
    httpx.post(server.url + "/hi")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}  # no contexts file: the default `local` context

    async def main() -> None:
        async with agent("--admin-url", server.admin, env=env) as a:
            listed = (await a.session.list_resources()).resources
            assert [(r.uri, r.name, r.description, r.mime_type) for r in listed[:2]] == [
                ("mock:///hi#POST", "POST /hi", "Hi", "application/json"),
                ("mock://stateful/users", "Stateful: users", "CRUD operations on users (1 items)", "application/json"),
            ]  # fmt: skip
            assert [r.uri for r in listed[2:]] == [
                "mock://chaos", "mock://verification", "mock://logs", "mock://config", "mock://context"]  # fmt: skip

            async def read(uri: str) -> str:
                contents = (await a.session.read_resource(uri)).contents
                assert [(str(c.uri), c.mime_type) for c in contents] == [(uri, "application/json")]
                return contents[0].text

            assert json.loads(await read("mock:///hi#POST"))["id"] == "hi"
            assert await read("mock://stateful/users") == (
                '{"hasSeedData":true,"idField":"id","itemCount":1,"name":"users","seedDataCount":1}'
            )
            verification = json.loads(await read("mock://verification/hi"))
            assert (verification["mockId"], verification["verification"]["callCount"]) == ("hi", 1)
            assert verification["invocations"]["total"] == 1
            logs = json.loads(await read("mock://logs"))
            assert (logs["count"], logs["total"], logs["methodCounts"], logs["statusCounts"]) == (
                1, 1, {"POST": 1}, {"200": 1})  # fmt: skip
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", logs["newestEntry"])
            config = json.loads(await read("mock://config"))
            assert (config["mockCount"], config["statefulResourceCount"], config["totalRequests"]) == (
                1,
                1,
                1,
            )
            assert json.loads(await read("mock://chaos"))["config"]["enabled"] is False
            assert await read("mock://context") == (
                '{"contexts":{"local":{"adminUrl":"http://localhost:4290","description":"Local mockd server"}},'
                '"currentContext":"local"}'
            )
            for uri in (
                "mock://stateful/ghosts",
                "mock:///nothing#GET",
                "mock://verification/ghost",
                "file:///etc",
            ):
                with pytest.raises(MCPError) as info:
                    await a.session.read_resource(uri)
                assert (info.value.error.code, info.value.error.message) == (-32003, "Resource not found")
                assert info.value.error.data == {"uri": uri}

    anyio.run(main)
