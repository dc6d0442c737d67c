"""Per-mock passthrough (issue 17, ours): a mock with `http.passthrough` forwards what it matches to its own
upstream, a real server the test starts; everything else on the port is mocked or 404 as usual."""

from __future__ import annotations

import base64
import http.client
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.harness import MockdProcess, free_port, request, run_cli
from tests.proxy.upstream import upstream_server

CONFIG = """
version: "1.0"
mocks:
  - id: static
    http:
      matcher: {{ method: GET, path: /echo/mocked }}
      response: {{ statusCode: 200, body: "from the mock" }}
  - id: legacy
    http:
      matcher: {{ pathPattern: "^/(echo|stream|status|hang|redirect).*" }}
      passthrough: {{ upstream: "{upstream}"{extra} }}
"""


@pytest.fixture
def upstream() -> Iterator[str]:
    with upstream_server() as url:
        yield url


def _config(tmp_path: Path, upstream: str, extra: str = "") -> Path:
    path = tmp_path / "mocks.yaml"
    path.write_text(CONFIG.format(upstream=upstream, extra=extra))
    return path


def test_the_mock_forwards_what_it_matches_and_logs_under_its_id(
    mockd_server: Callable[..., MockdProcess], upstream: str, tmp_path: Path
) -> None:
    server = mockd_server("--config", str(_config(tmp_path, upstream)))
    assert request(server.url + "/echo/mocked").body == b"from the mock"  # the static mock still wins
    got = request(server.url + "/echo/users?id=7&x=a%20b", method="POST", body={"name": "Ada"})
    assert got.status == 200
    seen = got.json()
    assert (seen["method"], seen["path"], seen["query"], json.loads(seen["body"])) == (
        "POST", "/echo/users", "id=7&x=a%20b", {"name": "Ada"}
    )  # fmt: skip
    assert seen["headers"]["host"] == upstream.removeprefix("http://")
    assert seen["headers"]["x-forwarded-host"] == f"127.0.0.1:{server.port}"
    assert got.headers["x-upstream"] == "yes"
    assert request(server.url + "/other").json()["error"] == "no_match"  # no --upstream: a miss is a 404
    log = request(server.admin + "/requests").json()["requests"]
    assert sorted((e["path"], e["statusCode"], e.get("matchedMockId")) for e in log) == [
        ("/echo/mocked", 200, "static"), ("/echo/users", 200, "legacy"), ("/other", 404, None),
    ]  # fmt: skip
    shown = request(server.admin + "/mocks/legacy").json()
    assert shown["http"]["passthrough"] == {"upstream": upstream}
    assert "response" not in shown["http"]


def test_hop_by_hop_headers_dropped_and_long_bodies_streamed(
    mockd_server: Callable[..., MockdProcess], upstream: str, tmp_path: Path
) -> None:
    server = mockd_server("--config", str(_config(tmp_path, upstream)))
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/echo", headers={"Connection": "keep-alive, X-Secret-Hop", "X-Secret-Hop": "1",
                                          "TE": "trailers", "X-End": "kept"})  # fmt: skip
    resp = conn.getresponse()
    seen = json.loads(resp.read())
    conn.close()
    assert {"x-secret-hop", "te"} & set(seen["headers"]) == set()
    assert seen["headers"]["x-end"] == "kept"
    assert resp.getheader("x-hop") is None  # named by the upstream's Connection header
    got = request(server.url + "/stream?n=300")
    assert got.body == b"".join(f"line {i}\n".encode() * 200 for i in range(300))
    assert got.headers.get("transfer-encoding") == "chunked"  # relayed as it came, never buffered whole
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/redirect")
    redirect = conn.getresponse()
    redirect.read()
    conn.close()
    assert (redirect.status, redirect.getheader("location")) == (302, "/echo")  # relayed, not followed


def test_recorded_with_record_and_no_global_upstream(
    mockd_server: Callable[..., MockdProcess], upstream: str, tmp_path: Path
) -> None:
    server = mockd_server("--config", str(_config(tmp_path, upstream)), "--record", "--redact-field", "token")
    assert request(server.url + "/echo/login", method="POST", body={"token": "s3cret"}).status == 200
    assert request(server.url + "/echo/mocked").status == 200  # answered by a mock: not recorded
    recs = request(server.admin + "/recordings").json()["recordings"]
    assert [(r["request"]["method"], r["request"]["url"], r["response"]["statusCode"]) for r in recs] == [
        ("POST", upstream + "/echo/login", 200)
    ]
    assert json.loads(base64.b64decode(recs[0]["request"]["body"])) == {"token": "[REDACTED]"}
    assert b"s3cret" not in request(server.admin + "/recordings").body


def test_an_unreachable_upstream_is_a_quick_502_naming_it(
    mockd_server: Callable[..., MockdProcess], tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    server = mockd_server("--config", str(_config(tmp_path, dead, ", connectTimeoutMs: 500")))
    got = request(server.url + "/echo")
    assert got.status == 502
    body = got.json()
    assert (body["error"], body["upstream"]) == ("upstream_unreachable", dead)
    assert body["message"].startswith(f"Upstream {dead} could not be reached: ")
    assert request(server.url + "/echo/mocked").status == 200  # the server is fine


def test_the_mock_own_read_timeout(
    mockd_server: Callable[..., MockdProcess], upstream: str, tmp_path: Path
) -> None:
    server = mockd_server("--config", str(_config(tmp_path, upstream, ", readTimeoutMs: 300")))
    got = request(server.url + "/hang")
    assert (got.status, got.json()["error"]) == (504, "upstream_timeout")


def test_created_over_the_admin_api(mockd_server: Callable[..., MockdProcess], upstream: str) -> None:
    server = mockd_server()
    mock = {"id": "fwd", "type": "http", "http": {"matcher": {"path": "/status/418"},
                                                  "passthrough": {"upstream": upstream + "/"}}}  # fmt: skip
    created = request(server.admin + "/mocks", method="POST", body=mock)
    assert created.status == 201, created.body
    got = request(server.url + "/status/418")
    assert (got.status, got.json()) == (418, {"status": 418, "query": ""})
    bad = request(server.admin + "/mocks", method="POST",
                  body={"id": "x", "type": "http", "http": {"matcher": {"path": "/x"},
                                                            "passthrough": {"upstream": "ftp://h"}}})  # fmt: skip
    assert bad.status == 400
    assert "invalid upstream 'ftp://h': expected an http:// or https:// base URL" in bad.json()["message"]


@pytest.mark.parametrize(
    ("http", "field", "message"),
    [
        ({"passthrough": {}}, "mocks[0].http.passthrough.upstream",
         "passthrough.upstream is required (an http:// or https:// base URL)"),
        ({"passthrough": {"upstream": "localhost:80"}}, "mocks[0].http.passthrough.upstream",
         "invalid upstream 'localhost:80': expected an http:// or https:// base URL with a host"),
        ({"passthrough": {"upstream": "http://h/?q=1"}}, "mocks[0].http.passthrough.upstream",
         "a base URL has no query or fragment"),
        ({"passthrough": {"upstream": "http://h", "readTimeoutMs": 0}}, "mocks[0].http.passthrough.readTimeoutMs",
         "readTimeoutMs must be between 1 and 3600000 (one hour)"),
        ({"passthrough": {"upstream": "http://h"}, "response": {"body": "x"}}, "mocks[0].http.passthrough",
         "passthrough cannot be combined with response, sse, chunked, statefulOperation, or statefulBinding"),
    ],
)  # fmt: skip
def test_bad_passthrough_config_is_a_clear_error(
    tmp_path: Path, http: dict, field: str, message: str
) -> None:
    spec = {"matcher": {"path": "/x"}, **http}
    path = tmp_path / "mocks.json"
    path.write_text(json.dumps({"version": "1.0", "mocks": [{"id": "m", "type": "http", "http": spec}]}))
    out = run_cli("validate", str(path))
    assert out.returncode == 1
    assert message in out.stdout + out.stderr
    assert field in out.stdout + out.stderr
    assert "Traceback" not in out.stderr


def test_a_compiled_plan_keeps_the_passthrough(
    mockd_server: Callable[..., MockdProcess], upstream: str, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.json"
    compiled = run_cli("compile", str(_config(tmp_path, upstream, ", readTimeoutMs: 5000")), "-o", str(plan))
    assert compiled.returncode == 0, compiled.stderr
    server = mockd_server("--plan", str(plan))
    assert request(server.url + "/echo/planned").json()["path"] == "/echo/planned"
    assert request(server.admin + "/mocks/legacy").json()["http"]["passthrough"] == {
        "upstream": upstream, "readTimeoutMs": 5000
    }  # fmt: skip
