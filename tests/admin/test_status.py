"""`GET /status`, `GET /ports` and `GET /metrics` (reference §5.1) over real HTTP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mockd import __version__
from tests.harness import request

CONFIG = """\
version: "1.0"
mocks:
  - id: on
    http: { matcher: { path: /on }, response: { statusCode: 200 } }
  - id: off
    enabled: false
    http: { matcher: { path: /off }, response: { statusCode: 200 } }
"""


@pytest.fixture
def server(mockd_server, tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "m.yaml").write_text(CONFIG)
    return mockd_server("--config", str(tmp_path / "m.yaml"))


def test_status_has_the_go_shape(server) -> None:
    request(server.url + "/on")
    r = request(server.admin + "/status")
    assert (r.status, r.headers["content-type"]) == (200, "application/json")
    body = r.json()
    assert list(body) == [
        "status", "httpPort", "adminPort", "uptime", "mockCount", "activeMocks", "requestCount", "version",
        "protocols", "startedAt",
    ]  # fmt: skip
    assert {k: body[k] for k in ("status", "httpPort", "adminPort", "mockCount", "activeMocks", "requestCount",
                                  "version", "protocols")} == {
        "status": "running",
        "httpPort": server.port,
        "adminPort": server.admin_port,
        "mockCount": 2,
        "activeMocks": 1,
        "requestCount": 1,
        "version": __version__,
        "protocols": {"http": {"enabled": True, "port": server.port, "status": "running"}},
    }  # fmt: skip
    assert isinstance(body["uptime"], int)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", body["startedAt"])


def test_ports_lists_admin_then_engine(server) -> None:
    assert request(server.admin + "/ports").json() == {
        "ports": [
            {"port": server.admin_port, "protocol": "HTTP", "component": "Admin API", "status": "running"},
            {"port": server.port, "protocol": "HTTP", "component": "Mock Engine", "status": "running"},
        ]
    }


def test_metrics_are_prometheus_text_and_exact(server) -> None:
    for _ in range(3):
        request(server.url + "/on")
    request(server.url + "/nothing")
    r = request(server.admin + "/metrics")
    assert (r.status, r.headers["content-type"]) == (200, "text/plain; version=0.0.4; charset=utf-8")
    samples = dict(
        line.rsplit(" ", 1) for line in r.body.decode().splitlines() if line and not line.startswith("#")
    )
    assert samples['mockd_match_hits_total{mock_id="on"}'] == "3"
    assert samples['mockd_match_hits_total{mock_id="off"}'] == "0"
    assert samples["mockd_match_misses_total"] == "1"
    assert samples["mockd_delayed_responses_in_flight"] == "0"
    assert samples["mockd_requests_total"] == "4"
    assert samples['mockd_mocks_total{type="http"}'] == "2"
    assert samples['mockd_mocks_enabled{type="http"}'] == "1"
    assert samples[f'mockd_port_info{{port="{server.port}",protocol="HTTP",component="Mock Engine"}}'] == "1"
    assert "# TYPE mockd_match_hits_total counter" in r.body.decode().splitlines()
