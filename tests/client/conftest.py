"""One server per module for the client tests (each test resets what it touches), from `CONFIG`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import MockdProcess, free_port

CONFIG = {
    "version": "1.0",
    "mocks": [
        {
            "id": "get-user",
            "name": "Get user",
            "type": "http",
            "http": {
                "matcher": {"method": "GET", "path": "/api/users/1"},
                "response": {"statusCode": 200, "body": '{"id": 1}'},
            },
        },
        {
            "id": "pay",
            "type": "http",
            "http": {
                "matcher": {"method": "POST", "path": "/api/payments"},
                "response": {"statusCode": 201, "body": '{"id": "pay_1"}'},
            },
        },
    ],
    "statefulResources": [
        {
            "name": "tasks",
            "basePath": "/api/tasks",
            "idField": "id",
            "seedData": [{"id": "task-1", "title": "Write tests", "status": "todo"}],
        }
    ],
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockdProcess]:
    path: Path = tmp_path_factory.mktemp("client") / "mocks.json"
    path.write_text(json.dumps(CONFIG))
    proc = MockdProcess(["--config", str(path)], free_port(), free_port())
    proc.start()
    yield proc
    proc.stop()
