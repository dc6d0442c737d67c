"""`bench/run` refuses bad arguments before it measures anything.

A wrong `--closing-note` path used to surface as a traceback after the whole run, losing its figures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mockbench", *args],
        cwd=ROOT / "bench",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_closing_note_that_is_not_a_file_is_refused_before_the_run() -> None:
    proc = _run("--closing-note", "issue 20: a sentence, not a path", "-s", "1")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines()[-1] == (
        "bench/run: error: argument --closing-note: 'issue 20: a sentence, not a path' is not a file "
        "(it takes the path of a markdown file)"
    )
    assert "Traceback" not in proc.stderr
