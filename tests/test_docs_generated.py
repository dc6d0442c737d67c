"""docs/cli.md and docs/errors.md are generated from the code; a stale page fails here (regenerate with
`python docs/gen_reference.py`)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_reference_pages_are_up_to_date() -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "gen_reference.py"), "--check"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
