"""`mockd workspace …` (operations reference §4.9) against a real server, with the contexts file in a
temporary XDG_CONFIG_HOME; and `add`/`list` working in the selected workspace."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.harness import MOCKD, MockdProcess, request, run_cli


@pytest.fixture
def env(tmp_path: Path, mockd_server: Callable[..., MockdProcess]) -> tuple[MockdProcess, dict[str, str]]:
    srv = mockd_server("--no-auth")
    return srv, {
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "MOCKD_ADMIN_URL": srv.admin,
        "HOME": str(tmp_path),
    }


def test_show_without_a_contexts_file(env: tuple[MockdProcess, dict[str, str]]) -> None:
    _, e = env
    r = run_cli("workspace", env=e)
    assert (r.returncode, r.stdout) == (0, "Current context: local\n  Admin URL: http://localhost:4290\n"
                                           "  Workspace: (default)\n")  # fmt: skip
    assert json.loads(run_cli("workspace", "show", "--json", env=e).stdout) == {
        "adminUrl": "http://localhost:4290", "context": "local", "workspace": ""}  # fmt: skip


def test_create_use_list_add_clear_delete(env: tuple[MockdProcess, dict[str, str]], tmp_path: Path) -> None:
    srv, e = env
    assert run_cli("workspace", "create", env=e).stderr == "workspace name required (--name)\n"
    r = run_cli("workspace", "create", "-n", "Team A", "-d", "the A team", "--use", env=e)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    ws_id = lines[0].split("(ID: ")[1].rstrip(")")
    assert lines == [
        f'Created workspace "Team A" (ID: {ws_id})', "  Base path: /team-a",
        "  Mocks in this workspace are served under /team-a (e.g., /team-a/v1/resource)",
        f'Switched to workspace "{ws_id}"',
    ]  # fmt: skip
    saved = yaml.safe_load((tmp_path / "cfg" / "mockd" / "contexts.yaml").read_text())
    assert saved["currentContext"] == "local"
    assert saved["contexts"]["local"]["workspace"] == ws_id
    r = run_cli("workspace", "create", "-n", "Team A", env=e)
    assert (r.returncode, r.stderr) == (
        1,
        'failed to create workspace: Workspace with name "Team A" already exists\n',
    )

    r = run_cli("workspace", "list", env=e)
    assert r.stdout.splitlines() == [
        "CURRENT  ID                   NAME     BASE PATH  TYPE   DESCRIPTION",
        "                              Default  /          local  Default workspace",
        f"*        {ws_id}  Team A   /team-a    local  the A team",
    ]  # fmt: skip
    js = json.loads(run_cli("workspace", "ls", "--json", env=e).stdout)
    assert (js["currentWorkspace"], js["count"]) == (ws_id, 2)

    # Client commands work in the selected workspace.
    assert run_cli("add", "--path", "/users", "-b", "team", env=e).returncode == 0
    assert request(srv.url + "/team-a/users").body == b"team"
    assert [m["path"] for m in json.loads(run_cli("list", "--json", env=e).stdout)] == ["/users"]

    assert run_cli("workspace", "clear", env=e).stdout == f"Cleared workspace selection (was: {ws_id})\n"
    assert run_cli("workspace", "clear", env=e).stdout == "No workspace was selected\n"
    r = run_cli("workspace", "use", "ws_nope", env=e)
    assert (r.returncode, r.stderr) == (1, "failed to verify workspace: workspace not found: ws_nope\n")
    r = run_cli("workspace", "use", ws_id, env=e)
    assert r.stdout == f'Switched to workspace "{ws_id}"\n  Name: Team A\n'

    r = subprocess.run([*MOCKD, "workspace", "delete", ws_id], input="no\n", capture_output=True, text=True,
                       env={**os.environ, **e}, check=False, timeout=60)  # fmt: skip
    assert r.stdout == f"Delete workspace \"Team A\"?\n  ID: {ws_id}\nType 'yes' to confirm: Aborted\n"
    r = run_cli("workspace", "rm", ws_id, "-f", env=e)
    assert r.stdout == f'Cleared workspace from current context\nDeleted workspace "{ws_id}"\n'
    assert request(srv.url + "/team-a/users").status == 404
