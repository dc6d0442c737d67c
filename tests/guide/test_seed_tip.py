"""The guide's Tip 1 config (examples/integration-testing/seed-data.json, verbatim) loads and serves its seed.

It has no `version`, which the Go tool refuses; we load it as "1.0" (design D9). Its seed item is served as
written (D2), and a reset brings it back after the test changed the resource.
"""

from __future__ import annotations

from tests.guide.conftest import GUIDE
from tests.harness import request, run_cli

SEED = GUIDE / "seed-data.json"
TEST_USER = {"id": "1", "name": "Test User", "email": "test@example.com"}


def test_validates_without_a_version() -> None:
    result = run_cli("validate", str(SEED))
    assert (result.returncode, result.stderr) == (0, "")


def test_serves_and_resets_the_seed(mockd_server) -> None:
    server = mockd_server("--config", str(SEED))
    assert request(server.url + "/api/users/1").json() == TEST_USER
    assert request(server.url + "/api/users/1", method="DELETE").status == 204
    assert request(server.url + "/api/users/1").status == 404
    assert request(server.admin + "/state/resources/users/reset", method="POST").status == 200
    assert request(server.url + "/api/users").json()["data"] == [TEST_USER]
