"""issue 13: a config that imports an OpenAPI spec, binds stateful tables on top through `extend` (the Go
tool's "digital twin" samples) and hides a field with a response transform, exercised over HTTP — from
source in both config formats, and from a plan with the spec gone."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.harness import MockdProcess, free_port, request, run_cli

FIXTURES = Path(__file__).parent / "fixtures"

LIST_META = {"limit": 100, "offset": 0, "has_more": False}


def _copy_fixtures(tmp_path: Path, fmt: str) -> Path:
    shutil.copy(FIXTURES / "petstore.yaml", tmp_path / "petstore.yaml")
    shutil.copytree(FIXTURES / "schemas", tmp_path / "schemas")
    config = yaml.safe_load((FIXTURES / "twin.yaml").read_text())
    target = tmp_path / f"twin.{fmt}"
    target.write_text(json.dumps(config) if fmt == "json" else (FIXTURES / "twin.yaml").read_text())
    return target


@pytest.fixture(params=["yaml", "json", "plan"])
def twin(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MockdProcess]:
    if request.param == "plan":
        config = _copy_fixtures(tmp_path, "yaml")
        done = run_cli("compile", str(config), "-o", str(tmp_path / "twin.plan"))
        assert done.returncode == 0, done.stderr
        (tmp_path / "petstore.yaml").unlink()  # the plan holds the imported mocks: no spec at run time
        shutil.rmtree(tmp_path / "schemas")
        args = ["--plan", str(tmp_path / "twin.plan")]
    else:
        args = ["-c", str(_copy_fixtures(tmp_path, request.param))]
    proc = MockdProcess(args, free_port(), free_port(), cwd=Path("/")).start()  # a relative import, any cwd
    yield proc
    proc.stop()


def test_imported_spec_with_tables_extend_and_transform_over_http(twin: MockdProcess) -> None:
    listed = request(twin.url + "/pets")
    assert (listed.status, listed.headers["content-type"]) == (200, "application/json")
    assert listed.json() == {
        "data": [{"id": "2", "name": "Tom", "tag": "cat"}, {"id": "1", "name": "Rex", "tag": "dog"}],
        "meta": {"total": 2, "count": 2, **LIST_META},
    }  # the table's `fields.hide` transform drops `secret`
    got = request(twin.url + "/pets/1")
    assert (got.status, got.json()) == (200, {"id": "1", "name": "Rex", "tag": "dog"})
    created = request(twin.url + "/pets", "POST", {"id": "3", "name": "Kit", "secret": "x"})
    assert created.status == 201
    assert {k: v for k, v in created.json().items() if k not in ("createdAt", "updatedAt")} == {
        "id": "3",
        "name": "Kit",
    }
    assert request(twin.url + "/pets/3").json()["name"] == "Kit"
    missing = request(twin.url + "/pets/9")
    assert (missing.status, missing.json()["error"]) == (404, 'resource "pets" item "9" not found')

    # unbound operations serve the spec's responses: a generated body, the same bytes on every start
    owner = request(twin.url + "/owners/7")
    assert (owner.status, owner.headers["content-type"]) == (200, "application/json")
    assert owner.body.decode() == (
        '{\n  "email": "dennis.grove@example.com",\n  "manager": null,\n  "pets": [\n    {\n'
        '      "kind": "pet",\n      "nickname": "jhwuklas"\n    }\n  ],\n  "score": 5,\n'
        '  "status": "active"\n}'
    )
    deleted = request(twin.url + "/pets/2", "DELETE")
    assert (deleted.status, deleted.body) == (204, b"")
    # the file's own mock comes first and wins over the imported one with the same route
    health = request(twin.url + "/health")
    assert (health.status, health.body) == (200, b"hand-written")


def test_imported_mocks_are_listed_by_the_admin_api_with_their_operation_ids(twin: MockdProcess) -> None:
    mocks = request(twin.admin + "/mocks").json()
    listed = mocks["mocks"] if isinstance(mocks, dict) else mocks
    ops = [
        (m.get("operationId", ""), m["http"]["matcher"]["method"], m["http"]["matcher"]["path"])
        for m in listed
    ]
    assert ops == [
        ("", "GET", "/health"),
        ("pets.healthCheck", "GET", "/health"),
        ("pets.getOwner", "GET", "/owners/{ownerId}"),
        ("pets.listPets", "GET", "/pets"),
        ("pets.createPet", "POST", "/pets"),
        ("pets.getPet", "GET", "/pets/{petId}"),
        ("pets.deletePet", "DELETE", "/pets/{petId}"),
    ]


def test_validate_true_checks_requests_against_the_spec(tmp_path: Path) -> None:
    # issue 13 ("the spec as a contract"): parameters and the JSON request body become http.validation
    _copy_fixtures(tmp_path, "yaml")
    config = tmp_path / "contract.yaml"
    config.write_text(
        "imports: [{path: petstore.yaml, validate: true}]\ntables: [{name: pets}]\n"
        "extend: [{mock: createPet, table: pets, action: create}]\n"
    )
    proc = MockdProcess(["-c", str(config)], free_port(), free_port()).start()
    try:
        bad = request(proc.url + "/pets", "POST", {"name": "K", "tag": "cow"})
        assert (bad.status, bad.headers["content-type"]) == (400, "application/problem+json")
        assert bad.json() == {
            "type": "validation_error", "title": "Request Validation Failed", "status": 400,
            "detail": "2 validation errors",
            "errors": [
                {"field": "name", "location": "body", "code": "schema", "message": "length must be >= 2, but got 1"},
                {"field": "tag", "location": "body", "code": "schema",
                 "message": 'value must be one of "dog", "cat", <nil>'},
            ],
        }  # fmt: skip
        # `nullable` allows null; the readOnly `id` is not required in a request
        good = request(proc.url + "/pets", "POST", {"name": "Kit", "tag": None})
        assert (good.status, good.json()["name"], good.json()["tag"]) == (201, "Kit", None)
        path = request(proc.url + "/pets/abc")
        assert (path.status, path.json()["errors"]) == (400, [{
            "field": "petId", "location": "path", "code": "pattern", "message": "must match pattern '^[0-9]+$'",
            "received": "abc", "expected": "pattern: ^[0-9]+$", "hint": "Ensure 'petId' matches the required format",
        }])  # fmt: skip
        assert request(proc.url + "/pets/12").status == 200
        assert request(proc.url + "/pets?limit=five").json()["errors"][0]["field"] == "limit"
        assert request(proc.url + "/pets?limit=5").status == 200
    finally:
        proc.stop()
