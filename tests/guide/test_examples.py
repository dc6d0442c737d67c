"""The integration-testing guide's examples (examples/integration-testing), each run by its own toolchain.

Every suite starts `mockd` itself, as the guide writes it: from PATH, on the fixed ports 4280/4290, with
`--config test-mocks.json` relative to its working directory. So each runs in the examples folder in the
`guide_env` environment (conftest.py). A run passes when the toolchain exits 0 *and* reported exactly the
expected tests as passed, so a file that silently stops being collected fails here too.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.guide.conftest import GUIDE, missing, require

SUITE_TIMEOUT = 300


def _run(
    args: list[str], env: dict[str, str], timeout: float = SUITE_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=GUIDE, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _report(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout[-6000:]}\n--- stderr ---\n{proc.stderr[-6000:]}"


# --- JavaScript: Jest -------------------------------------------------------------------------------------

JEST_TESTS = {
    ("user-service.test.js", "User Service fetches user by ID"),
    ("user-service.test.js", "User Service handles user not found"),
    ("user-service.test.js", "User Service creates new user"),
    ("user-service.test.js", "Error Handling handles server errors gracefully"),
    ("user-service.test.js", "Error Handling handles timeout"),
    ("tips.test.js", "handles rate limiting"),
    ("verification.test.js", "payment endpoint is called exactly once"),
}


def _npm_ci_if_stale(env: dict[str, str]) -> None:
    """`npm ci` only when node_modules is missing or was installed from another package.json or lockfile.
    The stamp lives inside node_modules, which `npm ci` deletes first."""
    digest = hashlib.sha256(
        (GUIDE / "package.json").read_bytes() + b"\0" + (GUIDE / "package-lock.json").read_bytes()
    ).hexdigest()
    stamp = GUIDE / "node_modules" / ".mockd-installed-from"
    if stamp.exists() and stamp.read_text() == digest:
        return
    proc = _run(["npm", "ci", "--no-audit", "--no-fund"], env, timeout=600)
    assert proc.returncode == 0, "npm ci failed\n" + _report(proc)
    stamp.write_text(digest)


def test_jest_suite(guide_env: dict[str, str], tmp_path: Path) -> None:
    require("node", "npm", "npx", path=guide_env["PATH"])
    _npm_ci_if_stale(guide_env)
    results_file = tmp_path / "jest.json"
    proc = _run(["npx", "--no-install", "jest", "--ci", "--json", f"--outputFile={results_file}"], guide_env)
    assert proc.returncode == 0, _report(proc)
    results = json.loads(results_file.read_text())
    reported = {
        (Path(suite["name"]).name, test["fullName"]): test["status"]
        for suite in results["testResults"]
        for test in suite["assertionResults"]
    }
    assert reported == dict.fromkeys(JEST_TESTS, "passed"), _report(proc)


# --- Python: pytest ---------------------------------------------------------------------------------------

PYTEST_TESTS = {
    ("test_api", "test_get_users"),
    ("test_api", "test_create_user"),
    ("test_api", "test_user_not_found"),
    ("TestStatefulOperations", "test_crud_workflow"),
}


def test_pytest_suite(guide_env: dict[str, str], tmp_path: Path) -> None:
    if importlib.util.find_spec("requests") is None:
        missing("the guide's Python example needs `requests` (pip install '.[test]')")
    junit = tmp_path / "pytest.xml"
    proc = _run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", f"--junitxml={junit}"], guide_env
    )
    assert proc.returncode == 0, _report(proc)
    # A passed case has no child element (failure, error and skipped are children).
    reported = {
        (case.get("classname", "").rsplit(".", 1)[-1], case.get("name")): [child.tag for child in case]
        for case in ET.parse(junit).getroot().iter("testcase")
    }
    assert reported == {key: [] for key in PYTEST_TESTS}, _report(proc)


# --- Go: go test ------------------------------------------------------------------------------------------

GO_TESTS = {"TestGetUsers", "TestCreateTask"}


def test_go_suite(guide_env: dict[str, str]) -> None:
    require("go", path=guide_env["PATH"])
    # Standard library only: never download a module or a toolchain. -count=1: Go would otherwise replay a
    # cached pass, since it cannot see that mockd or test-mocks.json changed.
    env = {**guide_env, "GOTOOLCHAIN": "local", "GOPROXY": "off"}
    proc = _run(["go", "test", "-count=1", "-json", "./..."], env)
    assert proc.returncode == 0, _report(proc)
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    outcomes = {
        e["Test"]: e["Action"] for e in events if e.get("Test") and e["Action"] in ("pass", "fail", "skip")
    }
    assert outcomes == dict.fromkeys(GO_TESTS, "pass"), _report(proc)
