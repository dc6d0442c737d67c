"""Inner pytest runs (`pytester`) with the mockd plugin loaded as an installed package would load it."""

from __future__ import annotations

import os
from importlib.metadata import entry_points
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]

MOCKS_YAML = """\
mocks:
  - id: get-user
    name: Get user
    type: http
    http:
      matcher: {method: GET, path: /api/users/1}
      response: {statusCode: 200, body: '{"id": 1, "name": "Alice"}'}
statefulResources:
  - name: tasks
    basePath: /api/tasks
    idField: id
    seedData:
      - {id: task-1, title: Write tests}
"""


def plugin_args() -> list[str]:
    """`-p` the plugin unless its entry point is installed (then pytest loads it already, and a second
    registration under another name would be refused)."""
    if any(ep.name == "mockd" for ep in entry_points(group="pytest11")):
        return []
    return ["-p", "mockd.testing.pytest_plugin"]


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A project folder with `mocks.yaml` and a pytest.ini naming it; inner runs import this checkout."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    pytester.makefile(".yaml", mocks=MOCKS_YAML)
    pytester.makeini("[pytest]\nmockd_config = mocks.yaml\n")
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(*plugin_args(), "-p", "no:cacheprovider", *args, timeout=180)
