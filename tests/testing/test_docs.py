"""docs/pytest.md's five-minute walkthrough runs as written: its config, ini and test, in a fresh folder."""

from __future__ import annotations

import re
import textwrap

import pytest

from tests.testing.conftest import ROOT, run

PAGE = (ROOT / "docs" / "pytest.md").read_text()
QUICKSTART = PAGE.split("## Fixtures")[0]
BLOCKS = {lang: textwrap.dedent(body) for lang, body in re.findall(r"```(\w+)\n(.*?)```", QUICKSTART, re.S)}


def test_the_walkthrough_passes(suite: pytest.Pytester) -> None:
    suite.makefile(".yaml", mocks=BLOCKS["yaml"])
    suite.makefile(".ini", pytest=BLOCKS["ini"])
    suite.makepyfile(test_quickstart=BLOCKS["python"])
    run(suite).assert_outcomes(passed=1)
