"""Routes, actions and pre-built responses in the plan (what the runtime and the Rust matcher read)."""

from __future__ import annotations

import pytest

from mockd.plan.model import response_spec, route_spec

from .helpers import compile_text, only_mock, problems


def test_route_carries_every_criterion_in_configured_order(tmp_path):
    compiled = only_mock(
        tmp_path,
        """
        mocks:
          - id: r
            name: Route
            http:
              priority: 3
              matcher:
                method: post
                path: /api/orders
                headers: {X-Z: "1", Authorization: "Bearer *"}
                queryParams: {page: 2, q: ""}
                bodyContains: items
                bodyPattern: "^\\\\{"
                bodyJsonPath:
                  "$.items[0].qty": 2
                  "$.name": Ada
                  "$.gift": {exists: false}
                  "$.id": {exists: true}
                  "$.odd": {exists: "yes"}
                  "$.obj": {exists: true, other: 1}
                  "$.none": null
              response: {statusCode: 201}
        """,
    )
    assert compiled["route"] == route_spec(
        id="r",
        name="Route",
        method="POST",  # upper-cased: Go compares methods case-insensitively
        path="/api/orders",
        headers=[("X-Z", "1"), ("Authorization", "Bearer *")],
        query=[("page", "2"), ("q", "")],  # a YAML number in a string field is its text
        bodyContains="items",
        bodyPattern="^\\{",
        bodyJsonPath=[
            ("$.items[0].qty", "eq", "2"),
            ("$.name", "eq", '"Ada"'),
            ("$.gift", "absent", None),
            ("$.id", "exists", None),
            ("$.odd", "absent", None),  # Go's getExistsValue: only a real `true` means exists
            ("$.obj", "eq", '{"exists":true,"other":1}'),  # not an existence check: two keys
            ("$.none", "eq", "null"),
        ],
        priority=3,
    )


@pytest.mark.parametrize(
    ("response", "headers", "templated"),
    [
        # reference §3.7 step 6: inferred from the trimmed body when no Content-Type is configured
        ("{statusCode: 200, body: '  {\"a\": 1}  '}", [("Content-Type", "application/json")], False),
        ("{statusCode: 200, body: '[1]'}", [("Content-Type", "application/json")], False),
        ("{statusCode: 200, body: '{unbalanced'}", [("Content-Type", "text/plain")], False),
        ("{statusCode: 200, body: '<?xml version=\"1.0\"?><a/>'}",
         [("Content-Type", "application/xml")], False),
        ("{statusCode: 200, body: hello}", [("Content-Type", "text/plain")], False),
        ("{statusCode: 204}", [("Content-Type", "text/plain")], False),  # also for an empty body
        ("{statusCode: 200, headers: {content-type: text/csv}, body: '{}'}",
         [("content-type", "text/csv")], False),
        ("{statusCode: 200, headers: {X-A: '1', X-B: '2'}, body: '{}'}",
         [("X-A", "1"), ("X-B", "2"), ("Content-Type", "application/json")], False),
        # templated: the runtime infers after rendering, so nothing is appended
        ("{statusCode: 200, body: '{\"id\": \"{{uuid}}\"}'}", [], True),
        ("{statusCode: 200, headers: {X-Id: '{{uuid}}'}, body: '{}'}", [("X-Id", "{{uuid}}")], True),
    ],
)  # fmt: skip
def test_response_spec_pre_encodes_static_responses(tmp_path, response, headers, templated):
    text = f"mocks:\n  - http:\n      matcher: {{path: /x}}\n      response: {response}\n"
    spec = only_mock(tmp_path, text)["action"]["response"]
    content_type_set = any(name.lower() == "content-type" for name, _ in headers)
    assert (spec["headers"], spec["templated"], spec["contentTypeSet"]) == (
        headers,
        templated,
        content_type_set,
    )


def test_body_file_is_not_inferred_at_compile_time(tmp_path):
    (tmp_path / "user.json").write_text("{}")
    text = "mocks:\n  - http:\n      matcher: {path: /x}\n      response: {bodyFile: user.json}\n"
    action = only_mock(tmp_path, text)["action"]
    assert action == {
        "kind": "response",
        "response": response_spec(status=200, bodyFile="user.json"),
    }


def test_missing_status_code_means_200(tmp_path):
    # D7 (the Go tool refuses it with "statusCode must be between 100-599, got 0")
    compiled = only_mock(tmp_path, "mocks:\n  - http: {matcher: {path: /x}, response: {body: ok}}\n")
    assert (compiled["action"]["response"]["status"], compiled["mock"]["http"]["response"]["statusCode"]) == (
        200,
        200,
    )


def test_templated_response_asks_for_captures(tmp_path):
    text = "mocks:\n  - http: {matcher: {path: '/u/{id}'}, response: {body: '{{request.pathParam.id}}'}}\n"
    assert only_mock(tmp_path, text)["route"]["captures"] is True


@pytest.mark.parametrize(
    ("spec", "action", "captures"),
    [
        ("statefulBinding: {table: users, action: get}",
         {"kind": "binding", "table": "users", "action": "get", "operation": None}, True),
        ("statefulBinding: {table: users, action: custom, operation: Archive}",
         {"kind": "binding", "table": "users", "action": "custom", "operation": "Archive"}, True),
        ("statefulOperation: TransferFunds", {"kind": "operation", "operation": "TransferFunds"}, True),
    ],
)  # fmt: skip
def test_stateful_actions(tmp_path, spec, action, captures):
    text = f"""
        statefulResources: [{{name: users}}]
        mocks:
          - http:
              matcher: {{method: GET, path: '/u/{{id}}'}}
              {spec}
        """
    compiled = only_mock(tmp_path, text)
    assert (compiled["action"], compiled["route"]["captures"]) == (action, captures)


def test_sse_mock_compiles_to_a_protocol_action_on_its_http_route(tmp_path):
    text = (
        "mocks:\n  - id: events\n    http: {matcher: {method: get, path: /ev}, sse: {events: [{data: hi}]}}\n"
    )
    result = compile_text(tmp_path, text)
    [compiled] = result.plan["mocks"]
    assert compiled["route"] == route_spec(id="events", method="GET", path="/ev")
    assert compiled["action"] == {
        "kind": "protocol",
        "protocol": "sse",
        "spec": {"sse": {"events": [{"data": "hi"}]}},
    }
    assert result.warnings == []


def test_own_port_protocols_are_kept_verbatim_without_route(tmp_path):
    text = "mocks:\n  - id: chat\n    mqtt: {port: 1883, custom: [1]}\n"
    result = compile_text(tmp_path, text)
    [compiled] = result.plan["mocks"]
    assert compiled["mock"] == {
        "id": "chat",
        "type": "mqtt",  # inferred from the spec present (reference §2.1 step 7)
        "createdAt": None,
        "updatedAt": None,
        "mqtt": {"port": 1883, "custom": [1]},
    }
    assert (compiled["route"], compiled["action"]["kind"]) == (None, "protocol")  # served on its own port


def test_mtls_matchers_are_refused_by_name_not_kept_as_mocks_that_never_match(tmp_path):
    # issue 14: Granian does not expose the client certificate, so an mtls matcher could never match
    text = "mocks:\n  - http: {matcher: {path: /x, mtls: {cn: client}}, response: {statusCode: 200}}\n"
    assert problems(tmp_path, text) == [
        "mocks.yaml:2:38: mocks[0].http.matcher.mtls: client-certificate matching is not supported: Granian, "
        "which serves mockd's ports, does not give the application the client certificate (--mtls-ca still "
        "makes HTTPS require one signed by your CA)"
    ]


def test_shadowed_mocks_are_reported_naming_both(tmp_path):
    # style point 11: same criteria (param names and header-name case do not matter), equal or lower priority
    text = """
        mocks:
          - id: get-user
            http: {priority: 1, matcher: {method: GET, path: '/users/{id}', headers: {X-A: b}}, response: {}}
          - id: get-user-2
            http: {priority: 1, matcher: {method: get, path: '/users/{uid}', headers: {x-a: b}}, response: {}}
          - id: higher
            http: {priority: 2, matcher: {method: GET, path: '/users/{id}', headers: {X-A: b}}, response: {}}
          - id: other-header
            http: {matcher: {method: GET, path: '/users/{id}', headers: {X-A: c}}, response: {}}
          - id: disabled
            enabled: false
            http: {matcher: {method: GET, path: '/users/{id}', headers: {X-A: c}}, response: {}}
        """
    assert problems(tmp_path, text) == [
        "mocks.yaml:4:5: mocks[1]: warning: mock 'get-user-2' can never match: 'get-user' at mocks.yaml:2:5 "
        "has the same criteria and equal priority"
    ]


def test_missing_body_file_is_a_warning(tmp_path):
    # Go reads bodyFile per request and answers 502 while it is missing; we say so at compile time
    text = "mocks:\n  - id: f\n    http: {matcher: {path: /x}, response: {bodyFile: nope.json}}\n"
    assert problems(tmp_path, text) == [
        "mocks.yaml:3:54: mocks[0].http.response.bodyFile: warning: bodyFile 'nope.json' does not exist yet: "
        "requests to 'f' get 502 until it does"
    ]


def test_jsonpath_expectation_without_json_form_is_an_error(tmp_path):
    # the matcher gets expected values as JSON text; YAML's .nan has none (it could never match anyway)
    text = "mocks:\n  - http: {matcher: {bodyJsonPath: {$.n: .nan}}, response: {}}\n"
    assert problems(tmp_path, text) == [
        'mocks.yaml:2:42: mocks[0].http.matcher.bodyJsonPath["$.n"]: invalid expected value for "$.n": '
        "json: unsupported value: NaN"
    ]
