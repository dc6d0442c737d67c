"""The pytest plugin (entry point `pytest11: mockd`): mockd servers for a test suite, with no conftest code.

Fixtures:
- `mockd_service`: the `MockdServer` for this test (the raw handle: nothing is reset for it). One server
  per config per session (per worker under pytest-xdist, each worker being its own session on its own
  free ports), started on first use and stopped by PID at the end. The config comes from the test's
  `@pytest.mark.mockd(config=...)` marker, else the `mockd_config` ini option, else none (an empty
  server for tests that add mocks themselves).
- `mockd`: a `MockdClient` for it. Before the test every stateful table is back at its seed and call
  counts and the request log are empty; after it, the mocks are the config's again (those the test
  created deleted, those it changed or deleted put back) and so are the chaos settings.
- `mockd_url`: the mock port's base URL (after the same reset as `mockd`).

A failed test's report gets a "mockd requests" section: what reached the server during the test, with
the near-misses of the unmatched requests. A config that cannot load fails every test that uses it at
set-up with mockd's positioned errors; a server that died mid-session fails the next test with its exit
code and last lines.

Only pytest is imported at load time: the plugin is loaded into every pytest run where mockd is
installed, and those that never ask for a fixture should not pay for importing the client.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mockd.client import MockdClient
    from mockd.testing.server import MockdServer

SERVER = pytest.StashKey["MockdServer"]()
# Requests shown in a failed test's report (newest kept when there are more).
SHOWN_REQUESTS = 50


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "mockd_config",
        "Config file(s) the mockd fixtures load, relative to the ini file (a @pytest.mark.mockd marker wins)",
        type="paths",
        default=[],
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "mockd(config=...): the mockd config file(s) this test's server loads (path or list)"
    )


class _Pool:
    """Servers of this session keyed by their config files; a start failure is kept and re-raised, so
    every test of a broken config fails at once with the same errors instead of retrying."""

    def __init__(self) -> None:
        self.servers: dict[tuple[Path, ...], MockdServer] = {}
        self.failures: dict[tuple[Path, ...], str] = {}
        # The config's mocks (by id, without their timestamps) and chaos settings, as the server started.
        self.baselines: dict[tuple[Path, ...], tuple[dict[str, dict[str, Any]], dict[str, Any]]] = {}

    def get(self, configs: tuple[Path, ...], rootdir: Path) -> MockdServer:
        from mockd.testing.server import MockdServer, MockdStartError

        if configs in self.failures:
            pytest.fail(self.failures[configs], pytrace=False)
        server = self.servers.get(configs)
        if server is None:
            missing = [str(c) for c in configs if not c.is_file()]
            if missing:
                self.failures[configs] = f"mockd config not found: {', '.join(missing)}"
                pytest.fail(self.failures[configs], pytrace=False)
            server = MockdServer(configs, cwd=rootdir)
            try:
                server.start()
            except MockdStartError as err:
                names = " ".join(str(c) for c in configs) or "(no config)"
                self.failures[configs] = f"mockd could not start from {names}\n{err}"
            if configs in self.failures:  # failed outside the except block: no chained traceback
                pytest.fail(self.failures[configs], pytrace=False)
            self.servers[configs] = server
            with server.client() as client:
                mocks = {m["id"]: _comparable(m) for m in client.list_mocks().mocks}
                self.baselines[configs] = (mocks, client.chaos())
        code = server.returncode()
        if code is not None:
            pytest.fail(
                f"mockd (pid {server.pid}) exited with code {code} during the session; last lines:\n"
                f"{server.tail()}",
                pytrace=False,
            )
        return server

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()


@pytest.fixture(scope="session")
def _mockd_pool() -> Iterator[_Pool]:
    pool = _Pool()
    yield pool
    pool.stop()


def _configs(request: pytest.FixtureRequest) -> tuple[Path, ...]:
    """The marker's config (relative to the test file's folder, else the rootdir), else the ini option's."""
    marker = request.node.get_closest_marker("mockd")
    if marker is not None and (marker.kwargs.get("config") or marker.args):
        given = marker.kwargs.get("config", marker.args[0] if marker.args else None)
        names = [given] if isinstance(given, str | Path) else list(given)
        here = Path(str(request.node.path)).parent
        root = Path(str(request.config.rootpath))
        found = []
        for name in names:
            path = Path(name)
            if not path.is_absolute():
                path = here / path if (here / path).exists() else root / path
            found.append(path.resolve())
        return tuple(found)
    return tuple(Path(p).resolve() for p in request.config.getini("mockd_config"))


@pytest.fixture
def mockd_service(request: pytest.FixtureRequest, _mockd_pool: _Pool) -> MockdServer:
    configs = _configs(request)
    server = _mockd_pool.get(configs, Path(str(request.config.rootpath)))
    request.node.stash[SERVER] = server
    return server


@pytest.fixture
def mockd(
    request: pytest.FixtureRequest, mockd_service: MockdServer, _mockd_pool: _Pool
) -> Iterator[MockdClient]:
    client = mockd_service.client()
    client.reset()
    yield client
    mocks, chaos = _mockd_pool.baselines[_configs(request)]
    if mockd_service.returncode() is not None:  # died during the test: the next test's set-up says so
        client.close()
        return
    try:
        _restore(client, mocks, chaos)
    finally:
        client.close()


def _comparable(mock: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in mock.items() if k not in ("createdAt", "updatedAt")}


def _restore(client: MockdClient, mocks: dict[str, dict[str, Any]], chaos: dict[str, Any]) -> None:
    """The config's mocks as they were (a test may have created, changed, toggled or deleted some) and the
    chaos settings: the next test must not see what this one did."""
    seen = set()
    for mock in client.list_mocks().mocks:
        seen.add(mock["id"])
        original = mocks.get(mock["id"])
        if original is None:
            client.delete_mock(mock["id"])
        elif _comparable(mock) != original:
            client.update_mock(mock["id"], original)
    for mock_id, original in mocks.items():
        if mock_id not in seen:
            client.create_mock(original)
    if client.chaos() != chaos:
        client.set_chaos(chaos)


@pytest.fixture
def mockd_url(mockd: MockdClient, mockd_service: MockdServer) -> str:
    """Through `mockd`, so a test that only sends requests also starts from a reset server."""
    return mockd_service.url


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    server = item.stash.get(SERVER, None)
    if server is not None and report.when == "call" and report.failed:
        report.sections.append(("mockd requests", _describe_requests(server)))
    return report


def _describe_requests(server: MockdServer) -> str:
    """The request log as a failed test's reader wants it: oldest first, each with its outcome."""
    from mockd.client import MockdError

    if server.returncode() is not None:
        return f"mockd exited with code {server.returncode()}; last lines:\n{server.tail()}"
    try:
        with server.client() as client:
            log = client.requests(limit=SHOWN_REQUESTS)
    except MockdError as err:
        return f"could not read the request log: {err}"
    if not log.requests:
        return "no request reached mockd during this test"
    lines = [f"{log.total} request(s) reached mockd at {server.url}, oldest first:"]
    if log.total > len(log.requests):
        lines[0] += f" (the newest {len(log.requests)} shown)"
    for entry in reversed(log.requests):
        target = entry.path + (f"?{entry.queryString}" if entry.queryString else "")
        outcome = f"mock {entry.matchedMockId}" if entry.matchedMockId else "no mock matched"
        lines.append(f"  {entry.method} {target} -> {entry.statusCode} ({outcome})")
        for miss in entry.nearMisses:
            name = f" ({miss.mockName})" if miss.mockName else ""
            lines.append(f"      near miss {miss.mockId}{name}, {miss.matchPercentage}%: {miss.reason}")
    return "\n".join(lines)
