"""Cross-cutting admin behaviour (mockd-reference §5.0): security headers, CORS, auth, rate limit, body cap,
Go's 404/405 texts.

Non-loopback callers are real ones where the machine has a non-loopback address: the server is bound to that
address and called through it, so the server sees a non-loopback peer. Without such an address those tests
are skipped; browser-like requests from loopback (Origin / Sec-Fetch headers) are covered either way.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator

import pytest
import requests

from mockd.runtime.admin.security import AuthPolicy
from tests.admin.helpers import answer, error, http_mock
from tests.harness import MockdProcess, free_port

SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "x-xss-protection": "1; mode=block",
    "referrer-policy": "strict-origin-when-cross-origin",
    "content-security-policy": "default-src 'self'",
    "cache-control": "no-store",
    "vary": "Origin",
}
LOCAL_ORIGIN = "http://localhost:5173"
CORS = {
    "access-control-allow-origin": LOCAL_ORIGIN,
    "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
    "access-control-allow-headers": "Content-Type, Authorization, X-API-Key",
    "access-control-max-age": "86400",
}
MISSING_KEY = error(
    401, "missing_api_key", "API key required. Provide via X-API-Key header or Authorization: Bearer <key>."
)
INVALID_KEY = error(401, "invalid_api_key", "Invalid API key")
KEY = "mk_" + "ab" * 32


def headers_of(r: requests.Response, names: Callable[[str], bool]) -> dict[str, str]:
    return {k.lower(): v for k, v in r.headers.items() if names(k.lower())}


def security_of(r: requests.Response) -> dict[str, str]:
    return headers_of(r, lambda k: k in SECURITY)


def cors_of(r: requests.Response) -> dict[str, str]:
    return headers_of(r, lambda k: k.startswith("access-control-"))


# --- loopback ---------------------------------------------------------------------------------------------


def test_security_headers_on_every_kind_of_reply(server: MockdProcess) -> None:
    replies = [
        requests.get(server.admin + "/mocks"),  # 200
        requests.get(server.admin + "/mocks/nope"),  # JSON 404
        requests.get(server.admin + "/no/such/route"),  # Go's text 404
        requests.post(server.admin + "/mocks", data=b"{"),  # 400
        requests.delete(server.admin + "/mocks"),  # 204
    ]
    assert [security_of(r) for r in replies] == [SECURITY] * len(replies)


def test_go_mux_404_and_405(server: MockdProcess) -> None:
    r = requests.get(server.admin + "/nothing-here")
    assert (r.status_code, r.headers["content-type"], r.content) == (
        404, "text/plain; charset=utf-8", b"404 page not found\n",
    )  # fmt: skip
    r = requests.put(server.admin + "/verify")
    assert (r.status_code, r.content, r.headers["allow"]) == (405, b"Method Not Allowed\n", "DELETE")
    r = requests.post(server.admin + "/requests")
    assert (r.status_code, r.headers["allow"]) == (405, "DELETE, GET, HEAD")
    assert requests.get(server.admin + "/mocks/").status_code == 404  # no trailing-slash redirect


def test_loopback_callers_need_no_key(server: MockdProcess) -> None:
    # curl, requests and Node's fetch (Sec-Fetch-Mode but no Origin or Sec-Fetch-Site) on the same machine
    for headers in ({}, {"Sec-Fetch-Mode": "cors"}, {"Origin": LOCAL_ORIGIN, "Sec-Fetch-Site": "same-site"}):
        assert (
            requests.post(server.admin + "/mocks", json=http_mock("/k"), headers=headers).status_code == 201
        )
        requests.delete(server.admin + "/mocks")


@pytest.mark.parametrize(
    ("method", "headers"),
    [
        ("GET", {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}),  # a web page elsewhere
        ("GET", {"Origin": "https://evil.example"}),
        ("POST", {"Host": "evil.example:4290"}),  # DNS rebinding: a non-loopback Host on an unsafe method
    ],
)
def test_untrusted_requests_from_loopback_need_a_key(
    server: MockdProcess, method: str, headers: dict
) -> None:
    r = requests.request(method, server.admin + "/mocks", json=http_mock("/x"), headers=headers)
    assert answer(r) == MISSING_KEY
    assert requests.get(server.admin + "/mocks").json()["total"] == 0


@pytest.mark.parametrize("method", ["GET", "HEAD", "DELETE"])
@pytest.mark.parametrize("path", ["/config", "/requests", "/mocks"])
def test_keyless_loopback_requests_must_name_a_loopback_host(
    server: MockdProcess, method: str, path: str
) -> None:
    # issue 12: a page reached through DNS rebinding in an older browser sends `Host: evil.example` and no
    # Origin or Sec-Fetch-* headers on a GET; it must not read the config or the request log keylessly.
    r = requests.request(method, server.admin + path, headers={"Host": "evil.example:4290"})
    assert r.status_code == 401
    if method != "HEAD":
        assert answer(r) == MISSING_KEY


@pytest.mark.parametrize(
    "host", [None, "localhost", "localhost:4290", "127.0.0.1:4290", "127.0.0.5", "[::1]:4290", "LOCALHOST:1"]
)
def test_loopback_hosts_need_no_key(server: MockdProcess, host: str | None) -> None:
    # the guide's clients (Node fetch, requests, Go net/http, curl) send Host: localhost:PORT or 127.0.0.1:PORT
    headers = {"Host": host} if host else {}
    assert requests.get(server.admin + "/config", headers=headers).status_code == 200


def test_absent_host_is_accepted_from_loopback(server: MockdProcess) -> None:
    # an HTTP/1.0 request may carry no Host; no browser sends one without it (docs/security.md)
    with socket.create_connection(("127.0.0.1", server.admin_port), timeout=10) as s:
        s.sendall(b"GET /mocks HTTP/1.0\r\n\r\n")
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    assert reply.split(b"\r\n", 1)[0] == b"HTTP/1.0 200 OK"


@pytest.mark.parametrize(
    ("path", "exempt"),
    [("/health", True), ("/health/x", True), ("/metrics", True), ("/healthz", False), ("/mocks/app.js", False),
     ("/mocks/x.css", False), ("/index.html", False), ("/", False), ("/favicon.ico", False),
     ("/requests/a.woff2", False)],
)  # fmt: skip
def test_only_health_and_metrics_are_exempt_from_auth(path: str, exempt: bool) -> None:
    # issue 12: the exemption was by suffix (.js, .css, ...), so `DELETE /mocks/app.js` needed no key
    policy = AuthPolicy(enabled=True, key=KEY)
    remote_headers = {"host": "evil.example", "origin": "https://evil.example"}
    denied = policy.check(path, remote_headers, "192.0.2.9:40000")
    assert (denied is None) == exempt
    if denied is not None:
        assert (denied.status, json.loads(denied.body)) == MISSING_KEY


def test_no_auth_lets_untrusted_requests_in(mockd_server) -> None:  # type: ignore[no-untyped-def]
    server = mockd_server("--no-auth")
    headers = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    r = requests.post(server.admin + "/mocks", json=http_mock("/open"), headers=headers)
    assert (r.status_code, cors_of(r)) == (201, {})  # allowed in, but still no CORS grant for that origin


def test_cors_echoes_loopback_origins_only(server: MockdProcess) -> None:
    r = requests.get(server.admin + "/mocks", headers={"Origin": LOCAL_ORIGIN})
    assert (r.status_code, cors_of(r), r.headers["vary"]) == (200, CORS, "Origin")
    for origin in ("http://127.0.0.1:1", "https://[::1]:8443"):
        r = requests.get(server.admin + "/mocks", headers={"Origin": origin})
        assert cors_of(r)["access-control-allow-origin"] == origin
    r = requests.get(server.admin + "/health", headers={"Origin": "https://evil.example"})
    assert (r.status_code, cors_of(r), r.headers["vary"]) == (200, {}, "Origin")


@pytest.mark.parametrize(
    ("headers", "status", "cors"),
    [({"Origin": LOCAL_ORIGIN}, 200, CORS), ({}, 403, {}), ({"Origin": "https://evil.example"}, 403, {}),
     ({"Origin": "null"}, 403, {})],
)  # fmt: skip
def test_preflight(server: MockdProcess, headers: dict, status: int, cors: dict) -> None:
    r = requests.options(server.admin + "/mocks", headers=headers)
    assert (r.status_code, r.content, cors_of(r)) == (status, b"", cors)


def test_body_over_10_mib_is_413(server: MockdProcess) -> None:
    big = b"x" * (10 * 1024 * 1024 + 1)
    expected = error(413, "body_too_large", "Request body too large")
    assert answer(requests.post(server.admin + "/mocks", data=big)) == expected
    # without a Content-Length (chunked upload) the cap is enforced while reading
    assert (
        answer(requests.post(server.admin + "/mocks/bulk", data=iter([big[:6_000_000], big[6_000_000:]])))
        == expected
    )
    assert requests.get(server.admin + "/mocks").json()["total"] == 0


def test_rate_limit_never_applies_to_loopback(mockd_server) -> None:  # type: ignore[no-untyped-def]
    server = mockd_server("--admin-rate-limit", "1")
    with requests.Session() as s:
        replies = [s.get(server.admin + "/mocks") for _ in range(30)]
    assert {r.status_code for r in replies} == {200}
    assert not any(k.lower().startswith("x-ratelimit") for k in replies[-1].headers)


# --- non-loopback callers ----------------------------------------------------------------------------------


def non_loopback_address() -> str | None:
    """A local address that is not loopback (the one the default route would use), if there is one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET: no packet is sent for a UDP connect
            address = s.getsockname()[0]
        except OSError:
            return None
    if address.startswith("127.") or address == "0.0.0.0":
        return None
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((address, 0))
    except OSError:
        return None
    return address


REMOTE = non_loopback_address()
needs_remote = pytest.mark.skipif(REMOTE is None, reason="no non-loopback local address to call through")


class RemoteProcess(MockdProcess):
    """A server bound to a non-loopback local address and called through it."""

    @property
    def url(self) -> str:
        return f"http://{REMOTE}:{self.port}"

    @property
    def admin(self) -> str:
        return f"http://{REMOTE}:{self.admin_port}"

    def wait_ready(self, timeout: float = 15.0) -> None:
        super().wait_ready(timeout)  # /health is exempt from auth, so this works without a key


@pytest.fixture
def remote() -> Iterator[Callable[..., RemoteProcess]]:
    started: list[RemoteProcess] = []

    def start(*args: str, env: dict[str, str] | None = None) -> RemoteProcess:
        proc = RemoteProcess(["--host", str(REMOTE), *args], free_port(), free_port(), env=env)
        started.append(proc)
        return proc.start()  # type: ignore[return-value]

    yield start
    for proc in started:
        proc.stop()


@needs_remote
def test_remote_callers_need_the_key(remote) -> None:  # type: ignore[no-untyped-def]
    server = remote("--api-key", KEY)
    url = server.admin + "/mocks"
    assert answer(requests.get(url)) == MISSING_KEY
    assert answer(requests.get(url + "?api_key=" + KEY)) == MISSING_KEY  # not supported (reference §10.13)
    assert answer(requests.get(url, headers={"X-API-Key": "mk_wrong"})) == INVALID_KEY
    assert answer(requests.get(url, headers={"Authorization": "Bearer mk_wrong"})) == INVALID_KEY
    assert answer(requests.get(url, headers={"Authorization": "Basic " + KEY})) == MISSING_KEY
    assert requests.get(url, headers={"X-API-Key": KEY}).status_code == 200
    assert requests.get(url, headers={"Authorization": "Bearer " + KEY}).status_code == 200
    r = requests.post(url, json=http_mock("/r"), headers={"X-API-Key": KEY})
    assert r.status_code == 201
    assert requests.get(server.url + "/r").status_code == 200  # the mock port never asks for a key
    # exempt: /health (and below it); /ready is not exempt (reference §10.13)
    assert requests.get(server.admin + "/health").status_code == 200
    assert answer(requests.get(server.admin + "/ready")) == MISSING_KEY
    # preflights are answered before auth
    assert requests.options(url, headers={"Origin": LOCAL_ORIGIN}).status_code == 200


@needs_remote
def test_a_mock_named_like_a_static_file_needs_the_key(remote) -> None:  # type: ignore[no-untyped-def]
    # issue 12: `DELETE /mocks/app.js` from a remote caller with no key answered 204 (suffix exemption)
    server = remote("--api-key", KEY)
    for mock_id in ("app.js", "hello"):
        r = requests.post(server.admin + "/mocks", json=http_mock("/" + mock_id, id=mock_id),
                          headers={"X-API-Key": KEY})  # fmt: skip
        assert r.status_code == 201
    evil = {"Host": "evil.com", "Origin": "https://evil.com"}
    for mock_id in ("app.js", "hello"):
        assert answer(requests.delete(server.admin + "/mocks/" + mock_id, headers=evil)) == MISSING_KEY
        assert answer(requests.get(server.admin + "/mocks/" + mock_id)) == MISSING_KEY
    listed = requests.get(server.admin + "/mocks", headers={"X-API-Key": KEY}).json()
    assert sorted(m["id"] for m in listed["mocks"]) == ["app.js", "hello"]
    assert requests.get(server.admin + "/metrics").status_code != 401


@needs_remote
def test_key_from_the_environment(remote) -> None:  # type: ignore[no-untyped-def]
    server = remote(env={"MOCKD_API_KEY": KEY})
    assert answer(requests.get(server.admin + "/mocks")) == MISSING_KEY
    assert requests.get(server.admin + "/mocks", headers={"X-API-Key": KEY}).status_code == 200


@needs_remote
def test_no_auth_lets_everyone_in(remote) -> None:  # type: ignore[no-untyped-def]
    server = remote("--no-auth")
    assert requests.post(server.admin + "/mocks", json=http_mock("/open")).status_code == 201
    assert requests.get(server.admin + "/mocks/").status_code == 404


@needs_remote
def test_rate_limit_for_remote_callers(remote) -> None:  # type: ignore[no-untyped-def]
    # 1 req/s, burst 2: three quick calls see the third refused even on a loaded machine (at 5 req/s a
    # token refilled while eleven calls were made, under CI load)
    server = remote("--no-auth", "--admin-rate-limit", "1")
    time.sleep(2.5)  # the readiness polls took tokens (/health is limited too, as in Go): let them refill
    with requests.Session() as s:
        replies = [s.get(server.admin + "/mocks") for _ in range(3)]
    assert [r.status_code for r in replies] == [200, 200, 429]
    first, refused = replies[0], replies[-1]
    assert (first.headers["x-ratelimit-limit"], first.headers["x-ratelimit-remaining"]) == ("2", "1")
    assert (refused.content, refused.headers["content-type"], refused.headers["retry-after"]) == (
        b"Too Many Requests\n", "text/plain; charset=utf-8", "1",
    )  # fmt: skip
    assert (refused.headers["x-ratelimit-remaining"], refused.headers["x-frame-options"]) == ("0", "DENY")
