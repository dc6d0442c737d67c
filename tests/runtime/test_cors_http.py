"""CORS on the mock port (mockd-reference §3.10): the policy's decisions, then the same over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from mockd.runtime.cors import CorsPolicy, CorsProto, add_cors
from tests.harness import MockdProcess, free_port
from tests.harness import request as http

DEFAULT_CORS = [
    ("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD"),
    ("access-control-allow-headers", "Content-Type, Authorization, X-Requested-With, Accept, Origin"),
    ("access-control-max-age", "86400"),
]


def allowed(origin: str, common: list[tuple[str, str]] = DEFAULT_CORS) -> list[tuple[str, str]]:
    return [("access-control-allow-origin", origin), *common]


# --- the policy ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        ("http://localhost:3000", allowed("http://localhost:3000")),  # listed
        ("http://127.0.0.1:5173", allowed("http://127.0.0.1:5173")),
        ("http://localhost:8080", allowed("http://localhost:8080")),  # any localhost port, always
        ("http://127.0.0.1:1", allowed("http://127.0.0.1:1")),
        ("http://localhost", None),  # the prefix includes the colon
        ("https://localhost:3000", None),
        ("http://LOCALHOST:3000", None),  # exact, case-sensitive
        ("https://app.example", None),
        ("null", None),
        ("", None),
        (None, None),
    ],
)
def test_default_policy_allows_localhost_origins(origin: str | None, expected: list | None) -> None:
    assert CorsPolicy.default().headers_for(origin) == expected


@pytest.mark.parametrize(
    ("flag", "origin", "expected_origin"),
    [
        ("https://app.example, https://b.example", "https://b.example", "https://b.example"),  # trimmed
        ("https://app.example", "http://localhost:3000", "http://localhost:3000"),  # localhost still allowed
        ("https://app.example", "https://other.example", None),
        ("*", "https://any.example", "*"),
        ("*", None, "*"),  # with `*`, Go adds the headers even without an Origin
        ("https://a.example,*", "https://z.example", "*"),
    ],
)
def test_cors_origins_flag_replaces_the_list(
    flag: str, origin: str | None, expected_origin: str | None
) -> None:
    headers = CorsPolicy.from_origins_flag(flag).headers_for(origin)
    wildcard_common = [DEFAULT_CORS[0], ("access-control-allow-headers", "*"), DEFAULT_CORS[2]]
    assert headers == (None if expected_origin is None else allowed(expected_origin, wildcard_common))


def test_empty_flag_keeps_the_default_policy() -> None:
    assert CorsPolicy.from_origins_flag("").headers_for("http://localhost:3000") == allowed(
        "http://localhost:3000"
    )
    assert CorsPolicy.from_origins_flag("").headers_for("https://x.example") is None


def test_credentials_echo_the_origin_instead_of_star_and_configured_extras_are_sent() -> None:
    policy = CorsPolicy(allow_origins=["*"], allow_credentials=True, expose_headers=["X-Total", "X-Page"],
                        allow_methods=["GET"], allow_headers=["X-Token"], max_age=60)  # fmt: skip
    expected_common = [
        ("access-control-allow-methods", "GET"),
        ("access-control-allow-headers", "X-Token"),
        ("access-control-expose-headers", "X-Total, X-Page"),
        ("access-control-allow-credentials", "true"),
        ("access-control-max-age", "60"),
    ]
    assert policy.headers_for("https://a.example") == allowed("https://a.example", expected_common)
    assert policy.headers_for(None) is None  # credentials + `*` need an Origin to echo


def test_disabled_policy_allows_nothing() -> None:
    policy = CorsPolicy(enabled=False)
    assert (policy.headers_for("http://localhost:3000"), policy.headers_for(None)) == (None, None)


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        ("http://localhost:3000", (200, allowed("http://localhost:3000"))),
        ("https://evil.example", (403, [])),
        (None, (403, [])),
    ],
)
def test_preflight_answers(origin: str | None, expected: tuple[int, list]) -> None:
    assert CorsPolicy.default().preflight(origin) == expected


def test_answers_are_cached_per_origin_but_bounded() -> None:
    policy = CorsPolicy.default()
    first = policy.headers_for("http://localhost:9000")
    assert policy.headers_for("http://localhost:9000") is first  # one dict lookup on the hot path
    for i in range(3000):  # made-up origins must not grow the cache without bound
        policy.headers_for(f"https://x{i}.example")
    assert len(policy._cache) <= 1024
    assert policy.headers_for("https://x2999.example") is None


def test_add_cors_lets_the_mocks_own_headers_win() -> None:
    cors = allowed("http://localhost:3000")
    assert add_cors([("content-type", "text/plain")], cors) == [("content-type", "text/plain"), *cors]
    own = [("Access-Control-Allow-Origin", "*"), ("x-a", "1")]
    assert add_cors(own, cors) == [*own, *DEFAULT_CORS]


class RecordingProto:
    def __init__(self) -> None:
        self.sent: list[tuple[Any, ...]] = []
        self.client_disconnected = False

    def __call__(self) -> str:
        return "body-awaitable"

    def response_bytes(self, status: int, headers: list, body: bytes) -> None:
        self.sent.append(("bytes", status, headers, body))

    def response_str(self, status: int, headers: list, body: str) -> None:
        self.sent.append(("str", status, headers, body))

    def response_empty(self, status: int, headers: list) -> None:
        self.sent.append(("empty", status, headers))


def test_cors_proto_adds_headers_to_every_kind_of_reply() -> None:
    inner = RecordingProto()
    cors = allowed("http://localhost:3000")
    proto = CorsProto(inner, cors)
    proto.response_bytes(200, [("content-type", "application/json")], b"{}")
    proto.response_str(404, [], "x")
    proto.response_empty(204, [("access-control-max-age", "5")])
    assert inner.sent == [
        ("bytes", 200, [("content-type", "application/json"), *cors], b"{}"),
        ("str", 404, cors, "x"),
        ("empty", 204, [("access-control-max-age", "5"), *cors[:3]]),
    ]
    assert (proto(), proto.client_disconnected) == ("body-awaitable", False)  # the rest passes through


# --- over HTTP -------------------------------------------------------------------------------------------

LOCAL = "http://localhost:3000"
CORS_KEYS = ("access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers",
             "access-control-max-age")  # fmt: skip
EXPECTED = {
    "access-control-allow-origin": LOCAL,
    "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD",
    "access-control-allow-headers": "Content-Type, Authorization, X-Requested-With, Accept, Origin",
    "access-control-max-age": "86400",
}
MOCKS = [
    {"id": "hello", "http": {"matcher": {"method": "GET", "path": "/api/hello"},
                             "response": {"statusCode": 200, "body": '{"hi":1}'}}},
    {"id": "own-options", "http": {"matcher": {"method": "OPTIONS", "path": "/api/own"},
                                   "response": {"statusCode": 204, "headers": {"Allow": "GET"}}}},
    {"id": "own-cors", "http": {"matcher": {"method": "GET", "path": "/api/own-cors"},
                                "response": {"statusCode": 200, "body": "x",
                                             "headers": {"Access-Control-Allow-Origin": "https://mine.example"}}}},
    {"id": "templated", "http": {"matcher": {"method": "GET", "path": "/api/t/{id}"},
                                 "response": {"statusCode": 200, "body": "{{request.pathParam.id}}"}}},
]  # fmt: skip


def cors_of(reply: Any) -> dict[str, str]:
    return {k: v for k, v in reply.headers.items() if k.startswith("access-control-")}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockdProcess]:
    path = tmp_path_factory.mktemp("cors") / "mocks.yaml"
    path.write_text(yaml.safe_dump({"version": "1.0", "mocks": MOCKS}, sort_keys=False))
    proc = MockdProcess(["--config", str(path)], free_port(), free_port(), cwd=Path("/"))
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.mark.parametrize("origin", [LOCAL, "http://127.0.0.1:4290", "http://localhost:8123"])
def test_simple_request_from_an_allowed_origin_gets_cors_headers(server: MockdProcess, origin: str) -> None:
    reply = http(server.url + "/api/hello", headers={"Origin": origin})
    assert (reply.status, reply.body) == (200, b'{"hi":1}')
    assert cors_of(reply) == {**EXPECTED, "access-control-allow-origin": origin}


@pytest.mark.parametrize("headers", [{}, {"Origin": "https://evil.example"}, {"Origin": ""}])
def test_no_cors_headers_without_an_allowed_origin(server: MockdProcess, headers: dict[str, str]) -> None:
    reply = http(server.url + "/api/hello", headers=headers)
    assert (reply.status, reply.body, cors_of(reply)) == (200, b'{"hi":1}', {})


@pytest.mark.parametrize("path", ["/api/hello", "/nowhere", "/__mockd/health"])
def test_preflight_from_an_allowed_origin_is_answered_200(server: MockdProcess, path: str) -> None:
    reply = http(server.url + path, method="OPTIONS",
                 headers={"Origin": LOCAL, "Access-Control-Request-Method": "POST"})  # fmt: skip
    assert (reply.status, reply.body, cors_of(reply)) == (200, b"", EXPECTED)


@pytest.mark.parametrize("headers", [{}, {"Origin": "https://evil.example"}])
def test_preflight_without_an_allowed_origin_is_refused_403(
    server: MockdProcess, headers: dict[str, str]
) -> None:
    reply = http(server.url + "/api/hello", method="OPTIONS", headers=headers)
    assert (reply.status, reply.body, cors_of(reply)) == (403, b"", {})


def test_preflights_are_not_logged(server: MockdProcess) -> None:
    # The Go middleware answers before the handler that writes the request log.
    path = "/api/preflight-only"
    http(server.url + path, method="OPTIONS", headers={"Origin": LOCAL})
    log = http(server.admin + "/requests?path=" + path).json()
    assert (log["count"], log["requests"]) == (0, [])


def test_an_options_mock_wins_over_the_preflight(server: MockdProcess) -> None:
    reply = http(server.url + "/api/own", method="OPTIONS")
    assert (reply.status, reply.headers["allow"]) == (204, "GET")


def test_an_options_mock_reply_also_carries_cors_headers(server: MockdProcess) -> None:
    reply = http(server.url + "/api/own", method="OPTIONS", headers={"Origin": LOCAL})
    assert (reply.status, reply.headers["allow"], cors_of(reply)) == (204, "GET", EXPECTED)


@pytest.mark.parametrize(
    ("path", "status"), [("/api/missing", 404), ("/api/t/5", 200), ("/__mockd/health", 200), ("/health", 200)]
)
def test_every_kind_of_reply_carries_cors_headers(server: MockdProcess, path: str, status: int) -> None:
    reply = http(server.url + path, headers={"Origin": LOCAL})
    assert (reply.status, cors_of(reply)) == (status, EXPECTED)


def test_a_mocks_own_cors_header_replaces_the_middlewares(server: MockdProcess) -> None:
    reply = http(server.url + "/api/own-cors", headers={"Origin": LOCAL})
    assert cors_of(reply) == {**EXPECTED, "access-control-allow-origin": "https://mine.example"}
