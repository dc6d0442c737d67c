"""Stateful tests run against real `mockd start` processes over HTTP.

`server` is module-scoped and parametrised over both config generations in both file formats (four
processes per module that uses it); `srv` hands it to a test after `POST /reset`, so every test starts
from the seed (which is itself what these tests check). Modules that need another config start their own
through `start`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.harness import MockdProcess, free_port
from tests.state import configs


@dataclass
class Server:
    """A running server plus a keep-alive session: `call` hits the mock port, `admin` the admin port."""

    proc: MockdProcess
    gen: str = "current"  # "legacy" | "current"
    session: requests.Session = field(default_factory=requests.Session)

    @property
    def legacy(self) -> bool:
        return self.gen == "legacy"

    def call(self, method: str, path: str, **kw: Any) -> requests.Response:
        return self.session.request(method, self.proc.url + path, timeout=10, **kw)

    def admin(self, method: str, path: str, **kw: Any) -> requests.Response:
        return self.session.request(method, self.proc.admin + path, timeout=10, **kw)

    def items(self, path: str = "/api/users", **params: Any) -> list[dict[str, Any]]:
        reply = self.call("GET", path, params=params)
        assert reply.status_code == 200, reply.text
        return reply.json()["data"]

    def ids(self, path: str = "/api/users", **params: Any) -> list[Any]:
        return [item["id"] for item in self.items(path, **params)]


def launch(config: dict[str, Any], fmt: str, directory: Path, *args: str) -> MockdProcess:
    path = configs.write(directory, config, fmt)
    return MockdProcess(["--config", str(path), *args], free_port(), free_port()).start()


@pytest.fixture(scope="module")
def start(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Server]]:
    """Factory for module-scoped servers: `start(config, fmt="json", gen="current")`."""
    started: list[Server] = []

    def run(config: dict[str, Any], fmt: str = "json", gen: str = "current", *args: str) -> Server:
        server = Server(launch(config, fmt, tmp_path_factory.mktemp("cfg"), *args), gen)
        started.append(server)
        return server

    yield run
    for server in started:
        server.session.close()
        server.proc.stop()


GENERATIONS = [("legacy", "json"), ("legacy", "yaml"), ("current", "json"), ("current", "yaml")]


@pytest.fixture(scope="module", params=GENERATIONS, ids=[f"{g}-{f}" for g, f in GENERATIONS])
def server(request: pytest.FixtureRequest, start: Callable[..., Server]) -> Server:
    gen, fmt = request.param
    return start(configs.legacy() if gen == "legacy" else configs.current(), fmt, gen)


@pytest.fixture
def srv(server: Server) -> Server:
    """The module's server, every resource back at its seed."""
    reply = server.admin("POST", "/reset")
    assert reply.status_code == 200, reply.text
    return server
