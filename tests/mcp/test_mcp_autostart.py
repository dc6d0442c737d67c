"""`mockd mcp --data-dir`: no server answers, so it starts the project server in the background and acts on
it, and starts it again when it stops answering (reference §8.1). The started server outlives the session;
the test stops it by the PID it wrote."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import anyio
import httpx

from tests.harness import free_port
from tests.mcp.client import agent


def _stop(pid_file: Path) -> None:
    pid = json.loads(pid_file.read_text())["pid"]
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


async def _answers(admin_port: int) -> bool:
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            return (await http.get(f"http://127.0.0.1:{admin_port}/health")).status_code == 200
    except httpx.HTTPError:
        return False


def test_data_dir_starts_the_project_server_and_keeps_it_alive(tmp_path):
    data, port, admin_port = tmp_path / "data", free_port(), free_port()
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "MOCKD_ADMIN_URL": "",
           "MOCKD_MCP_HEALTH_INTERVAL": "0.2"}  # fmt: skip
    flags = ["--data-dir", str(data), "--port", str(port), "--admin-port", str(admin_port)]

    async def main() -> None:
        async with agent(*flags, env=env) as a:
            status = await a.ok("get_server_status")
            assert (status["adminUrl"], status["healthy"]) == (f"http://localhost:{admin_port}", True)
            assert [(p["port"], p["component"]) for p in status["ports"]] == [
                (admin_port, "Admin API"), (port, "Mock Engine")]  # fmt: skip
            await a.ok("manage_mock", {"action": "create", "type": "http", "id": "kept",
                                       "http": {"matcher": {"path": "/kept"}, "response": {"body": "k"}}})  # fmt: skip
            # the watchdog: the server goes away, three failed health checks later it is started again
            first = json.loads((data / "mockd.pid").read_text())["pid"]
            await anyio.to_thread.run_sync(_stop, data / "mockd.pid")
            deadline = time.monotonic() + 60
            while not await _answers(admin_port):
                assert time.monotonic() < deadline, "the server was not started again"
                await anyio.sleep(0.1)
            assert json.loads((data / "mockd.pid").read_text())["pid"] != first
            assert (await a.ok("manage_mock", {"action": "get", "id": "kept"}))["id"] == "kept"  # kept in D

    try:
        anyio.run(main)
        # the server keeps running after the session, with what the agent made
        assert httpx.get(f"http://127.0.0.1:{port}/kept").text == "k"
    finally:
        if (data / "mockd.pid").exists():
            _stop(data / "mockd.pid")
