"""`bench/micro_hotpath.py` still drives `MockApp.__rsgi__` with its fake scope.

It is run by hand, so nothing else notices when the app reads a scope attribute the fake lacks (it crashed
that way from the WebSocket dispatch until 2026-12-05). The script checks each case's answer before timing
it; this runs it with tiny counts and asserts it printed every row. No figure is judged here (design §3).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_micro_hotpath_runs_and_prints_every_case() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "micro_hotpath.py"), "--number", "200", "--mocks", "20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = [line[:48].rstrip() for line in proc.stdout.splitlines()[1:]]  # names are printed `{:<48}`
    assert rows == [
        "bare RSGI handler (bench/run's baseline)",
        "MockApp.__rsgi__, 1 mock, static hit",
        "MockApp.__rsgi__, 20 mocks, hit the last",
        "MockApp.__rsgi__, 20 mocks, random mix",
        "Matcher.find alone (1 mock), counts the hit",
        "Matcher.find_uncounted alone (1 mock)",
        "Matcher.find alone, 20 mocks, random mix",
        "Journal.log alone (a static hit's entry)",
        "Journal.record alone (any other request)",
        "  of which request metrics",
    ]
