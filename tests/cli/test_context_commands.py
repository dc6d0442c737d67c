"""`mockd context …` (the Go CLI's context commands) on a temporary contexts file, and the current
context's `authToken` sent by client commands as the admin API key (MOCKD_API_KEY still wins)."""

from __future__ import annotations

import http.server
import json
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.harness import MOCKD, run_cli


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "HOME": str(tmp_path), "MOCKD_ADMIN_URL": "",
            "MOCKD_API_KEY": "", "MOCKD_CONTEXT": "", "MOCKD_WORKSPACE": ""}  # fmt: skip


def saved(tmp_path: Path) -> dict:
    return yaml.safe_load((tmp_path / "cfg" / "mockd" / "contexts.yaml").read_text())


def test_show_add_use_list_remove(env: dict[str, str], tmp_path: Path) -> None:
    r = run_cli("context", env=env)
    assert (r.returncode, r.stdout) == (0, "Current context: local\n  Admin URL:  http://localhost:4290\n"
                                           "  Description: Local mockd server\n\n"
                                           "Run 'mockd context list' to see all contexts\n")  # fmt: skip
    r = run_cli("context", "add", "staging", "-u", "https://staging.example.com:4290", "-w", "ws_1",
                "-d", "the staging box", "-t", "s3cret", env=env)  # fmt: skip
    assert (r.returncode, r.stdout, r.stderr) == (0, 'Added context "staging"\n', "")
    assert saved(tmp_path)["contexts"]["staging"] == {
        "adminUrl": "https://staging.example.com:4290", "workspace": "ws_1", "description": "the staging box",
        "authToken": "s3cret"}  # fmt: skip
    assert saved(tmp_path)["currentContext"] == "local"
    r = run_cli("context", "add", "staging", "-u", "http://x:1", env=env)
    assert (r.returncode, r.stderr) == (1, "context already exists: staging\n")

    r = run_cli("context", "list", env=env)
    assert r.stdout.splitlines() == [
        "CURRENT  NAME     ADMIN URL                         WORKSPACE  DESCRIPTION",
        "*        local    http://localhost:4290             -          Local mockd server",
        "         staging  https://staging.example.com:4290  ws_1       the staging box",
    ]
    listed = json.loads(run_cli("context", "ls", "--json", env=env).stdout)
    assert listed == {"currentContext": "local", "contexts": {
        "local": {"adminUrl": "http://localhost:4290", "description": "Local mockd server"},
        "staging": {"adminUrl": "https://staging.example.com:4290", "workspace": "ws_1",
                    "description": "the staging box", "hasToken": True}}}  # fmt: skip
    assert "s3cret" not in json.dumps(listed)

    r = run_cli("context", "use", "staging", env=env)
    assert r.stdout == ('Switched to context "staging"\n  Admin URL: https://staging.example.com:4290\n'
                        "  Workspace: ws_1\n")  # fmt: skip
    assert saved(tmp_path)["currentContext"] == "staging"
    r = run_cli("context", "use", "nope", env=env)
    assert (r.returncode, r.stderr) == (1, "context not found: nope\n\nAvailable contexts: local, staging\n")
    r = run_cli("context", "show", "--json", env={**env, "MOCKD_WORKSPACE": "ws_2"})
    assert json.loads(r.stdout) == {"context": {"adminUrl": "https://staging.example.com:4290", "workspace": "ws_1",
                                                "description": "the staging box", "hasToken": True},
                                    "envOverride": False, "name": "staging", "workspaceOverride": "ws_2"}  # fmt: skip
    r = run_cli("context", "show", env={**env, "MOCKD_CONTEXT": "local"})
    assert r.stdout.splitlines()[0] == "Current context: local  (from MOCKD_CONTEXT)"
    r = run_cli("context", "show", env={**env, "MOCKD_CONTEXT": "gone"})
    assert (r.returncode, r.stderr) == (1, 'context "gone" (from MOCKD_CONTEXT) not found\n')

    r = run_cli("context", "remove", "staging", "-f", env=env)
    assert (r.returncode, r.stderr) == (1, "cannot remove current context; switch to another context first\n")
    assert run_cli("context", "use", "local", env=env).returncode == 0
    asked = subprocess.run([*MOCKD, "context", "rm", "staging"], input="no\n", capture_output=True, text=True,
                           env={**__import__("os").environ, **env}, check=False)  # fmt: skip
    assert asked.stdout == ('Remove context "staging"?\n  Admin URL: https://staging.example.com:4290\n'
                            "  Workspace: ws_1\nType 'yes' to confirm: Aborted\n")  # fmt: skip
    r = run_cli("context", "delete", "staging", "-f", "--json", env=env)
    assert json.loads(r.stdout) == {"name": "staging", "removed": True}
    assert list(saved(tmp_path)["contexts"]) == ["local"]
    r = run_cli("context", "remove", "staging", "-f", env=env)
    assert (r.returncode, r.stderr) == (1, "context not found: staging\n")


def test_add_checks_its_input(env: dict[str, str]) -> None:
    cases = {
        ("add",): "context name cannot be empty",
        ("add", "a b", "-u", "http://x"): "context name cannot contain whitespace or path separators",
        ("add", "x" * 65, "-u", "http://x"): "context name cannot exceed 64 characters",
        ("add", "c", "-u", "ftp://x"): "invalid admin URL: must start with http:// or https://",
        ("add", "c", "-u", "http://"): "invalid admin URL: missing host",
        ("add", "c", "-u", "http://u:p@x"): "invalid admin URL: embedded credentials (user:pass@host) are not "
                                            "allowed; use --token for authentication",
    }  # fmt: skip
    for args, message in cases.items():
        r = run_cli("context", *args, env=env)
        assert (r.returncode, r.stderr) == (1, message + "\n"), args
    r = run_cli("context", "add", "dev", "-u", "http://dev:4290", "--use", "--json", env=env)
    assert json.loads(r.stdout) == {
        "name": "dev",
        "context": {"adminUrl": "http://dev:4290"},
        "current": True,
    }
    prompted = subprocess.run([*MOCKD, "context", "add", "p"], input="http://p:4290\n", capture_output=True,
                              text=True, env={**__import__("os").environ, **env}, check=False)  # fmt: skip
    assert prompted.stdout == (
        'Adding context "p"\nAdmin URL (e.g., http://localhost:4290): Added context "p"\n'
    )


class _Recorder(http.server.BaseHTTPRequestHandler):
    keys: list[str | None] = []

    def do_GET(self) -> None:
        type(self).keys.append(self.headers.get("X-API-Key"))
        body = b'{"mocks":[],"total":0,"count":0}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str | None]]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.keys = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.keys
    server.shutdown()
    server.server_close()


def test_the_current_contexts_token_is_sent(
    env: dict[str, str], recorder: tuple[str, list[str | None]]
) -> None:
    url, keys = recorder
    assert run_cli("context", "add", "remote", "-u", url, "-t", "tok-1", "--use", env=env).returncode == 0
    r = run_cli("list", env=env)
    assert r.returncode == 0, r.stderr
    assert keys == ["tok-1"]
    assert run_cli("list", env={**env, "MOCKD_API_KEY": "from-env"}).returncode == 0
    assert keys == ["tok-1", "from-env"]
    assert run_cli("context", "add", "plain", "-u", url, "--use", env=env).returncode == 0
    assert run_cli("list", env=env).returncode == 0
    assert keys == ["tok-1", "from-env", None]
