"""`.github/workflows/integration.yml`: valid YAML with the jobs CI needs, and its server steps work as written.

GitHub runs each `run:` with `bash --noprofile --norc -eo pipefail`, in the job's default working directory,
and passes variables between steps through the file named by `$GITHUB_ENV`; the second test does the same
for the steps that start, use and stop the background server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from tests.guide.conftest import alive, require

WORKFLOW = ROOT / ".github" / "workflows" / "integration.yml"


def _workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text())


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_workflow_shape() -> None:
    workflow = _workflow()
    assert workflow[True] == ["push", "pull_request"]  # YAML 1.1 reads the key `on` as true
    jobs = workflow["jobs"]
    assert set(jobs) == {"guide-examples", "make-test"}
    for job in jobs.values():
        assert job["runs-on"] == "ubuntu-latest"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step
        actions = {
            step["uses"].split("@")[0]: step.get("with", {}) for step in job["steps"] if "uses" in step
        }
        assert actions["actions/setup-python"]["python-version"] == "3.11"
        assert actions["actions/setup-node"]["node-version"] == 20
        assert "actions/setup-go" in actions
        assert "rustup" in _runs(job)

    guide = jobs["guide-examples"]
    assert guide["defaults"]["run"]["working-directory"] == "examples/integration-testing"
    runs = _runs(guide)
    for command in ("pip install .", "npm ci", "mockd start --config test-mocks.json", 'kill "$MOCKD_PID"',
                    "npm test", "python -m pytest", "go test -count=1"):  # fmt: skip
        assert command in runs
    assert "releases" not in runs  # built from this checkout, never a downloaded binary
    ids = [step.get("id") for step in guide["steps"]]
    # The suites start their own server on 4280/4290: the background one is stopped before them.
    assert ids.index("stop-mockd") < min(
        i for i, s in enumerate(guide["steps"]) if "npm test" in s.get("run", "")
    )

    make = jobs["make-test"]
    assert make["env"]["MOCKD_REQUIRE_EXAMPLES"] == "1"  # tests/guide may not skip a language there
    assert "make test" in _runs(make)


def test_server_steps_run_as_written(guide_env: dict[str, str], tmp_path: Path) -> None:
    require("curl", path=guide_env["PATH"])
    job = _workflow()["jobs"]["guide-examples"]
    workdir = ROOT / job["defaults"]["run"]["working-directory"]
    steps = {step["id"]: step for step in job["steps"] if "id" in step}
    github_env = tmp_path / "github_env"
    github_env.touch()
    env = {**guide_env, "RUNNER_TEMP": str(tmp_path), "GITHUB_ENV": str(github_env)}
    try:
        for step_id in ("start-mockd", "smoke", "stop-mockd"):
            step = steps[step_id]
            proc = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=workdir, env={**env, **step.get("env", {})}, stdin=subprocess.DEVNULL,
                capture_output=True, text=True, timeout=60, check=False,
            )  # fmt: skip
            log = (tmp_path / "mockd.log").read_text() if (tmp_path / "mockd.log").exists() else ""
            assert proc.returncode == 0, f"step {step_id}:\n{proc.stdout}\n{proc.stderr}\nmockd.log:\n{log}"
            for line in github_env.read_text().splitlines():
                name, _, value = line.partition("=")
                env[name] = value
        # The stop step waits for the ports; the process itself ends a moment later.
        deadline = time.monotonic() + 2
        while alive(int(env["MOCKD_PID"])) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        if "MOCKD_PID" in env and alive(int(env["MOCKD_PID"])):
            os.kill(int(env["MOCKD_PID"]), signal.SIGKILL)
            pytest.fail("the workflow's stop step left mockd running")
