"""Config import/export over HTTP (mockd-reference §5.6): dump, load, replace, dry run, errors."""

from __future__ import annotations

import json

import pytest
import requests
import yaml

from tests.admin.helpers import TS, answer, create, error, http_mock, served, stamps
from tests.harness import MockdProcess

pytestmark = pytest.mark.usefixtures("clean")


def ids(server: MockdProcess) -> list[str]:
    return [m["id"] for m in requests.get(server.admin + "/mocks").json()["mocks"]]


def test_export_shape(server: MockdProcess) -> None:
    create(server.admin, http_mock("/a", id="a", name="A"))
    status, body = answer(requests.get(server.admin + "/config"))
    assert (status, stamps(body)) == (
        200,
        {"version": "1.0", "kind": "MockCollection", "metadata": {"name": "mockd-export"}, "name": "mockd-export",
         "mocks": [{"id": "a", "type": "http", "name": "A", "metaSortKey": "<sort>", "createdAt": TS,
                    "updatedAt": TS, "http": served("GET", "/a")}]},
    )  # fmt: skip
    named = requests.get(server.admin + "/config?name=suite").json()
    assert (named["name"], named["metadata"]) == ("suite", {"name": "suite"})


def test_export_yaml(server: MockdProcess) -> None:
    create(server.admin, http_mock("/y", id="y"))
    r = requests.get(server.admin + "/config?format=YAML")
    assert (r.status_code, r.headers["content-type"]) == (200, "application/x-yaml")
    doc = yaml.safe_load(r.content)
    assert (doc["kind"], [m["id"] for m in doc["mocks"]], doc["mocks"][0]["http"]) == (
        "MockCollection", ["y"], served("GET", "/y"),
    )  # fmt: skip


def test_export_then_import_round_trips(server: MockdProcess) -> None:
    create(server.admin, http_mock("/one", id="one", body='{"a": 1}'))
    create(server.admin, {**http_mock("/two", id="two"), "enabled": False})
    exported = requests.get(server.admin + "/config").json()
    requests.delete(server.admin + "/mocks")
    # the bare collection (it has `mocks`) is accepted as is
    assert answer(requests.post(server.admin + "/config", json=exported)) == (
        200, {"imported": 2, "message": "Configuration imported successfully", "total": 2},
    )  # fmt: skip
    again = requests.get(server.admin + "/config").json()
    # createdAt is kept from the body, updatedAt is the import's; a mock without `enabled` is stored enabled
    expected = json.loads(json.dumps(exported))
    expected["mocks"][0] = {**{k: v for k, v in expected["mocks"][0].items() if k in ("id", "type")},
                            "enabled": True,
                            **{k: v for k, v in expected["mocks"][0].items() if k not in ("id", "type")}}  # fmt: skip
    for before, after in zip(expected["mocks"], again["mocks"], strict=True):
        assert after["updatedAt"] > before["updatedAt"]
        before["updatedAt"] = after["updatedAt"]
    assert again == expected
    assert list(again["mocks"][0]) == [
        "id",
        "type",
        "enabled",
        "metaSortKey",
        "createdAt",
        "updatedAt",
        "http",
    ]
    assert requests.get(server.url + "/one").content == b'{"a": 1}'


def test_import_wrapped_with_replace(server: MockdProcess) -> None:
    create(server.admin, http_mock("/old", id="old"))
    create(server.admin, http_mock("/keep", id="keep", body="before"))
    requests.get(server.url + "/keep")
    body = {"replace": True, "config": {"mocks": [http_mock("/keep", id="keep", body="after"),
                                                  {"id": "new", "http": {"matcher": {"path": "/new"},
                                                                         "response": {"statusCode": 201}}}]}}  # fmt: skip
    assert answer(requests.post(server.admin + "/config", json=body)) == (
        200, {"imported": 2, "message": "Configuration imported successfully", "total": 2},
    )  # fmt: skip
    assert ids(server) == ["keep", "new"]
    new = requests.get(server.admin + "/mocks/new").json()
    assert (new["type"], new["enabled"]) == ("http", True)  # type inferred; imported mocks are enabled
    assert (requests.get(server.url + "/keep").content, requests.get(server.url + "/old").status_code) == (
        b"after",
        404,
    )
    assert requests.get(server.admin + "/mocks/keep/verify").json()["callCount"] == 2  # same id, same counter


def test_import_without_replace_adds_and_overwrites(server: MockdProcess) -> None:
    create(server.admin, http_mock("/a", id="a", body="a1"))
    create(server.admin, http_mock("/b", id="b"))
    r = requests.post(server.admin + "/config?replace=false",
                      json={"config": {"mocks": [http_mock("/a", id="a", body="a2"), http_mock("/c", id="c")]}})  # fmt: skip
    assert (r.status_code, r.json()["imported"], r.json()["total"]) == (200, 2, 3)
    assert (ids(server), requests.get(server.url + "/a").content) == (["a", "b", "c"], b"a2")


def test_import_replace_by_query(server: MockdProcess) -> None:
    create(server.admin, http_mock("/gone", id="gone"))
    r = requests.post(server.admin + "/config?replace=true", json={"mocks": [http_mock("/n", id="n")]})
    assert (r.status_code, ids(server)) == (200, ["n"])


def test_import_yaml(server: MockdProcess) -> None:
    doc = "config:\n  mocks:\n    - id: fromyaml\n      type: http\n      http:\n        matcher: {path: /yaml}\n" \
          "        response:\n          statusCode: 200\n          body: {b: 1, a: 2}\n"  # fmt: skip
    r = requests.post(server.admin + "/config", data=doc, headers={"Content-Type": "application/x-yaml"})
    assert (r.status_code, r.json()["imported"]) == (200, 1)
    assert requests.get(server.url + "/yaml").content == b'{"a":2,"b":1}'  # YAML mapping: sorted compact JSON


def test_dry_run_changes_nothing(server: MockdProcess) -> None:
    body = {
        "config": {"mocks": [http_mock("/d1"), None, http_mock("/d2")], "statefulResources": [{"name": "u"}]}
    }
    assert answer(requests.post(server.admin + "/config?dryRun=true", json=body)) == (
        200, {"dryRun": True, "mocks": 2, "statefulResources": 1},
    )  # fmt: skip
    assert ids(server) == []


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"{", "application/json", error(400, "invalid_json", "Invalid JSON in request body")),
        (b'{"config": {"mocks": []}} trailing', "application/json", error(400, "invalid_json", "Invalid JSON in request body")),
        (b'{"replace": "yes", "config": {"mocks": []}}', "application/json", error(400, "invalid_json", "Invalid JSON in request body")),
        (b'{"config": {"mocks": {"not": "a list"}}}', "application/json", error(400, "invalid_json", "Invalid JSON in request body")),
        (b"{}", "application/json", error(400, "missing_config", "config field is required")),
        (b'{"mocks": null}', "application/json", error(400, "missing_config", "config field is required")),
        (b'{"replace": true}', "application/json", error(400, "missing_config", "config field is required")),
        (b"config: [unclosed", "application/yaml", error(400, "invalid_yaml", "Invalid YAML in request body")),
        (json.dumps({"config": {"mocks": [http_mock("/ok"), {"id": "bad", "type": "http",
                                                             "http": {"matcher": {"path": "nope"}}}]}}).encode(),
         "application/json",
         error(400, "validation_error", 'mock at index 1 (id="bad"): validation error on matcher.path: path must start with /')),
    ],
)  # fmt: skip
def test_import_errors_change_nothing(
    server: MockdProcess, body: bytes, content_type: str, expected: tuple[int, dict]
) -> None:
    create(server.admin, http_mock("/kept", id="kept"))
    r = requests.post(
        server.admin + "/config?replace=true", data=body, headers={"Content-Type": content_type}
    )
    assert answer(r) == expected
    assert ids(server) == ["kept"]


def test_import_registers_stateful_resources_once(server: MockdProcess) -> None:
    resource = {"name": "imported", "basePath": "/api/imported", "seedData": [{"id": "1", "n": "a"}]}
    body = {"config": {"mocks": [], "statefulResources": [resource],
                       "customOperations": [{"name": "op", "steps": [{"type": "read", "resource": "imported"}]}]}}  # fmt: skip
    assert answer(requests.post(server.admin + "/config", json=body)) == (
        200, {"imported": 0, "message": "Configuration imported successfully", "statefulResources": 1, "total": 0},
    )  # fmt: skip
    assert requests.get(server.url + "/api/imported/1").json()["n"] == "a"  # legacy basePath routing
    # a second import of the same name is skipped: the seed is not replaced (as the Go tool)
    again = {"config": {"mocks": [], "statefulResources": [{**resource, "seedData": [{"id": "2"}]}]}}
    assert requests.post(server.admin + "/config?replace=true", json=again).status_code == 200
    assert requests.get(server.url + "/api/imported/1").status_code == 200
    exported = requests.get(server.admin + "/config").json()
    assert exported["statefulResources"] == [
        {
            "name": "imported",
            "basePath": "/api/imported",
            "idField": "id",
            "seedData": [{"id": "1", "n": "a"}],
        }
    ]
    assert [op["name"] for op in exported["customOperations"]] == ["op"]
