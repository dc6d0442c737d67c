"""docs/matching.md's worked example is executed: its config is served and every table row is checked.

The YAML block and the table are read from the page itself, so the page cannot drift from the behaviour.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.harness import request

PAGE = (ROOT / "docs" / "matching.md").read_text()
CONFIG = 'version: "1.0"\n' + re.search(r"## Worked example\n\n```yaml\n(.*?)```", PAGE, re.S).group(1)  # type: ignore[union-attr]
ROWS = re.findall(
    r"^\| `(GET|POST|PUT|PATCH|DELETE) (\S+)`( with `([^`]+)`)? \| .*? \| \*\*(the resource|none|[\w-]+)",
    PAGE,
    re.M,
)
BODIES = {"user-1": b"one", "any-user": b"any", "tenant-user": b"tenant", "everything": b"fallback"}


def test_the_table_was_found() -> None:
    assert len(ROWS) == 5  # the 404 row is checked separately


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.harness import MockdProcess, free_port

    path: Path = tmp_path_factory.mktemp("doc") / "mocks.yaml"
    path.write_text(CONFIG)
    proc = MockdProcess(["--config", str(path)], free_port(), free_port()).start()
    yield proc
    proc.stop()


@pytest.mark.parametrize(("method", "path", "_with", "header", "winner"), ROWS)
def test_worked_example_row(server, method: str, path: str, _with: str, header: str, winner: str) -> None:
    headers = dict([header.split(": ", 1)]) if header else {}
    r = request(server.url + path, method, headers=headers)
    if winner == "the resource":
        assert (r.status, r.body) == (204, b"")  # the legacy resource deleted seed item 7
    else:
        assert (r.status, r.body) == (200, BODIES[winner])


def test_worked_example_miss(server) -> None:
    r = request(server.url + "/teams", "POST")
    assert r.status == 404
    assert r.json()["error"] == "no_match"
