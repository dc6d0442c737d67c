"""issue 13: Postman, HAR, WireMock and cURL files converted to mocks (imports-exports §3.4-3.8), format
detection (§2.2), and all four imported by one config and served over HTTP."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mockd.compiler import ConfigError, compile_files
from mockd.imports import ImportFailure, detect_format, load_import, parse_format
from tests.harness import MockdProcess, free_port, request

FIXTURES = Path(__file__).parent / "fixtures"


def _load(name: str):
    return load_import(path=str(FIXTURES / name))


def test_postman_folders_variables_saved_responses_and_path_variables() -> None:
    result = _load("shop.postman_collection.json")
    assert result.format == "postman"
    assert result.mocks == [
        {"id": "imported-1", "type": "http", "name": "Get order", "enabled": True,
         "http": {"matcher": {"method": "GET", "path": "/orders/{orderId}", "queryParams": {"expand": "items"},
                              "headers": {"Authorization": "Bearer t0k"}},
                  "response": {"statusCode": 200, "headers": {"Content-Type": "application/json"},
                               "body": '{"id": "o-1", "total": 12.5}'}}},
        {"id": "imported-2", "type": "http", "name": "Create order", "enabled": True,
         "http": {"matcher": {"method": "POST", "path": "/orders"},
                  "response": {"statusCode": 200, "headers": {"Content-Type": "application/json"},
                               "body": '{"status": "ok"}'}}},
    ]  # fmt: skip
    assert result.warnings == ["postman: item 'Get order' has scripts, which are not run"]


def test_har_skips_static_and_aborted_entries_and_keeps_the_first_of_each_route() -> None:
    result = _load("capture.har")
    assert result.mocks == [
        {"id": "imported-1", "type": "http", "name": "GET /api/users", "enabled": True,
         "http": {"matcher": {"method": "GET", "path": "/api/users", "queryParams": {"page": "1"}},
                  "response": {"statusCode": 200, "body": '[{"id":1,"name":"Ada"}]',
                               "headers": {"X-Request-Id": "abc", "Content-Type": "application/json"}}}},
        {"id": "imported-2", "type": "http", "name": "POST /api/users", "enabled": True,
         "http": {"matcher": {"method": "POST", "path": "/api/users"},
                  "response": {"statusCode": 201, "body": '{"id":2}',
                               "headers": {"Content-Type": "application/json"}}}},
    ]  # fmt: skip
    assert result.warnings == ["har: entry 4 (GET /api/slow) has status 0: skipped"]


def test_wiremock_patterns_json_bodies_json_paths_priority_and_any() -> None:
    result = _load("wiremock-mappings.json")
    find, put, ping = result.mocks
    assert find == {
        "id": "8c5db8b0-2db4-4ad7-a99f-38c9b00da3f7", "type": "http", "name": "Find invoices", "enabled": True,
        "http": {"matcher": {"method": "POST", "pathPattern": "^/invoices/[0-9]+/search$",
                             "headers": {"Authorization": "*Bearer*"},
                             "bodyJsonPath": {"$.filter": {"exists": True}, "$.kind": "draft"}},
                 "response": {"statusCode": 200, "body": '{\n  "count": 0,\n  "results": []\n}',
                              "headers": {"Content-Type": "application/json"}, "delayMs": 5},
                 "priority": 999},
    }  # fmt: skip
    assert put["http"]["matcher"] == {
        "method": "PUT", "path": "/invoices/7", "queryParams": {"dry": "1"}, "bodyEquals": '{"paid":true}',
    }  # fmt: skip
    assert put["id"].startswith("wm_")
    assert (ping["id"], ping["http"]["matcher"]) == ("any-ping", {"method": "", "path": "/ping"})
    assert result.warnings == [
        "wiremock: Find invoices: headers.X-Mode: matches cannot be matched by mockd: ignored"
    ]


def test_curl_command_with_continuations_headers_and_data() -> None:
    [mock] = _load("create-user.curl").mocks
    assert mock["name"] == "POST /v1/users"
    assert mock["http"] == {
        "matcher": {"method": "POST", "path": "/v1/users", "queryParams": {"notify": "true"},
                    "headers": {"X-Api-Key": "secret"}, "bodyEquals": '{"name":"Ada"}'},
        "response": {"statusCode": 201, "headers": {"Content-Type": "application/json"},
                     "body": '{"status": "created"}'},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("filename", "text", "expected"),
    [
        ("x.sh", "curl https://a/b", "curl"),
        ("svc.wsdl", "<x/>", "wsdl"),
        ("svc.xml", '<?xml version="1.0"?><definitions name="S"/>', "wsdl"),
        ("t.har", "{}", "har"),
        ("a.yaml", "openapi: 3.0.0\n", "openapi"),
        ("a.yml", "swagger: '2.0'\n", "openapi"),
        ("a.yaml", "mocks: []\n", "mockd"),
        ("a.json", '{"mocks": []}', None),  # JSON needs `version` too, as in Go
        ("a.json", '{"version": "1.0", "mocks": []}', "mockd"),
        ("a.json", '{"info": {}, "item": []}', "postman"),
        ("a.json", '{"log": {}}', "har"),
        ("a.json", '{"mappings": [{"request": {}}]}', "wiremock"),
        ("a.json", '[{"request": {}, "response": {}}]', "wiremock"),
        ("a.json", '{"routes": [], "port": 3000}', "mockoon"),
        ("noext", "openapi: 3.1.0\n", "openapi"),  # JSON rules fail, no extension: YAML rules
        ("a.json", "openapi: 3.1.0\n", None),  # a .json file that is YAML
        ("a.txt", '{"openapi": "3.0.0"}', None),
    ],
)
def test_detection_follows_the_go_order(filename: str, text: str, expected: str | None) -> None:
    assert detect_format(text.encode(), filename) == expected


def test_a_yaml_spec_is_detected_from_its_top_level_lines_without_a_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Stripe's spec ends with `security:` and its list at column 0; detection must not parse 6 MB for it
    import yaml  # type: ignore[import-untyped]

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("detection parsed the whole document")

    monkeypatch.setattr(yaml, "load", refuse)
    text = (
        "components:\n  schemas: {}\nopenapi: 3.0.0\nsecurity:\n- basicAuth: []\n-\n  bearer: []\npaths: {}\n"
    )
    assert detect_format(text.encode(), "spec3.yaml") == "openapi"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("swagger", "openapi"), ("OAS", "openapi"), (" json ", "mockd"), ("yml", "mockd"), ("raml", None)],
)
def test_format_names(name: str, expected: str | None) -> None:
    assert parse_format(name) == expected


def test_postman_file_that_is_not_a_collection(tmp_path: Path) -> None:
    (tmp_path / "c.json").write_text('{"info": {"name": "x"}, "item": []}')
    (tmp_path / "m.yaml").write_text("imports: [{path: c.json}]\n")
    with pytest.raises(ConfigError) as info:
        compile_files([tmp_path / "m.yaml"], env={})
    assert [d.render() for d in info.value.diagnostics] == [
        f"{tmp_path}/m.yaml:1:11: imports[0]: import c.json: postman: not a valid Postman Collection v2.x "
        "(at c.json#/info/schema)"
    ]


def test_four_formats_in_one_config_over_http(tmp_path: Path) -> None:
    names = ["shop.postman_collection.json", "capture.har", "wiremock-mappings.json", "create-user.curl"]
    for name in names:
        shutil.copy(FIXTURES / name, tmp_path / name)
    config = tmp_path / "mocks.json"
    config.write_text(json.dumps({"version": "1.0", "imports": [{"path": n} for n in names]}))
    plan = compile_files([config], env={})
    ids = [m["mock"]["id"] for m in plan.plan["mocks"]]
    assert ids[:3] == ["imported-1", "imported-2", ids[2]]  # the HAR's imported-1/2 are renamed, not refused
    assert ids[2].startswith("http_")
    proc = MockdProcess(["-c", str(config)], free_port(), free_port()).start()
    try:
        order = request(proc.url + "/orders/o-1?expand=items", headers={"Authorization": "Bearer t0k"})
        assert (order.status, order.json()) == (200, {"id": "o-1", "total": 12.5})
        users = request(proc.url + "/api/users?page=1")
        assert (users.status, users.headers["content-type"], users.json()) == (
            200, "application/json", [{"id": 1, "name": "Ada"}],
        )  # fmt: skip
        search = request(
            proc.url + "/invoices/42/search", "POST", {"filter": {}, "kind": "draft"},
            headers={"Authorization": "Bearer x"},
        )  # fmt: skip
        assert (search.status, search.json()) == (200, {"count": 0, "results": []})
        wrong_kind = request(
            proc.url + "/invoices/42/search", "POST", {"filter": {}, "kind": "paid"},
            headers={"Authorization": "Bearer x"},
        )  # fmt: skip
        assert wrong_kind.status == 404
        ping = request(proc.url + "/ping", "DELETE")
        assert (ping.status, ping.body) == (200, b"pong")
        created = request(
            proc.url + "/v1/users?notify=true", "POST", b'{"name":"Ada"}', headers={"X-Api-Key": "secret"}
        )
        assert (created.status, created.json()) == (201, {"status": "created"})
    finally:
        proc.stop()


def test_mockoon_responses_rules_priorities_and_helpers(tmp_path: Path) -> None:
    result = _load("todo.mockoon.json")
    assert result.warnings == [
        "mockoon: /api/todos/{id}: params rule ignored",
        "mockoon: CRUD route /items is a stateful resource: not imported",
    ]
    assert [(m["id"], m["name"], m["http"]["priority"], m["http"]["matcher"]) for m in result.mocks] == [
        (
            "mn_0f8f9a3c-6c2e-4a",
            "missing",
            2,
            {"method": "GET", "path": "/api/todos/{id}", "headers": {"X-Missing": "yes"}},
        ),
        ("mn_0f8f9a3c-6c2_1", "Get a todo", 1, {"method": "GET", "path": "/api/todos/{id}"}),
    ]
    shutil.copy(FIXTURES / "todo.mockoon.json", tmp_path / "todo.json")
    (tmp_path / "mocks.yaml").write_text("imports: [{path: todo.json}]\n")
    proc = MockdProcess(["-c", str(tmp_path / "mocks.yaml")], free_port(), free_port()).start()
    try:
        found = request(proc.url + "/api/todos/5")
        assert (found.status, found.json()) == (200, {"id": "5", "title": "Write tests"})  # {{urlParam 'id'}}
        missing = request(proc.url + "/api/todos/5", headers={"X-Missing": "yes"})
        assert (missing.status, missing.json()) == (404, {"error": "no such todo"})
    finally:
        proc.stop()


def test_insomnia_v4_and_v5_requests(tmp_path: Path) -> None:
    [mock] = _load("insomnia-v4.json").mocks
    assert mock == {
        "id": "req_list", "type": "http", "name": "List invoices", "enabled": True,
        "http": {"matcher": {"method": "GET", "path": "/invoices", "queryParams": {"status": "open"},
                             "headers": {"X-Org": "acme"}},
                 "response": {"statusCode": 200, "headers": {"Content-Type": "application/json"},
                              "body": '{"status": "ok"}'}},
    }  # fmt: skip
    v5 = tmp_path / "c.yaml"
    v5.write_text(
        "type: collection.insomnia.rest/5.0\nname: x\ncollection:\n  - name: HTTP\n    children:\n"
        "      - {url: '{{ _.base_url }}/a?b=1', name: A, method: DELETE, meta: {id: req_a}}\n"
    )
    assert detect_format(v5.read_bytes(), "c.yaml") == "insomnia"
    [a] = load_import(path=str(v5)).mocks
    assert (a["id"], a["http"]["matcher"]) == (
        "req_a",
        {"method": "DELETE", "path": "/a", "queryParams": {"b": "1"}},
    )


def test_wsdl_services_operations_and_sample_responses(tmp_path: Path) -> None:
    [mock] = _load("accounts.wsdl").mocks
    wsdl = mock["soap"].pop("wsdl")
    assert wsdl == (FIXTURES / "accounts.wsdl").read_text()
    assert mock == {
        "id": mock["id"], "type": "soap", "name": "AccountService - AccountPort", "enabled": True,
        "soap": {"path": "/soap/accounts", "operations": {
            "GetAccount": {"soapAction": "http://example.org/accounts/GetAccount",
                           "response": "<GetAccountResponse><account><number>sample</number><balance>0.0</balance>"
                                       "<active>true</active></account></GetAccountResponse>"},
            "CloseAccount": {"soapAction": "http://example.org/accounts/CloseAccount",
                             "response": "<CloseAccountResponse><closedAt>2026-01-01T00:00:00Z</closedAt>"
                                         "</CloseAccountResponse>"},
            "Ping": {"soapAction": "urn:ping", "response": "<PingResponse><result>ok</result></PingResponse>"},
        }},
    }  # fmt: skip
    assert mock["id"].startswith("soap_")
    # SOAP prefixes other than soap/soap12/wsoap are recognised by namespace (here `s11`)
    shutil.copy(FIXTURES / "accounts.wsdl", tmp_path / "accounts.wsdl")
    (tmp_path / "m.yaml").write_text("imports: [{path: accounts.wsdl}]\n")
    result = compile_files([tmp_path / "m.yaml"], env={})
    assert [m["mock"]["type"] for m in result.plan["mocks"]] == ["soap"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<definitions", "wsdl: failed to parse XML: "),
        ('<description xmlns="http://www.w3.org/ns/wsdl"/>',
         "wsdl: WSDL 2.0 is not yet supported; please use a WSDL 1.1 document"),
        ("<root/>", "wsdl: expected root element <definitions> or <description>, got <root>"),
        ('<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"/>', "wsdl: no services found in WSDL document"),
    ],
)  # fmt: skip
def test_wsdl_errors(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "s.wsdl").write_text(text)
    with pytest.raises(ImportFailure) as info:
        load_import(path=str(tmp_path / "s.wsdl"))
    assert info.value.message.startswith(message)


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("postman", '{"info": {"schema": "postman v2.1"}, "item": [{"request": {"url": {"query": 5}}}]}'),
        ("har", '{"log": {"version": "1.2", "entries": 7}}'),
        ("wiremock", '{"mappings": [{"request": {"url": "/a"}, "response": {"headers": [1]}}]}'),
    ],
)
def test_a_malformed_file_is_one_clear_error_not_a_traceback(tmp_path: Path, fmt: str, text: str) -> None:
    (tmp_path / "f.json").write_text(text)
    with pytest.raises(ImportFailure) as info:
        load_import(path=str(tmp_path / "f.json"), fmt=fmt)
    assert info.value.message.startswith(f"{fmt}: the file does not have the structure of a {fmt} file (")
