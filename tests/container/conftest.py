"""Container tests report the image size and build times at the end of the run (issue 8 asks for the size)."""

from __future__ import annotations

import pytest

from tests.container.podman import SUMMARY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SUMMARY:
        terminalreporter.section("mockd container image")
        for line in SUMMARY:
            terminalreporter.write_line(line)
