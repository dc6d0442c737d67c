# The integration-testing guide's pytest setup, verbatim ("Python" > "pytest Setup").
# ruff: noqa
# fmt: off

import subprocess
import time
import requests
import pytest

@pytest.fixture(scope="session")
def mockd_server():
    """Start mockd server for the test session."""
    proc = subprocess.Popen(
        ["mockd", "start", "--config", "test-mocks.json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE
    )

    # Wait for server
    for _ in range(50):
        try:
            requests.get("http://localhost:4280/health")
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    else:
        raise RuntimeError("mockd failed to start")

    yield "http://localhost:4280"

    proc.terminate()
    proc.wait()

@pytest.fixture(autouse=True)
def reset_state():
    """Reset mockd stateful resources before each test."""
    requests.post("http://localhost:4290/state/resources/users/reset")
    requests.post("http://localhost:4290/state/resources/tasks/reset")
