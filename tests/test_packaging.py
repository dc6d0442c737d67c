"""The built wheel installs everything under one `mockd` namespace and its CLI runs in a clean virtualenv.

This is the proof behind the README's layout note: maturin installs one package directory named after
`module-name`, so the Python trees live in `mockd/compiler` and `mockd/runtime` beside the crate. A user's
test virtualenv must not receive a bare top-level `compiler` or `runtime` package.
"""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # maturin's PEP 517 backend runs the `maturin` executable from PATH: put this interpreter's bin first,
    # since `make test` runs pytest from the virtualenv without activating it.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-w", str(out)],
        capture_output=True, text=True, timeout=1200, check=False, env=env,
    )  # fmt: skip
    assert build.returncode == 0, build.stdout + build.stderr
    (whl,) = out.glob("mockd-*.whl")
    return whl


@pytest.mark.slow
def test_wheel_contains_only_the_mockd_namespace(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top_level == {"mockd"}
    assert "mockd/compiler/__init__.py" in names
    assert "mockd/runtime/__init__.py" in names
    assert any(n.startswith("mockd/_native.") and n.endswith(".so") for n in names)
    assert "mockd/py.typed" in names
    assert {f"mockd/dashboard/static/{n}" for n in ("index.html", "app.js", "style.css")} <= set(names)
    # issue 21: the config schema ships as package data, and pytest finds the plugin through its entry point
    assert "mockd/schema/mockd-config.schema.json" in names
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    parser = configparser.ConfigParser()
    parser.read_string(zipfile.ZipFile(wheel).read(entry_points).decode())
    assert dict(parser["pytest11"]) == {"mockd": "mockd.testing.pytest_plugin"}


@pytest.mark.slow
def test_wheel_installs_into_a_clean_venv_and_runs(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=600)

    help_out = subprocess.run(
        [str(env_dir / "bin" / "mockd"), "--help"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    for command in ("start", "compile", "validate", "version"):
        assert command in help_out

    probe = (
        "import importlib.util, mockd.compiler, mockd.runtime, mockd._native;"
        "print(importlib.util.find_spec('compiler'), importlib.util.find_spec('runtime'))"
    )
    # Run from an empty directory so nothing in the source tree can be imported by accident.
    found = subprocess.run(
        [str(py), "-c", probe], check=True, capture_output=True, text=True, cwd=tmp_path, timeout=60
    ).stdout.strip()
    assert found == "None None"
