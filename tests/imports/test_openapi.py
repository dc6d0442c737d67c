"""issue 13: OpenAPI 3 and Swagger 2 converted to mocks (imports-exports §3.1-3.3), and the errors a bad
spec gets through the compiler: file, JSON pointer, what was expected."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from mockd.compiler import ConfigError, compile_files
from mockd.imports import ImportFailure, load_import
from tests.imports.fileserver import FileServer

FIXTURES = Path(__file__).parent / "fixtures"


def _summary(mocks: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    out = []
    for m in mocks:
        matcher, reply = m["http"]["matcher"], m["http"]["response"]
        ctype = (reply.get("headers") or {}).get("Content-Type", "")
        out.append(
            (
                m.get("operationId", ""),
                m["name"],
                matcher["method"],
                matcher["path"],
                reply["statusCode"],
                ctype,
            )
        )
    return out


def _bodies(mocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {m.get("operationId") or m["name"]: m["http"]["response"]["body"] for m in mocks}


def test_openapi3_operations_in_go_order_with_names_statuses_and_content_types() -> None:
    mocks = load_import(path=str(FIXTURES / "petstore.yaml"), as_="pets").mocks
    assert _summary(mocks) == [
        ("pets.healthCheck", "healthCheck", "GET", "/health", 200, "text/plain"),
        ("pets.getOwner", "getOwner", "GET", "/owners/{ownerId}", 200, "application/json"),
        ("pets.listPets", "List all pets", "GET", "/pets", 200, "application/json"),
        ("pets.createPet", "createPet", "POST", "/pets", 201, "application/json"),
        ("pets.getPet", "Info for a specific pet", "GET", "/pets/{petId}", 200, "application/json"),
        ("pets.deletePet", "deletePet", "DELETE", "/pets/{petId}", 204, ""),
    ]  # paths sorted by bytes, methods in Go's order; `servers` adds no prefix; `as` namespaces operationIds
    assert all(m["type"] == "http" and m["enabled"] is True and m["id"].startswith("http_") for m in mocks)


def test_examples_are_served_as_go_writes_them() -> None:
    bodies = _bodies(load_import(path=str(FIXTURES / "petstore.yaml")).mocks)
    assert bodies["healthCheck"] == '"OK"'  # a string example is JSON-quoted, as in Go
    # a $ref'd response; keys sorted, `<>&` escaped, two-space indent (Go's MarshalIndent)
    assert bodies["createPet"] == '{\n  "id": 10,\n  "name": "New \\u003cpet\\u003e \\u0026 co"\n}'
    assert bodies["getPet"] == '{\n  "id": 1,\n  "name": "Rex",\n  "tag": "dog"\n}'  # first named example
    assert bodies["deletePet"] == ""


def test_a_named_example_is_selected_by_the_import_entry() -> None:
    bodies = _bodies(load_import(path=str(FIXTURES / "petstore.yaml"), example="cat").mocks)
    assert json.loads(bodies["getPet"]) == {"id": 2, "name": "Tom", "tag": "cat"}  # via components/examples


def test_schema_bodies_follow_formats_enums_bounds_and_cut_recursion() -> None:
    bodies = _bodies(load_import(path=str(FIXTURES / "petstore.yaml")).mocks)
    pets = json.loads(bodies["listPets"])
    assert len(pets) == 2  # minItems
    for pet in pets:
        assert sorted(pet) == ["born_at", "id", "name", "tag"]
        assert 1 <= pet["id"] <= 9
        assert pet["tag"] in ("dog", "cat")
        assert pet["born_at"].endswith("Z")
        assert pet["born_at"][:4] == "2026"
    owner = json.loads(bodies["getOwner"])  # a schema in another file, recursive through `manager`
    assert owner["manager"] is None
    assert owner["status"] == "active"
    assert owner["score"] == 5
    assert owner["email"].endswith("@example.com")  # by property name
    [pet] = owner["pets"]  # maxItems 1; allOf merged with oneOf[0]; OAS 3.1 type list; min/maxLength 8
    assert pet["kind"] == "pet"
    assert len(pet["nickname"]) == 8


def test_generated_bodies_are_the_same_bytes_for_a_seed_and_differ_across_seeds() -> None:
    spec = str(FIXTURES / "petstore.yaml")
    first = _bodies(load_import(path=spec).mocks)
    assert _bodies(load_import(path=spec).mocks) == first
    other = _bodies(load_import(path=spec, seed=7).mocks)
    assert other["listPets"] != first["listPets"]
    assert other["getPet"] == first["getPet"]  # examples do not depend on the seed


def test_swagger2_base_path_produces_examples_definitions_and_parameter_examples() -> None:
    mocks = load_import(path=str(FIXTURES / "swagger.json")).mocks
    assert _summary(mocks) == [
        ("listUsers", "listUsers", "GET", "/api/v1/users", 200, "application/json"),
        ("getUser", "getUser", "GET", "/api/v1/users/{id}", 200, "application/json"),
        ("", "Replace a user", "PUT", "/api/v1/users/{id}", 200, ""),  # `default` is 200
    ]
    assert mocks[0]["http"]["matcher"]["queryParams"] == {"active": "true"}  # Go's %v of the example
    assert mocks[0]["http"]["matcher"]["headers"] == {"X-Tenant": "acme"}
    bodies = _bodies(mocks)
    assert bodies["listUsers"] == '[\n  {\n    "id": 1,\n    "name": "Ada"\n  }\n]'
    assert json.loads(bodies["getUser"]) == {"id": 3, "role": "admin"}  # generated from `definitions`
    assert bodies["Replace a user"] == '{\n  "status": "ok"\n}'  # the Go tool's default body


def _config(tmp_path: Path, spec_name: str, spec_text: str, extra: str = "") -> Path:
    (tmp_path / spec_name).write_text(spec_text)
    config = tmp_path / "mocks.yaml"
    config.write_text(f"imports:\n  - path: {spec_name}\n{extra}")
    return config


def _errors(config: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        compile_files([config], env={})
    return [d.render().replace(str(config.parent) + "/", "") for d in info.value.diagnostics]


SPEC_HEAD = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (SPEC_HEAD + "  /a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n",
         "import spec.yaml: openapi: $ref '#/components/responses/Nope' cannot be resolved "
         "(at spec.yaml#/paths/~1a/get/responses/200/$ref)"),
        (SPEC_HEAD + "  /a:\n    get:\n      responses:\n        '200':\n          description: x\n"
         "          content: {application/json: {schema: {$ref: 'other.yaml#/X'}}}\n",
         "import spec.yaml: openapi: $ref 'other.yaml#/X' cannot be resolved "
         "(at spec.yaml#/paths/~1a/get/responses/200/content/application~1json/schema/$ref)"),
        ("openapi: 3.0.0\npaths: {/a: [unclosed\n",
         "import spec.yaml: openapi: invalid YAML at line 3, column 1: did not find expected ',' or ']' "
         "(at spec.yaml)"),
        ("openapi: 3.0.0\npaths: [1, 2]\n",
         "import spec.yaml: openapi: paths must be an object (at spec.yaml#/paths)"),
    ],
)  # fmt: skip
def test_a_broken_spec_is_one_error_naming_the_file_and_the_json_pointer(tmp_path, spec, expected) -> None:
    assert _errors(_config(tmp_path, "spec.yaml", spec)) == [f"mocks.yaml:2:5: imports[0]: {expected}"]


def test_a_broken_external_file_names_that_file(tmp_path) -> None:
    (tmp_path / "other.yaml").write_text("X: {type: [unclosed\n")
    spec = SPEC_HEAD + (
        "  /a:\n    get:\n      responses:\n        '200':\n          description: x\n"
        "          content: {application/json: {schema: {$ref: 'other.yaml#/X'}}}\n"
    )
    [error] = _errors(_config(tmp_path, "spec.yaml", spec))
    assert error.startswith("mocks.yaml:2:5: imports[0]: import spec.yaml: openapi: invalid YAML at line 2")
    assert error.endswith("(at other.yaml)")  # the absolute path of the other file, shortened here


@pytest.mark.parametrize(
    ("name", "text", "extra", "expected"),
    [
        ("notes.txt", "hello", "",
         "import notes.txt: could not detect format (expected one of: openapi, mockd, postman, har, wiremock, "
         "curl, mockoon, insomnia, wsdl; set format: to force one)"),
        ("spec.yaml", "openapi: 3.0.0\n", "    format: raml\n", 'import spec.yaml: unknown format "raml"'),
        ("spec.json", '{"info": {}}', "    format: swagger\n",
         "import spec.json: openapi: not a valid OpenAPI 3.x or Swagger 2.0 specification (at spec.json)"),
    ],
)  # fmt: skip
def test_undetectable_and_unknown_formats(tmp_path, name, text, extra, expected) -> None:
    assert _errors(_config(tmp_path, name, text, extra)) == [f"mocks.yaml:2:5: imports[0]: {expected}"]


def test_an_imported_mock_that_fails_validation_is_positioned_at_its_import(tmp_path) -> None:
    spec = SPEC_HEAD + "  a/no-slash:\n    get: {responses: {'200': {description: x}}}\n"
    [error] = _errors(_config(tmp_path, "spec.yaml", spec))
    assert error == "mocks.yaml:2:5: imports[0].mocks[0].http.matcher.path: path must start with /"


def test_extend_reaches_imported_operations_by_method_and_path(tmp_path) -> None:
    shutil.copy(FIXTURES / "swagger.json", tmp_path / "users.json")
    config = tmp_path / "mocks.yaml"
    config.write_text(
        "imports: [{path: users.json, as: u}]\ntables: [{name: users}]\n"
        "extend:\n  - {mock: 'GET /api/v1/users/{id}', table: users, action: get}\n"
        "  - {mock: u.listUsers, table: users, action: list}\n"
    )
    plan = compile_files([config], env={}).plan
    assert [m["action"]["kind"] for m in plan["mocks"]] == ["binding", "binding", "response"]


def test_url_imports_fetch_with_get_and_report_a_404(tmp_path: Path) -> None:
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(FIXTURES))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        mocks = load_import(url=f"{base}/swagger.json?raw=1").mocks  # detected by the path, not the query
        assert [m["operationId"] for m in mocks if m.get("operationId")] == ["listUsers", "getUser"]
        config = tmp_path / "m.yaml"
        config.write_text(f"imports:\n  - url: {base}/nope.yaml\n")
        assert _errors(config) == [f"m.yaml:2:5: imports[0]: import {base}/nope.yaml: not found"]
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_missing_spec_is_one_error_not_one_per_binding(tmp_path: Path) -> None:
    # the Go samples without their downloaded spec (imports-exports §7): the import's error alone, not a
    # "mock not found" for every extend entry that points into it; other bindings are still checked
    config = tmp_path / "mockd.yaml"
    config.write_text(
        "imports: [{path: openai.yaml, as: openai}]\ntables: [{name: models}]\nextend:\n"
        "  - {mock: openai.listModels, table: models, action: list}\n"
        "  - {mock: openai.retrieveModel, table: models, action: get}\n"
        "  - {mock: other.op, table: models, action: get}\n"
    )
    assert _errors(config) == [
        "mockd.yaml:1:11: imports[0]: import openai.yaml: read file openai.yaml: open openai.yaml: no such file "
        "or directory",  # the config's directory is shortened here
        'mockd.yaml:6:12: extend[2].mock: extend "other.op": mock not found (checked operationId, METHOD /path '
        "and mock id)",
    ]


def test_hand_written_mocks_on_imported_routes_are_checked_against_the_spec(tmp_path: Path) -> None:
    # issue 13 ("the spec as a contract"): `mockd validate` warns where a mock answers what the spec
    # it sits on does not promise
    shutil.copy(FIXTURES / "petstore.yaml", tmp_path / "petstore.yaml")
    shutil.copytree(FIXTURES / "schemas", tmp_path / "schemas")
    config = tmp_path / "m.yaml"
    config.write_text(
        "imports: [{path: petstore.yaml}]\nmocks:\n"
        "  - {id: list-fails, http: {matcher: {method: GET, path: /pets}, response: {statusCode: 500}}}\n"
        "  - id: create-text\n    http:\n      matcher: {method: POST, path: /pets}\n"
        "      response: {statusCode: 201, headers: {Content-Type: text/plain}, body: created}\n"
        "  - id: owner-bad\n    http:\n      matcher: {method: GET, path: '/owners/{ownerId}'}\n"
        "      response: {body: {score: high, status: active}}\n"
        "  - id: owner-good\n    http:\n      matcher: {method: GET, path: '/owners/{ownerId}', headers: {X-A: b}}\n"
        "      response: {headers: {Content-Type: application/json; charset=utf-8}, body: {score: 5}}\n"
    )
    warnings = [d.render() for d in compile_files([config], env={}).warnings if d.slug.startswith("spec_")]
    assert [w.replace(f"{tmp_path}/", "") for w in warnings] == [
        "m.yaml:3:89: mocks[0].http.response.statusCode: warning: mock 'list-fails' (GET /pets) does not match "
        "petstore.yaml: status 500 is not one of its responses (200)",
        "m.yaml:7:44: mocks[1].http.response.headers: warning: mock 'create-text' (POST /pets) does not match "
        "petstore.yaml: content type text/plain is not one of application/json for status 201",
        "m.yaml:11:24: mocks[2].http.response.body: warning: mock 'owner-bad' (GET /owners/{ownerId}) does not "
        "match petstore.yaml: body.score: expected number, but got string",
    ]


def test_prefix_puts_imported_paths_under_a_base_path(tmp_path: Path) -> None:
    # ours (the Go tool ignores `servers`): `prefix: /v1` serves the spec where its clients call it
    shutil.copy(FIXTURES / "petstore.yaml", tmp_path / "petstore.yaml")
    shutil.copytree(FIXTURES / "schemas", tmp_path / "schemas")
    config = tmp_path / "m.yaml"
    config.write_text(
        "imports: [{path: petstore.yaml, prefix: /v1/}]\ntables: [{name: pets}]\n"
        "extend: [{mock: 'GET /v1/pets', table: pets, action: list}]\n"
        "mocks:\n  - {id: wrong, http: {matcher: {method: GET, path: /v1/health}, response: {statusCode: 500}}}\n"
    )
    result = compile_files([config], env={})
    paths = [m["mock"]["http"]["matcher"]["path"] for m in result.plan["mocks"]]
    assert paths == ["/v1/health", "/v1/health", "/v1/owners/{ownerId}", "/v1/pets", "/v1/pets", "/v1/pets/{petId}",
                     "/v1/pets/{petId}"]  # fmt: skip
    assert [m["action"]["kind"] for m in result.plan["mocks"]][3] == "binding"
    assert [d.slug for d in result.warnings if d.slug.startswith("spec_")] == ["spec_status_mismatch"]


def test_a_spec_from_a_url_fetches_its_relative_refs_from_there() -> None:
    # issue 13: petstore.yaml refers to schemas/common.yaml; fetched from a URL, that file comes from the URL too
    files = FileServer(FIXTURES)
    try:
        remote = load_import(url=f"{files.base}/petstore.yaml").mocks
        assert files.seen == ["/petstore.yaml", "/schemas/common.yaml"]
    finally:
        files.close()
    assert _bodies(remote) == _bodies(load_import(path=str(FIXTURES / "petstore.yaml")).mocks)


def test_a_local_spec_may_ref_a_url_and_a_remote_spec_may_not_ref_a_local_file(tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(FIXTURES / "schemas" / "common.yaml", served / "common.yaml")
    secret = tmp_path / "secret.json"
    secret.write_text('{"token": {"example": "s3cr3t"}}')

    def spec(ref: str) -> str:
        return json.dumps({
            "openapi": "3.0.0", "info": {"title": "t", "version": "1"},
            "paths": {"/owner": {"get": {"responses": {"200": {"description": "x", "content": {
                "application/json": {"schema": {"$ref": ref}}}}}}}},
        })  # fmt: skip

    files = FileServer(served)
    try:
        (tmp_path / "local.json").write_text(spec(f"{files.base}/common.yaml#/Owner"))
        [mock] = load_import(path=str(tmp_path / "local.json")).mocks
        owner = json.loads(mock["http"]["response"]["body"])
        assert (owner["status"], owner["score"]) == ("active", 5)
        assert files.seen == ["/common.yaml"]

        # Served from a URL, a spec must not reach into this machine's files.
        (served / "leak.json").write_text(spec(f"file://{secret}#/token"))
        with pytest.raises(ImportFailure) as err:
            load_import(url=f"{files.base}/leak.json")
    finally:
        files.close()
    assert err.value.message == f"openapi: $ref 'file://{secret}#/token' cannot be resolved"
