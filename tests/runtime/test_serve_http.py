"""The mock port over real HTTP: response fidelity, precedence, near misses, health, delays, body files.

Every test starts `mockd start` on free loopback ports (the `mockd_server` fixture) and asserts exact
statuses, headers and bodies. Behaviour that must not depend on the config format runs for JSON and YAML.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import yaml

from tests.harness import request as http
from tests.harness import wait_for_delayed

# One config, written in both formats by the fixture below.
MOCKS = [
    {"id": "hello", "http": {"matcher": {"method": "GET", "path": "/api/hello"},
                             "response": {"statusCode": 200, "body": '{"message":"hi"}'}}},
    {"id": "user-param", "name": "User by id", "http": {
        "matcher": {"method": "GET", "path": "/api/users/{id}"},
        "response": {"statusCode": 200, "body": "param"}}},
    {"id": "user-literal", "http": {
        "matcher": {"method": "GET", "path": "/api/users/1"},
        "response": {"statusCode": 200, "body": "literal"}}},
    {"id": "user-param-header", "http": {
        "matcher": {"method": "GET", "path": "/api/users/{id}", "headers": {"X-Tenant": "acme"}},
        "response": {"statusCode": 200, "body": "param+header"}}},
    {"id": "xml", "http": {"matcher": {"path": "/xml"}, "response": {"statusCode": 200, "body": "<a>1</a>"}}},
    {"id": "text", "http": {"matcher": {"path": "/text"}, "response": {"body": "plain words"}}},
    {"id": "empty", "http": {"matcher": {"path": "/empty"}, "response": {"statusCode": 204}}},
    {"id": "custom-ct", "http": {"matcher": {"path": "/custom"}, "response": {
        "statusCode": 418, "headers": {"Content-Type": "text/csv", "X-One": "1"}, "body": "{\"looks\":\"json\"}"}}},
    {"id": "file", "http": {"matcher": {"path": "/file"}, "response": {"statusCode": 200, "bodyFile": "body.json"}}},
    {"id": "missing-file", "http": {"matcher": {"path": "/missing-file"},
                                    "response": {"statusCode": 200, "bodyFile": "nope.json"}}},
    {"id": "slow", "http": {"matcher": {"path": "/slow"}, "response": {"statusCode": 200, "delayMs": 1000,
                                                                        "body": "late"}}},
    {"id": "off", "enabled": False, "http": {"matcher": {"path": "/off"}, "response": {"statusCode": 200}}},
    {"id": "q", "http": {"matcher": {"method": "GET", "path": "/search", "queryParams": {"q": "a b"}},
                         "response": {"statusCode": 200, "body": "found"}}},
    {"id": "own-health", "http": {"matcher": {"path": "/ready"}, "response": {"statusCode": 200, "body": "mine"}}},
    {"id": "object-body", "http": {"matcher": {"path": "/object"},
                                   "response": {"statusCode": 200, "body": {"b": "<&>", "a": [1, 2]}}}},
    {"id": "jp", "http": {"matcher": {"method": "POST", "path": "/orders",
                                      "bodyJsonPath": {"$.items[*].sku": "A1", "$.note": {"exists": False}}},
                          "response": {"statusCode": 201, "body": "ordered"}}},
]  # fmt: skip


@pytest.fixture(params=["json", "yaml"])
def config_format(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def server(config_format: str, mockd_server, tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "body.json").write_text('{"from": "file"}')
    doc = {"version": "1.0", "mocks": MOCKS}
    path = tmp_path / f"mocks.{config_format}"
    if config_format == "json":
        path.write_text(json.dumps(doc, indent=2))
    else:
        path.write_text(yaml.safe_dump(doc, sort_keys=False))
    # Started from another directory: bodyFile must resolve against the config file's folder.
    return mockd_server("--config", str(path), cwd=Path("/"))


def test_static_json_body_and_inferred_content_type(server) -> None:
    r = http(server.url + "/api/hello")
    assert (r.status, r.headers["content-type"], r.body) == (200, "application/json", b'{"message":"hi"}')


@pytest.mark.parametrize(
    ("path", "status", "content_type", "body"),
    [
        ("/xml", 200, "application/xml", b"<a>1</a>"),
        ("/text", 200, "text/plain", b"plain words"),  # D7: a missing statusCode means 200
        ("/custom", 418, "text/csv", b'{"looks":"json"}'),  # a configured Content-Type is never replaced
    ],
)
def test_response_fidelity(server, path: str, status: int, content_type: str, body: bytes) -> None:
    r = http(server.url + path)
    assert (r.status, r.headers["content-type"], r.body) == (status, content_type, body)


def test_configured_headers_are_sent(server) -> None:
    assert http(server.url + "/custom").headers["x-one"] == "1"


def test_empty_body(server) -> None:
    r = http(server.url + "/empty")
    assert (r.status, r.body) == (204, b"")


# mockd-reference §3.3: the additive score, not "static beats param".
@pytest.mark.parametrize(
    ("path", "headers", "expected"),
    [
        ("/api/users/1", {}, b"literal"),  # 25 beats 22
        ("/api/users/2", {}, b"param"),  # 22
        ("/api/users/1", {"X-Tenant": "acme"}, b"param+header"),  # 32 beats 25
    ],
)
def test_precedence_is_mockds_score(server, path: str, headers: dict, expected: bytes) -> None:
    assert http(server.url + path, headers=headers).body == expected


def test_query_params_are_url_decoded(server) -> None:
    assert http(server.url + "/search?q=a+b&x=1").body == b"found"
    assert http(server.url + "/search?q=a%20b").body == b"found"


def test_body_jsonpath_predicates(server) -> None:
    hit = http(server.url + "/orders", "POST", {"items": [{"sku": "B2"}, {"sku": "A1"}]})
    assert (hit.status, hit.body) == (201, b"ordered")
    assert http(server.url + "/orders", "POST", {"items": [{"sku": "A1"}], "note": "x"}).status == 404
    assert http(server.url + "/orders", "POST", "not json").status == 404


def test_disabled_mock_never_matches(server) -> None:
    r = http(server.url + "/off")
    assert r.status == 404
    assert r.json()["path"] == "/off"


def test_head_falls_back_to_get_without_a_body(server) -> None:
    r = http(server.url + "/api/hello", "HEAD")
    assert (r.status, r.headers["content-type"], r.body) == (200, "application/json", b"")


def test_body_file_resolves_against_the_config_folder_and_is_reread(server, tmp_path: Path) -> None:
    r = http(server.url + "/file")
    assert (r.status, r.headers["content-type"], r.body) == (200, "application/json", b'{"from": "file"}')
    (tmp_path / "body.json").write_text("[1, 2]")
    assert http(server.url + "/file").body == b"[1, 2]"


def test_unreadable_body_file_is_a_502(server, tmp_path: Path) -> None:
    r = http(server.url + "/missing-file")
    assert r.status == 502
    assert r.json() == {
        "error": "body_file_error",
        "message": f"failed to read bodyFile: open {tmp_path / 'nope.json'}: no such file or directory",
    }


def test_no_match_is_a_404_with_near_misses(server) -> None:
    r = http(server.url + "/api/users/7", "DELETE")
    assert r.status == 404
    assert r.headers["content-type"] == "application/json"
    # user-literal scores 0 (neither method nor path match) and is left out: only score > 0 counts.
    assert r.headers["x-mockd-near-misses"] == "2"
    body = r.json()
    assert list(body) == ["error", "message", "method", "nearMisses", "path"]  # Go marshals a map: sorted
    assert (body["error"], body["message"], body["method"], body["path"]) == (
        "no_match", "No mock matched the request", "DELETE", "/api/users/7"
    )  # fmt: skip
    assert body["nearMisses"][0] == {
        "mockId": "user-param",
        "mockName": "User by id",
        "score": 12,
        "maxPossibleScore": 22,
        "matchPercentage": 54,
        "fields": [
            {"field": "method", "matched": False, "score": 0, "maxScore": 10, "expected": "GET",
             "actual": "DELETE"},
            {"field": "path", "matched": True, "score": 12, "maxScore": 12, "expected": "/api/users/{id}",
             "actual": "/api/users/7"},
        ],
        "reason": 'path matched, but method expected "GET", got "DELETE"',
    }  # fmt: skip
    # Equal scores sort by match percentage: 12/22 before 12/32.
    assert [n["mockId"] for n in body["nearMisses"]] == ["user-param", "user-param-header"]


def test_no_match_without_near_misses(server) -> None:
    r = http(server.url + "/nothing/like/it", "PUT")
    assert (r.status, r.headers["x-mockd-near-misses"]) == (404, "0")
    assert (
        r.body
        == b'{"error":"no_match","message":"No mock matched the request","method":"PUT","path":"/nothing/like/it"}'
    )


def test_health_endpoints(server) -> None:
    h = http(server.url + "/__mockd/health")
    assert h.status == 200
    assert list(h.json()) == ["status", "timestamp"]
    assert h.json()["status"] == "healthy"
    assert h.json()["timestamp"].endswith("Z")
    assert h.body.endswith(b"}\n")  # Go's json.Encoder adds a newline
    ready = http(server.url + "/__mockd/ready")
    assert ready.json() == {"checks": {"mocks": {"count": len(MOCKS), "status": "ok"}}, "status": "ready"}
    assert http(server.url + "/health").json()["status"] == "healthy"  # fallback: no mock on /health
    assert http(server.url + "/ready").body == b"mine"  # a user mock wins over the fallback


def test_admin_health_and_ready(server) -> None:
    h = http(server.admin + "/health")
    assert h.status == 200
    assert h.json()["status"] == "ok"
    assert h.headers["x-content-type-options"] == "nosniff"
    assert http(server.admin + "/ready").json()["status"] == "ready"


def test_object_bodies_follow_the_go_tool_per_format(server, config_format: str) -> None:
    """mockd-reference §2.4: JSON configs keep the body's raw text; YAML mappings become compact JSON with
    sorted keys and Go's HTML escapes."""
    r = http(server.url + "/object")
    assert r.headers["content-type"] == "application/json"
    if config_format == "json":
        assert (
            r.body
            == b'{\n            "b": "<&>",\n            "a": [\n              1,\n              2\n            ]\n          }'
        )
    else:
        assert r.body == b'{"a":[1,2],"b":"\\u003c\\u0026\\u003e"}'


def test_delays_are_async_sleeps(server) -> None:
    """A request made after forty 1 s delayed ones is answered while they all still sleep: delays hold no
    worker. (How fast is a benchmark question, for bench/.)"""
    results: list[int] = []
    lock = threading.Lock()

    def call() -> None:
        r = http(server.url + "/slow", timeout=30)
        with lock:
            results.append(r.status)

    threads = [threading.Thread(target=call) for _ in range(40)]
    for t in threads:
        t.start()
    wait_for_delayed(server.admin, 40)  # all forty are on the server, sleeping
    fast = http(server.url + "/api/hello")
    with lock:
        finished_before_fast = len(results)
    for t in threads:
        t.join()
    assert fast.status == 200
    assert finished_before_fast == 0
    assert results == [200] * 40


def test_body_near_misses_are_worded_as_the_go_tool(server) -> None:
    r = http(server.url + "/orders", "POST", {"items": [{"sku": "Z9"}]})
    near = r.json()["nearMisses"][0]
    assert near["mockId"] == "jp"
    assert near["fields"][2] == {
        "field": "bodyJSONPath",
        "matched": False,
        "score": 0,
        "maxScore": 30,
        "expected": {"$.items[*].sku": "A1", "$.note": {"exists": False}},
    }
    assert near["reason"] == "method and path matched, but body JSONPath condition not satisfied"
