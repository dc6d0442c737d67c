"""Recording passthrough traffic (issue 17): the Go tool's recording shape, redaction before storing, the
`/recordings` admin routes, and conversion to mocks that answer once the upstream is gone."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator

import pytest
import yaml

from tests.harness import MockdProcess, request
from tests.proxy.upstream import upstream_server


@pytest.fixture
def upstream() -> Iterator[str]:
    with upstream_server() as url:
        yield url


def _recorder(mockd_server: Callable[..., MockdProcess], upstream: str) -> MockdProcess:
    return mockd_server("--upstream", upstream, "--record", "--redact-field", "password,authorization",
                        "--redact-header", "X-Trace")  # fmt: skip


def _traffic(server: MockdProcess) -> None:
    assert (
        request(server.url + "/echo/users?page=1", headers={"Authorization": "Bearer s3cret"}).status == 200
    )
    assert request(server.url + "/echo/users?page=2").status == 200
    created = request(server.url + "/status/201", method="POST", body={"user": "ada", "password": "hunter2"},
                      headers={"X-Trace": "abc"})  # fmt: skip
    assert created.status == 201
    assert request(server.url + "/status/404").status == 404


def test_recordings_have_the_go_shape_and_are_redacted(
    mockd_server: Callable[..., MockdProcess], upstream: str
) -> None:
    server = _recorder(mockd_server, upstream)
    _traffic(server)
    listed = request(server.admin + "/recordings").json()
    assert (listed["total"], listed["limit"], listed["offset"]) == (4, 0, 0)
    recs = listed["recordings"]
    assert [(r["request"]["method"], r["request"]["path"], r["response"]["statusCode"]) for r in recs] == [
        ("GET", "/echo/users", 200), ("GET", "/echo/users", 200), ("POST", "/status/201", 201),
        ("GET", "/status/404", 404),
    ]  # fmt: skip
    first = recs[0]
    assert list(first) == ["id", "sessionId", "timestamp", "request", "response", "duration"]
    assert len(first["id"]) == 16
    assert int(first["id"], 16) >= 0
    assert isinstance(first["duration"], int)
    assert first["duration"] > 0
    assert list(first["request"]) == ["method", "url", "path", "host", "scheme", "headers"]
    assert first["request"]["url"] == upstream + "/echo/users?page=1"
    assert (first["request"]["host"], first["request"]["scheme"]) == (
        upstream.removeprefix("http://"),
        "http",
    )
    assert first["request"]["headers"]["Authorization"] == ["[REDACTED]"]
    assert first["response"]["statusText"] == "200 OK"
    assert first["response"]["headers"]["Set-Cookie"] == ["session=[REDACTED]"]
    echoed = json.loads(base64.b64decode(first["response"]["body"]))
    assert echoed["headers"]["authorization"] == "[REDACTED]"  # a named JSON member, at any depth
    posted = recs[2]
    assert posted["request"]["headers"]["X-Trace"] == ["[REDACTED]"]
    assert json.loads(base64.b64decode(posted["request"]["body"])) == {
        "user": "ada",
        "password": "[REDACTED]",
    }
    assert recs[3]["response"]["statusText"] == "404 Not Found"
    # nothing secret anywhere in what is stored
    assert b"s3cret" not in request(server.admin + "/recordings").body
    assert b"hunter2" not in request(server.admin + "/recordings").body


def test_list_filters_paginate_and_by_id_routes(
    mockd_server: Callable[..., MockdProcess], upstream: str
) -> None:
    server = _recorder(mockd_server, upstream)
    _traffic(server)
    page = request(server.admin + "/recordings?method=GET&limit=2&offset=1").json()
    assert (page["total"], page["limit"], page["offset"], len(page["recordings"])) == (3, 2, 1, 2)
    assert request(server.admin + "/recordings?path=/status/404").json()["total"] == 1
    rec_id = page["recordings"][0]["id"]
    assert request(server.admin + f"/recordings/{rec_id}").json() == page["recordings"][0]
    assert request(server.admin + f"/recordings/{rec_id}", method="DELETE").status == 204
    gone = request(server.admin + f"/recordings/{rec_id}")
    assert (gone.status, gone.json()) == (404, {"error": "not_found", "message": "Recording not found"})
    sessions = request(server.admin + "/sessions").json()
    assert [(s["name"], s["recordingCount"]) for s in sessions] == [("passthrough", 3)]
    assert request(server.admin + "/recordings", method="DELETE").json() == {"deleted": 3}
    assert request(server.admin + "/recordings").json()["total"] == 0
    request(server.url + "/status/200")  # still recording after a clear (the Go tool stops: differences.md)
    assert request(server.admin + "/recordings").json()["total"] == 1
    first = request(server.admin + f"/sessions/{sessions[0]['id']}").json()
    assert list(first) == ["id", "name", "startTime", "recordings"]
    assert len(first["recordings"]) == 1
    made = request(server.admin + "/sessions", method="POST", body={"name": "second"})
    assert made.status == 201
    assert (made.json()["name"], made.json()["recordingCount"]) == ("second", 0)
    unnamed = request(server.admin + "/sessions", method="POST", body={})
    assert (unnamed.status, unnamed.json()["error"]) == (400, "missing_name")
    listed = request(server.admin + "/sessions").json()
    assert "endTime" in listed[0]  # the previous session ended when the new one began
    assert request(server.admin + f"/sessions/{listed[0]['id']}", method="DELETE").status == 204
    assert request(server.admin + f"/sessions/{listed[0]['id']}", method="DELETE").status == 404
    assert [s["name"] for s in request(server.admin + "/sessions").json()] == ["second"]


def test_export_as_json_and_yaml(mockd_server: Callable[..., MockdProcess], upstream: str) -> None:
    server = _recorder(mockd_server, upstream)
    _traffic(server)
    listed = request(server.admin + "/recordings").json()["recordings"]
    out = request(server.admin + "/recordings/export", method="POST", body={})
    assert out.headers["content-type"] == "application/json"
    assert out.body.startswith(b'[\n  {\n    "id": ')
    assert json.loads(out.body) == listed
    one = request(server.admin + "/recordings/export", method="POST",
                  body={"recordingIds": [listed[1]["id"]], "format": "yaml"})  # fmt: skip
    assert one.headers["content-type"] == "application/x-yaml"
    assert yaml.safe_load(one.body) == [listed[1]]
    none = request(server.admin + "/recordings/export", method="POST", body={"recordingIds": ["nope"]})
    assert none.body == b"null"


def test_convert_chooses_matchers_and_the_mocks_answer_without_the_upstream(
    mockd_server: Callable[..., MockdProcess],
) -> None:
    with upstream_server() as upstream:
        server = _recorder(mockd_server, upstream)
        _traffic(server)
        request(server.url + "/status/404")  # a duplicate of the last one
        converted = request(server.admin + "/recordings/convert", method="POST", body={"deduplicate": True})
    assert converted.status == 200
    result = converted.json()
    assert list(result) == ["mockIds", "count"]
    assert result["count"] == 4 == len(result["mockIds"])
    mocks = {m["id"]: m for m in request(server.admin + "/mocks").json()["mocks"]}
    matchers = [mocks[i]["http"]["matcher"] for i in result["mockIds"]]
    assert matchers == [
        {"method": "GET", "path": "/echo/users", "queryParams": {"page": "1"}},  # the query varied
        {"method": "GET", "path": "/echo/users", "queryParams": {"page": "2"}},
        {"method": "POST", "path": "/status/201"},  # a single recording: method + path only
        {"method": "GET", "path": "/status/404"},
    ]
    gone_upstream = request(server.url + "/status/404")  # the upstream is stopped: answered by the mock
    assert (gone_upstream.status, gone_upstream.json()) == (404, {"status": 404, "query": ""})
    page2 = request(server.url + "/echo/users?page=2").json()
    assert page2["query"] == "page=2"
    response = mocks[result["mockIds"][0]]["http"]["response"]
    assert "Content-Length" not in response["headers"]
    assert "Date" not in response["headers"]


def test_to_mock_previews_and_adds(mockd_server: Callable[..., MockdProcess], upstream: str) -> None:
    server = _recorder(mockd_server, upstream)
    _traffic(server)
    rec = request(server.admin + "/recordings?path=/status/201").json()["recordings"][0]
    preview = request(server.admin + f"/recordings/{rec['id']}/to-mock", method="POST").json()
    assert list(preview) == ["mock"]
    assert preview["mock"]["http"]["response"]["statusCode"] == 201
    assert request(server.admin + "/mocks").json()["total"] == 0
    request(server.admin + f"/recordings/{rec['id']}/to-mock?add=true", method="POST")
    assert request(server.admin + "/mocks").json()["total"] == 1


def test_without_a_store(mockd_server: Callable[..., MockdProcess], upstream: str) -> None:
    server = mockd_server("--upstream", upstream)  # passthrough, not recording
    request(server.url + "/echo")
    assert request(server.admin + "/recordings").json() == {
        "recordings": [],
        "total": 0,
        "limit": 0,
        "offset": 0,
    }
    assert request(server.admin + "/recordings", method="DELETE").json() == {"deleted": 0}
    assert request(server.admin + "/recordings/abc").status == 404
    for route in ("/recordings/convert", "/recordings/export"):
        got = request(server.admin + route, method="POST", body={})
        assert (got.status, got.json()) == (
            400,
            {"error": "no_store", "message": "No recording store available"},
        )
    assert request(server.admin + "/sessions").json() == []


def test_convert_with_nothing_to_convert(mockd_server: Callable[..., MockdProcess], upstream: str) -> None:
    server = _recorder(mockd_server, upstream)
    got = request(server.admin + "/recordings/convert", method="POST", body={})
    assert (got.status, got.json()) == (
        400,
        {"error": "no_recordings", "message": "No recordings to convert"},
    )
    bad = request(server.admin + "/recordings/convert", method="POST", body=b"{nope")
    assert (bad.status, bad.json()["error"]) == (400, "invalid_json")


def test_check_sensitive_and_smart_match_preview(
    mockd_server: Callable[..., MockdProcess], upstream: str
) -> None:
    server = _recorder(mockd_server, upstream)
    request(server.url + "/echo/users/12345?token=abc&page=1", headers={"Authorization": "Bearer x",
                                                                        "Cookie": "sid=1; theme=dark"})  # fmt: skip
    rec_id = request(server.admin + "/recordings").json()["recordings"][0]["id"]
    checked = request(server.admin + f"/recordings/{rec_id}/check-sensitive").json()
    assert list(checked) == ["count", "recordingId", "warnings"]
    assert checked["recordingId"] == rec_id
    found = {(w["type"], w["field"], w["location"]) for w in checked["warnings"]}
    assert found == {
        ("header", "Authorization", "request"), ("cookie", "sid", "request"), ("cookie", "session", "response"),
        ("query", "token", "request"),
    }  # fmt: skip
    assert checked["count"] == 4
    assert "Request contains potentially sensitive header: Authorization" in [
        w["message"] for w in checked["warnings"]
    ]
    preview = request(server.admin + f"/recordings/{rec_id}/preview-smart-match", method="POST").json()
    assert preview == {"changed": True, "originalPath": "/echo/users/12345", "recordingId": rec_id,
                       "smartPath": "/echo/users/{id}"}  # fmt: skip


def test_session_to_mocks_with_filters(mockd_server: Callable[..., MockdProcess], upstream: str) -> None:
    server = _recorder(mockd_server, upstream)
    _traffic(server)
    route = server.admin + "/recordings/sessions/latest/to-mocks"
    got = request(route, method="POST", body={"statusFilter": "2xx", "methodFilter": "GET"}).json()
    assert list(got) == ["mocks", "mockIds", "warnings", "filtered", "total", "added"]
    assert (got["filtered"], got["total"], got["added"], got["mockIds"]) == (2, 4, 0, [])
    assert [m["http"]["matcher"].get("queryParams") for m in got["mocks"]] == [{"page": "1"}, {"page": "2"}]
    assert any("Authorization" in w for w in got["warnings"])
    added = request(route, method="POST", body={"statusFilter": "4xx,5xx", "addToServer": True}).json()
    assert (added["filtered"], added["added"]) == (1, 1)
    assert request(server.admin + "/mocks").json()["total"] == 1
    wild = request(route, method="POST", body={"pathFilter": "/echo/*"}).json()
    assert wild["filtered"] == 2
    missing = request(server.admin + "/recordings/sessions/nope/to-mocks", method="POST")
    assert (missing.status, missing.json()["message"]) == (404, "Session not found")
