"""`examples/pytest-plugin/` passes as a user would run it: copied elsewhere, plain `python -m pytest`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.testing.conftest import ROOT, run

EXAMPLE = ROOT / "examples" / "pytest-plugin"


def test_the_plugin_example_passes(suite: pytest.Pytester) -> None:
    for path in EXAMPLE.iterdir():
        shutil.copy(path, Path(suite.path) / path.name)
    run(suite).assert_outcomes(passed=6)


def test_the_plugin_example_passes_under_xdist(suite: pytest.Pytester) -> None:
    for path in EXAMPLE.iterdir():
        shutil.copy(path, Path(suite.path) / path.name)
    run(suite, "-p", "xdist", "-n", "2").assert_outcomes(passed=6)
