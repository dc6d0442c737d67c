"""`mockd mcp` on the wire: requests piped in one go and stdin closed at once are all answered, one
compact JSON object per line, before the process exits 0 (reference §8.1)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.harness import free_port


def _line(msg_id: int | None, method: str, params: dict | None = None) -> str:
    msg: dict = {"jsonrpc": "2.0", "method": method}
    if msg_id is not None:
        msg["id"] = msg_id
    if params is not None:
        msg["params"] = params
    return json.dumps(msg) + "\n"


def test_every_piped_request_is_answered_before_exit():
    admin = f"http://127.0.0.1:{free_port()}"  # nothing listens: tools say so, the session goes on
    lines = [
        _line(1, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                "clientInfo": {"name": "script", "version": "1"}}),
        _line(None, "notifications/initialized"),
        _line(2, "ping"),
        _line(3, "tools/list"),
        _line(4, "tools/call", {"name": "manage_mock", "arguments": {"action": "list"}}),
        _line(5, "tools/call", {"name": "verify_mock", "arguments": {}}),
        _line(6, "no/such/method"),
    ]  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "mockd", "mcp", "--admin-url", admin], input="".join(lines),
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    replies = {r["id"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert sorted(replies) == [1, 2, 3, 4, 5, 6]
    assert replies[1]["result"]["serverInfo"]["name"] == "mockd"
    assert replies[2]["result"] == {}
    assert len(replies[3]["result"]["tools"]) == 18
    assert replies[4]["result"] == {"content": [{"type": "text", "text": (
        f"failed to list mocks: mockd server unreachable at {admin} — start it with: mockd serve")}],
        "isError": True}  # fmt: skip
    assert replies[5]["result"] == {"content": [{"type": "text", "text": "id is required"}], "isError": True}
    assert replies[6]["error"]["code"] == -32601
