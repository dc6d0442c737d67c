"""issue 13: the admin API's import and export routes (imports-exports §5) over HTTP: `GET /formats`,
`GET /openapi.json|yaml`, and `POST /import`, which converts any importable file all or nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.harness import MockdProcess, free_port, request
from tests.imports.fileserver import FileServer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockdProcess]:
    config = tmp_path_factory.mktemp("admin") / "mocks.yaml"
    config.write_text(
        "mocks:\n  - id: hello\n    name: Say hello\n    operationId: hello\n"
        "    http:\n      matcher: {method: GET, path: /hello, queryParams: {lang: en}}\n"
        "      response: {statusCode: 200, headers: {Content-Type: application/json, X-Tag: a}, body: {msg: hi}}\n"
    )
    proc = MockdProcess(["-c", str(config)], free_port(), free_port()).start()
    yield proc
    proc.stop()


def _ids(proc: MockdProcess) -> list[str]:
    listed = request(proc.admin + "/mocks").json()
    return [m["id"] for m in (listed["mocks"] if isinstance(listed, dict) else listed)]


def test_formats_lists_what_can_be_imported_and_exported(server: MockdProcess) -> None:
    got = request(server.admin + "/formats").json()["formats"]
    assert [(f["id"], f["import"], f["export"]) for f in got] == [
        ("mockd", True, True), ("openapi", True, True), ("postman", True, False), ("har", True, False),
        ("wiremock", True, False), ("curl", True, False), ("mockoon", True, False), ("insomnia", True, False),
        ("wsdl", True, False),
    ]  # fmt: skip


def test_openapi_export_as_json_and_yaml(server: MockdProcess) -> None:
    got = request(server.admin + "/openapi.json")
    assert got.headers["content-type"] == "application/json; charset=utf-8"
    expected_hello = {
        "get": {
            "summary": "Say hello",
            "operationId": "hello",
            "parameters": [{"name": "lang", "in": "query", "schema": {"type": "string"}, "example": "en"}],
            "responses": {
                "200": {
                    "description": "200 response",
                    "headers": {"X-Tag": {"schema": {"type": "string"}}},
                    "content": {"application/json": {"example": {"msg": "hi"}}},
                }
            },
        }
    }
    doc = got.json()
    assert doc["openapi"] == "3.0.3"
    assert doc["info"] == {"title": "mockd API", "description": "Exported from mockd", "version": "1.0.0"}
    assert doc["paths"]["/hello"] == expected_hello
    assert got.body.endswith(b"}\n")
    as_yaml = request(server.admin + "/openapi.yaml")
    assert as_yaml.headers["content-type"] == "application/x-yaml; charset=utf-8"
    assert yaml.safe_load(as_yaml.body)["paths"]["/hello"] == expected_hello


def test_import_dry_run_changes_nothing(server: MockdProcess) -> None:
    body = (FIXTURES / "capture.har").read_bytes()
    got = request(server.admin + "/import?dryRun=true", "POST", body)
    assert (got.status, got.json()) == (200, {
        "dryRun": True, "format": "har",
        "mocks": [{"id": "imported-1", "name": "GET /api/users", "method": "GET", "path": "/api/users"},
                  {"id": "imported-2", "name": "POST /api/users", "method": "POST", "path": "/api/users"}],
        "warnings": ["har: entry 4 (GET /api/slow) has status 0: skipped"],
    })  # fmt: skip
    assert "imported-1" not in _ids(server)


def test_import_converts_on_the_server_and_serves_at_once(server: MockdProcess) -> None:
    body = (FIXTURES / "wiremock-mappings.json").read_bytes()
    got = request(server.admin + "/import", "POST", body, headers={"Content-Type": "application/json"})
    assert got.status == 200
    reply = got.json()
    assert (reply["format"], reply["imported"], reply["message"]) == (
        "wiremock",
        3,
        "Import completed successfully",
    )
    ping = request(server.url + "/ping", "PUT")
    assert (ping.status, ping.body) == (200, b"pong")


@pytest.mark.parametrize(
    ("query", "body", "status", "error", "message"),
    [
        ("", b"just text", 400, "import_undetected",
         "import request body: could not detect format (expected one of: openapi, mockd, postman, har, "
         "wiremock, curl, mockoon, insomnia, wsdl; set format: to force one)"),
        ("?format=raml", b"{}", 400, "import_unknown_format", 'import request body: unknown format "raml"'),
        ("?format=postman", b'{"info": {}, "item": []}', 400, "import_failed",
         "request body#/info/schema: postman: not a valid Postman Collection v2.x"),
        # the second mock is invalid: nothing of the file is applied
        ("?format=curl", b"curl -X BOGUS http://x/partial", 400, "validation_error", None),
    ],
)  # fmt: skip
def test_bad_imports_are_refused_whole(server: MockdProcess, query, body, status, error, message) -> None:
    before = _ids(server)
    got = request(server.admin + "/import" + query, "POST", body)
    assert got.status == status
    reply = got.json()
    assert reply["error"] == error
    if message is not None:
        assert reply["message"] == message
    assert _ids(server) == before


def test_a_partial_import_never_half_applies(server: MockdProcess) -> None:
    spec = {
        "openapi": "3.0.0", "info": {"title": "t", "version": "1"},
        "paths": {"/fine": {"get": {"responses": {"200": {"description": "x"}}}},
                  "relative": {"get": {"responses": {"200": {"description": "x"}}}}},
    }  # fmt: skip
    before = _ids(server)
    got = request(server.admin + "/import", "POST", json.dumps(spec))
    assert got.status == 400
    assert got.json()["message"].endswith("validation error on matcher.path: path must start with /")
    assert _ids(server) == before
    assert request(server.url + "/fine").status == 404


def test_insomnia_exports_v4_json_and_v5_yaml_that_import_back(server: MockdProcess) -> None:
    got = request(server.admin + "/insomnia.json")
    assert got.headers["content-disposition"] == "attachment; filename=mockd-insomnia.json"
    assert not got.body.endswith(b"\n")
    doc = got.json()
    assert (doc["_type"], doc["__export_format"], doc["__export_source"]) == ("export", 4, "mockd")
    types = [(r["_id"], r["_type"]) for r in doc["resources"]][:3]
    assert types == [
        ("wrk_mockd", "workspace"),
        ("env_mockd_base", "environment"),
        ("fld_http", "request_group"),
    ]
    assert doc["resources"][1]["data"] == {"admin_url": server.admin.replace("127.0.0.1", "localhost"),
                                           "base_url": server.url.replace("127.0.0.1", "localhost")}  # fmt: skip
    hello = next(r for r in doc["resources"] if r["_id"] == "req_hello")
    assert {k: hello[k] for k in ("name", "method", "url", "parameters", "parentId")} == {
        "name": "Say hello", "method": "GET", "url": "{{ _.base_url }}/hello",
        "parameters": [{"name": "lang", "value": "en"}], "parentId": "fld_http",
    }  # fmt: skip
    v5 = request(server.admin + "/insomnia.yaml")
    assert v5.headers["content-type"] == "application/x-yaml; charset=utf-8"
    assert yaml.safe_load(v5.body)["type"] == "collection.insomnia.rest/5.0"
    # both import back (dry run) with the same routes
    for body in (got.body, v5.body):
        rows = request(server.admin + "/import?dryRun=true", "POST", body).json()
        assert rows["format"] == "insomnia"
        assert {"id": "req_hello", "name": "Say hello", "method": "GET", "path": "/hello"} in rows["mocks"]


def test_a_posted_spec_cannot_read_the_servers_files(server: MockdProcess, tmp_path: Path) -> None:
    # issue 13: `$ref`s in a request body are not resolved against the server's file system
    secret = tmp_path / "secret.json"
    secret.write_text('{"token": {"example": "s3cr3t"}}')
    spec = {
        "openapi": "3.0.0", "info": {"title": "t", "version": "1"},
        "paths": {"/leak": {"get": {"responses": {"200": {"description": "x", "content": {
            "application/json": {"schema": {"$ref": f"{secret}#/token"}}}}}}}},
    }  # fmt: skip
    got = request(server.admin + "/import?dryRun=true", "POST", json.dumps(spec))
    assert (got.status, got.json()["error"]) == (400, "import_failed")
    assert got.json()["message"] == (
        "request body#/paths/~1leak/get/responses/200/content/application~1json/schema/$ref: "
        f"openapi: $ref '{secret}#/token' cannot be resolved"
    )


def test_a_yaml_alias_bomb_is_refused_not_expanded(server: MockdProcess) -> None:
    # issue 13: nine levels of ten aliases would be 10**9 nodes once expanded
    lines = ["openapi: 3.0.0", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    got = request(server.admin + "/import?format=openapi", "POST", "\n".join(lines) + "\n")
    assert (got.status, got.json()["message"]) == (
        400, "request body: openapi: document too large once YAML aliases are expanded",
    )  # fmt: skip


def test_a_posted_spec_cannot_make_the_server_fetch_urls(server: MockdProcess) -> None:
    # issue 13: remote $refs are fetched for config-file and url: imports only, never for a request body
    files = FileServer(Path(__file__).parent / "fixtures" / "schemas")
    try:
        ref = f"{files.base}/common.yaml#/Owner"
        spec = {
            "openapi": "3.0.0", "info": {"title": "t", "version": "1"},
            "paths": {"/o": {"get": {"responses": {"200": {"description": "x", "content": {
                "application/json": {"schema": {"$ref": ref}}}}}}}},
        }  # fmt: skip
        got = request(server.admin + "/import?dryRun=true", "POST", json.dumps(spec))
        assert files.seen == []
    finally:
        files.close()
    assert (got.status, got.json()["message"]) == (
        400,
        "request body#/paths/~1o/get/responses/200/content/application~1json/schema/$ref: "
        f"openapi: $ref '{ref}' cannot be resolved",
    )
