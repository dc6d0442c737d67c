"""Every validation message of mockd-reference §2.5, exactly as the Go tool words it.

The admin table goes through `compile_mock` (Go: `validation error on <field>: <message>`, first error only);
the file table checks the same rules come out positioned, all at once.
"""

from __future__ import annotations

import json

import pytest

from mockd.compiler import MockValidationError, compile_mock

from .helpers import problems


def http(matcher=None, response=None, **spec):
    out = {"type": "http", "http": {**spec}}
    if matcher is not None:
        out["http"]["matcher"] = matcher
    if response is not None:
        out["http"]["response"] = response
    return out


OK_MATCHER = {"path": "/x"}
OK_RESPONSE = {"statusCode": 200}

CASES = [
    # (mock, Go message)
    ({"type": "carrier-pigeon"}, "validation error on type: unknown mock type: carrier-pigeon"),
    ({"type": "http"}, "validation error on http: http spec is required for HTTP mocks"),
    (http(response=OK_RESPONSE), "validation error on http.matcher: matcher is required"),
    (http({}, OK_RESPONSE), "validation error on matcher: at least one matching criterion must be specified"),
    (http({"mtls": {"cn": "x"}}, OK_RESPONSE),
     "validation error on matcher: at least one matching criterion must be specified"),
    (http({"method": "FETCH"}, OK_RESPONSE),
     "validation error on matcher.method: invalid HTTP method: FETCH"),
    (http({"path": "x"}, OK_RESPONSE), "validation error on matcher.path: path must start with /"),
    (http({"path": "/x", "pathPattern": "^/x$"}, OK_RESPONSE),
     "validation error on matcher: cannot specify both path and pathPattern"),
    (http({"headers": {"Bad Header": "v"}}, OK_RESPONSE),
     "validation error on matcher.headers: invalid header name: Bad Header"),
    (http({"bodyEquals": "a", "bodyContains": "b"}, OK_RESPONSE),
     "validation error on matcher: cannot specify both bodyEquals and bodyContains"),
    (http({"path": "/x", "mtls": {"cn": "a", "cnPattern": "b"}}, OK_RESPONSE),
     "validation error on matcher.mtls: cannot specify both cn and cnPattern"),
    (http({"path": "/x", "mtls": {"fingerprint": "abc"}}, OK_RESPONSE),
     "validation error on matcher.mtls.fingerprint: fingerprint must be 64 hex characters (SHA256)"),
    (http({"path": "/x", "mtls": {"fingerprint": "sha256:" + "g" * 64}}, OK_RESPONSE),
     "validation error on matcher.mtls.fingerprint: fingerprint must contain only hex characters"),
    (http(OK_MATCHER), "validation error on http.response: one of response, sse, chunked, statefulOperation, "
     "or statefulBinding is required"),
    (http(OK_MATCHER, OK_RESPONSE, statefulOperation="Op"), "validation error on http.response: only one of "
     "response, sse, chunked, statefulOperation, or statefulBinding may be specified"),
    (http(OK_MATCHER, {"statusCode": 0}),
     "validation error on response.statusCode: statusCode must be between 100-599, got 0"),
    (http(OK_MATCHER, {"statusCode": 600}),
     "validation error on response.statusCode: statusCode must be between 100-599, got 600"),
    (http(OK_MATCHER, {"statusCode": 200, "body": "x", "bodyFile": "f.json"}),
     "validation error on response: cannot specify both body and bodyFile"),
    (http(OK_MATCHER, {"statusCode": 200, "bodyFile": "../etc/passwd"}),
     "validation error on response.bodyFile: path cannot contain '..'"),
    (http(OK_MATCHER, {"statusCode": 200, "bodyFile": "data..json"}),  # Go rejects ".." anywhere
     "validation error on response.bodyFile: path cannot contain '..'"),
    (http(OK_MATCHER, {"statusCode": 200, "delayMs": -1}),
     "validation error on response.delayMs: delayMs must be >= 0"),
    (http(OK_MATCHER, {"statusCode": 200, "delayMs": 30001}),
     "validation error on response.delayMs: delayMs must be <= 30000 (30 seconds)"),
    (http(OK_MATCHER, {"statusCode": 200, "headers": {"X:Y": "v"}}),
     "validation error on response.headers: invalid header name: X:Y"),
    (http(OK_MATCHER, OK_RESPONSE, priority=-1), "validation error on http.priority: priority must be >= 0"),
    # Go order: matcher problems before response problems
    (http({"path": "x"}, {"statusCode": 0}), "validation error on matcher.path: path must start with /"),
    # other protocols keep Go's checks although mockd does not serve them yet (reference §9)
    ({"type": "websocket"}, "validation error on websocket: websocket spec is required for WebSocket mocks"),
    ({"type": "websocket", "websocket": {"path": "ws"}},
     "validation error on websocket.path: path must start with /"),
    ({"type": "graphql", "graphql": {"path": "/g"}},
     "validation error on graphql: one of schema or schemaFile is required"),
    ({"type": "grpc", "grpc": {"port": 0}},
     "validation error on grpc.port: port must be between 1 and 65535"),
    ({"type": "soap", "soap": {"path": "/s", "operations": {"Op": {}}}},
     "validation error on soap.operations[Op]: "
     "operation must have either response, fault, or statefulBinding"),
    ({"type": "mqtt", "mqtt": {"port": 1883, "topics": [{"topic": "t", "qos": 3}]}},
     "validation error on mqtt.topics[0].qos: qos must be 0, 1, or 2"),
    ({"type": "oauth", "oauth": {"issuer": "http://x"}},
     "validation error on oauth.clients: at least one client must be configured"),
    (http(OK_MATCHER, sse={}), "validation error on sse: one of events, generator, or template is required"),
    (http(OK_MATCHER, chunked={"data": "a", "dataFile": "b"}),
     "validation error on chunked: data, dataFile, and ndjsonItems are mutually exclusive"),
]  # fmt: skip


@pytest.mark.parametrize(("mock", "message"), CASES)
def test_admin_validation_uses_go_messages(mock, message):
    # mockd-reference §2.5 / §7: 400 {"error": "validation_error", "message": <this>}
    with pytest.raises(MockValidationError) as info:
        compile_mock(json.dumps(mock).encode(), id_style="admin")
    assert (info.value.slug, info.value.go_message()) == ("validation_error", message)


@pytest.mark.parametrize(
    ("pattern_key", "pattern"),
    [("pathPattern", "^/users/(\\d+$"), ("bodyPattern", "a(?=b)")],
)
def test_admin_rejects_bad_regexes(pattern_key, pattern):
    with pytest.raises(MockValidationError) as info:
        compile_mock(json.dumps(http({pattern_key: pattern}, OK_RESPONSE)).encode(), id_style="admin")
    assert info.value.field == f"matcher.{pattern_key}"
    assert info.value.message.startswith("invalid regex pattern: ")


def test_admin_rejects_bad_jsonpath():
    with pytest.raises(MockValidationError) as info:
        compile_mock(json.dumps(http({"bodyJsonPath": {"$.a[": 1}}, OK_RESPONSE)).encode(), id_style="admin")
    assert info.value.field == "matcher.bodyJsonPath"
    assert info.value.message.startswith('invalid JSONPath expression "$.a[": ')


def test_file_validation_reports_every_error_with_position(tmp_path):
    text = """
        version: "1.0"
        mocks:
          - id: one
            http:
              priority: -2
              matcher: {method: fetch, path: api, headers: {"Bad Header": x}}
              response: {statusCode: 99, delayMs: -5}
          - id: two
            http:
              response: {statusCode: 200}
          - id: one
            http: {matcher: {path: /dup}, response: {statusCode: 200}}
          - null
        """
    # sorted by position; Go's order within one mock is kept where positions tie
    assert problems(tmp_path, text) == [
        "mocks.yaml:5:17: mocks[0].http.priority: priority must be >= 0",
        "mocks.yaml:6:25: mocks[0].http.matcher.method: invalid HTTP method: fetch",
        "mocks.yaml:6:38: mocks[0].http.matcher.path: path must start with /",
        'mocks.yaml:6:53: mocks[0].http.matcher.headers["Bad Header"]: invalid header name: Bad Header',
        "mocks.yaml:7:30: mocks[0].http.response.statusCode: statusCode must be between 100-599, got 99",
        "mocks.yaml:7:43: mocks[0].http.response.delayMs: delayMs must be >= 0",
        "mocks.yaml:9:5: mocks[1].http.matcher: matcher is required",
        "mocks.yaml:11:9: mocks[2].id: duplicate mock ID: one (also defined at mocks.yaml:3:9)",
        "mocks.yaml:13:5: mocks[3]: mock cannot be null",
    ]
