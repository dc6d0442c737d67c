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
    assert samples['mockd_requests_total{method="GET",path="/on",status="200"}'] == "3"
    assert samples['mockd_requests_total{method="GET",path="/nothing",status="404"}'] == "1"
    assert samples['mockd_mocks_total{type="http"}'] == "2"
    assert samples['mockd_mocks_enabled{type="http"}'] == "1"
    assert samples[f'mockd_port_info{{port="{server.port}",protocol="HTTP",component="Mock Engine"}}'] == "1"
    assert "# TYPE mockd_match_hits_total counter" in r.body.decode().splitlines()


def lines_of(text: str, prefix: str) -> list[str]:
    """The exposition lines of one family (or one sample name), in the order served."""
    return [line for line in text.splitlines() if line.startswith(prefix)]


def test_request_series_use_go_path_normalisation_and_a_duration_histogram(server) -> None:
    # issue 14: the Go tool's families and labels; ids in paths fold into one series ({id}, {uuid})
    for path in ("/users/12345", "/users/67890", "/users/5f2b8c1e9a0d4e6f7a8b9c0d",
                 "/users/0b5e3c2a-1d4f-4e6a-9b8c-7d6e5f4a3b2c", "/users/42"):  # fmt: skip
        request(server.url + path)
    text = request(server.admin + "/metrics").body.decode()
    series = lines_of(text, "mockd_requests_total{")
    assert series == [
        'mockd_requests_total{method="GET",path="/users/42",status="404"} 1',
        'mockd_requests_total{method="GET",path="/users/{id}",status="404"} 3',
        'mockd_requests_total{method="GET",path="/users/{uuid}",status="404"} 1',
    ]
    on = [line for line in text.splitlines() if 'path="/users/{id}"' in line and "duration" in line]
    buckets = [line.split(" ")[1] for line in on if "_bucket" in line]
    assert len(buckets) == 13
    assert buckets[-1] == "3"  # +Inf is the count
    assert [int(b) for b in buckets] == sorted(int(b) for b in buckets)  # cumulative
    assert on[-1] == 'mockd_request_duration_seconds_count{method="GET",path="/users/{id}"} 3'
    assert on[0].startswith(
        'mockd_request_duration_seconds_bucket{method="GET",path="/users/{id}",le="0.001"} '
    )
    assert "# TYPE mockd_request_duration_seconds histogram" in text.splitlines()


STATIC_AND_NOT = """\
version: "1.0"
mocks:
  - id: user
    http: { matcher: { method: GET, path: "/users/{id}" }, response: { statusCode: 200, body: "u" } }
  - id: slow
    http: { matcher: { path: /slow }, response: { statusCode: 202, delayMs: 5 } }
  - id: tpl
    http:
      matcher: { method: GET, path: "/tpl/{id}" }
      response: { statusCode: 200, body: "{{request.pathParam.id}}" }
"""


def test_static_hits_counted_by_the_matcher_share_series_with_the_rest(mockd_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """issue 20: a static hit is counted inside the match (Rust), every other request by the journal; both
    land in the same series with the same labels, HEAD and trailing-slash requests included."""
    (tmp_path / "m.yaml").write_text(STATIC_AND_NOT)
    server = mockd_server("--config", str(tmp_path / "m.yaml"))
    for path in ("/users/123", "/users/456", "/users/789/", "/users/12", "/tpl/1001", "/slow", "/slow"):
        assert request(server.url + path).status in (200, 202)
    assert request(server.url + "/users/123", method="HEAD").status == 200
    text = request(server.admin + "/metrics").body.decode()
    series = lines_of(text, "mockd_requests_total{")
    assert series == [
        'mockd_requests_total{method="GET",path="/slow",status="202"} 2',
        'mockd_requests_total{method="GET",path="/tpl/{id}",status="200"} 1',
        'mockd_requests_total{method="GET",path="/users/12",status="200"} 1',
        'mockd_requests_total{method="GET",path="/users/{id}",status="200"} 2',
        'mockd_requests_total{method="GET",path="/users/{id}/",status="200"} 1',
        'mockd_requests_total{method="HEAD",path="/users/{id}",status="200"} 1',
    ]
    counts = lines_of(text, "mockd_request_duration_seconds_count")
    assert counts == [
        'mockd_request_duration_seconds_count{method="GET",path="/slow"} 2',
        'mockd_request_duration_seconds_count{method="GET",path="/tpl/{id}"} 1',
        'mockd_request_duration_seconds_count{method="GET",path="/users/12"} 1',
        'mockd_request_duration_seconds_count{method="GET",path="/users/{id}"} 2',
        'mockd_request_duration_seconds_count{method="GET",path="/users/{id}/"} 1',
        'mockd_request_duration_seconds_count{method="HEAD",path="/users/{id}"} 1',
    ]
    first = 'mockd_request_duration_seconds_bucket{method="GET",path="/%s",le="0.001"} %d'
    lines = text.splitlines()
    assert first % ("users/{id}", 2) in lines  # a static hit takes 0 ms
    assert first % ("slow", 0) in lines  # a 5 ms delay does not
    # A second scrape adds nothing: the matcher's counts were taken into the series once.
    assert lines_of(request(server.admin + "/metrics").body.decode(), "mockd_requests_total{") == series


def test_a_family_without_samples_is_left_out(server) -> None:
    text = request(server.admin + "/metrics").body.decode()
    assert "mockd_requests_total" not in text  # no request yet, as the Go tool omits empty families
    assert "mockd_chaos_faults_total" not in text
    assert "# TYPE mockd_uptime_seconds gauge" in text.splitlines()
