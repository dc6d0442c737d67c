"""Passthrough (issue 17): requests no mock matches go to `--upstream`, a real server the test starts."""

from __future__ import annotations

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
  - id: mocked
    http:
      matcher: { method: GET, path: /echo/mocked }
      response: { statusCode: 200, body: "from the mock" }
"""


@pytest.fixture
def upstream() -> Iterator[str]:
    with upstream_server() as url:
        yield url


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "mocks.yaml"
    path.write_text(CONFIG)
    return path


def test_a_matched_request_is_mocked_and_the_rest_goes_upstream(
    mockd_server: Callable[..., MockdProcess], upstream: str, config: Path
) -> None:
    server = mockd_server("--config", str(config), "--upstream", upstream)
    mocked = request(server.url + "/echo/mocked")
    assert (mocked.status, mocked.body) == (200, b"from the mock")
    got = request(server.url + "/echo/users?id=7&x=a%20b", method="POST", body={"name": "Ada"})
    assert got.status == 200
    seen = got.json()
    assert (seen["method"], seen["path"], seen["query"], json.loads(seen["body"])) == (
        "POST", "/echo/users", "id=7&x=a%20b", {"name": "Ada"}
    )  # fmt: skip
    assert seen["headers"]["x-forwarded-for"] == "127.0.0.1"
    assert seen["headers"]["x-forwarded-host"] == f"127.0.0.1:{server.port}"
    assert seen["headers"]["host"] == upstream.removeprefix("http://")
    assert got.headers["x-upstream"] == "yes"
    assert got.headers["set-cookie"] == "session=secret-cookie"  # the live answer is relayed untouched
    assert got.headers["content-length"] == str(len(got.body))
    assert seen["headers"]["x-forwarded-proto"] == "http"
    chained = request(server.url + "/echo/users", headers={"X-Forwarded-For": "10.0.0.1"}).json()
    assert chained["headers"]["x-forwarded-for"] == "10.0.0.1, 127.0.0.1"  # appended, not a second line


def test_the_upstream_cookies_are_never_replayed_to_other_requests(
    mockd_server: Callable[..., MockdProcess], upstream: str
) -> None:
    # By host name: a client cookie jar ignores cookies from IP addresses, which would hide the leak.
    server = mockd_server("--upstream", upstream.replace("127.0.0.1", "localhost"))
    first = request(server.url + "/echo/a")
    assert first.headers["set-cookie"] == "session=secret-cookie"
    again = request(server.url + "/echo/b").json()
    assert "cookie" not in again["headers"]  # the upstream's Set-Cookie was for the first client only


def test_hop_by_hop_headers_are_dropped_both_ways(
    mockd_server: Callable[..., MockdProcess], upstream: str
) -> None:
    server = mockd_server("--upstream", upstream)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request(
        "GET", "/echo", headers={"Connection": "keep-alive, X-Secret-Hop", "X-Secret-Hop": "1",
                                 "Keep-Alive": "timeout=5", "TE": "trailers", "X-End": "kept"},
    )  # fmt: skip
    resp = conn.getresponse()
    seen = json.loads(resp.read())
    conn.close()
    names = set(seen["headers"])
    assert {"x-secret-hop", "keep-alive", "te"} & names == set()
    assert seen["headers"]["x-end"] == "kept"
    assert resp.getheader("x-hop") is None  # named by the upstream's Connection header
    assert resp.getheader("x-upstream") == "yes"


def test_a_long_body_is_streamed_through(mockd_server: Callable[..., MockdProcess], upstream: str) -> None:
    server = mockd_server("--upstream", upstream)
    got = request(server.url + "/stream?n=300")
    expected = b"".join(f"line {i}\n".encode() * 200 for i in range(300))
    assert (got.status, got.body) == (200, expected)
    assert got.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in got.headers


def test_status_and_redirects_are_relayed_not_followed(
    mockd_server: Callable[..., MockdProcess], upstream: str
) -> None:
    server = mockd_server("--upstream", upstream)
    failed = request(server.url + "/status/503?why=down")
    assert (failed.status, failed.json()) == (503, {"status": 503, "query": "why=down"})
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/redirect")
    resp = conn.getresponse()
    resp.read()
    conn.close()
    assert (resp.status, resp.getheader("location")) == (302, "/echo")
    head = request(server.url + "/echo", method="HEAD")
    assert (head.status, head.body) == (200, b"")


def test_a_base_path_on_the_upstream_is_kept(
    mockd_server: Callable[..., MockdProcess], upstream: str
) -> None:
    server = mockd_server("--upstream", upstream + "/echo/base/")
    assert request(server.url + "/items/1").json()["path"] == "/echo/base/items/1"


def test_an_unreachable_upstream_answers_502_naming_it(mockd_server: Callable[..., MockdProcess]) -> None:
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    server = mockd_server("--upstream", dead, "--upstream-connect-timeout", "0.5")
    got = request(server.url + "/anything")
    assert got.status == 502
    assert got.headers["content-type"] == "application/json"
    body = got.json()
    assert sorted(body) == ["error", "message", "upstream"]
    assert (body["error"], body["upstream"]) == ("upstream_unreachable", dead)
    assert body["message"].startswith(f"Upstream {dead} could not be reached: ClientConnectorError: ")
    # the server is still fine, and the miss is logged
    assert request(server.url + "/__mockd/health").status == 200
    log = request(server.admin + "/requests").json()
    assert [(e["path"], e["statusCode"], e.get("matchedMockId")) for e in log["requests"]] == [
        ("/anything", 502, None)
    ]


def test_a_silent_upstream_answers_504(mockd_server: Callable[..., MockdProcess], upstream: str) -> None:
    server = mockd_server("--upstream", upstream, "--upstream-read-timeout", "0.3")
    got = request(server.url + "/hang")
    assert got.status == 504
    body = got.json()
    assert (body["error"], body["upstream"]) == ("upstream_timeout", upstream)
    assert body["message"].startswith(f"Upstream {upstream} did not answer in time: ")


def test_without_upstream_a_miss_is_still_404(mockd_server: Callable[..., MockdProcess]) -> None:
    server = mockd_server()
    assert request(server.url + "/echo").json()["error"] == "no_match"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--upstream", "ftp://x"], "invalid --upstream 'ftp://x': expected an http:// or https:// base URL"),
        (["--upstream", "http://h:99999"], "invalid --upstream 'http://h:99999': the port is not a number"),
        (["--record-dir", "rec"], "--record-dir needs --record"),
    ],
)
def test_bad_flags_are_one_clear_line(args: list[str], message: str) -> None:
    out = run_cli("start", "-p", str(free_port()), "-a", str(free_port()), *args)
    assert out.returncode == 1
    assert message in out.stderr
    assert "Traceback" not in out.stderr
