"""Admin API tests run against real `mockd start` processes on free loopback ports.

Most modules share one server (`server`, module scope) and wipe it between tests (`clean`); tests that need
other flags start their own through the `mockd_server` factory of tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.harness import MockdProcess, free_port


@pytest.fixture(scope="module")
def server() -> Iterator[MockdProcess]:
    proc = MockdProcess([], free_port(), free_port()).start()
    yield proc
    proc.stop()


@pytest.fixture
def clean(server: MockdProcess) -> MockdProcess:
    """The shared server with no mocks and an empty log/counters."""
    assert requests.delete(server.admin + "/mocks", timeout=10).status_code == 204
    assert requests.delete(server.admin + "/verify", timeout=10).status_code == 200
    return server
