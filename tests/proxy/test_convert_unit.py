"""Recording -> mock conversion and redaction as plain functions (mockd.recording)."""

from __future__ import annotations

import pytest

from mockd.recording.convert import ConvertOptions, smart_path, to_mocks
from mockd.recording.model import Recording, RecordingFormatError
from mockd.recording.redact import RedactionRules


def _rec(method: str, url: str, body: bytes = b"", status: int = 200, answer: bytes = b"ok") -> Recording:
    path = url.split("?", 1)[0]
    return Recording(
        id="0" * 16, session_id="s", timestamp="", method=method, url="http://u" + url, path=path, host="u",
        scheme="http", request_headers={"Accept": ["*/*"]}, request_body=body, status=status,
        status_text=f"{status} ", response_headers={"Content-Type": ["text/plain"], "Date": ["x"]},
        response_body=answer, duration_ns=1,
    )  # fmt: skip


def _matchers(mocks: list[dict]) -> list[dict]:
    return [m["http"]["matcher"] for m in mocks]


def test_body_is_matched_only_when_it_varied() -> None:
    recs = [
        _rec("POST", "/login", b'{"u":"a"}'),
        _rec("POST", "/login", b'{"u":"b"}'),
        _rec("POST", "/x", b"1"),
    ]
    assert _matchers(to_mocks(recs)) == [
        {"method": "POST", "path": "/login", "bodyEquals": '{"u":"a"}'},
        {"method": "POST", "path": "/login", "bodyEquals": '{"u":"b"}'},
        {"method": "POST", "path": "/x"},
    ]


@pytest.mark.parametrize(
    ("duplicates", "answers"), [("first", ["1"]), ("last", ["3"]), ("all", ["1", "2", "3"])]
)
def test_duplicates(duplicates: str, answers: list[str]) -> None:
    recs = [_rec("GET", "/a", answer=str(i).encode()) for i in (1, 2, 3)]
    mocks = to_mocks(recs, ConvertOptions(duplicates=duplicates))  # type: ignore[arg-type]
    assert [m["http"]["response"]["body"] for m in mocks] == answers
    assert mocks[0]["http"]["response"]["headers"] == {"Content-Type": "text/plain"}  # Date left out
    assert sorted(mocks[0]) == ["enabled", "http", "id", "type"]


def test_smart_match_and_include_headers() -> None:
    assert (
        smart_path("/users/42/orders/550e8400-e29b-41d4-a716-446655440000/x") == "/users/{id}/orders/{id}/x"
    )
    assert smart_path("/v1/deadbeefdeadbeef/abcdefghijklmnopqrstu/short") == "/v1/{id}/{id}/short"
    recs = [_rec("GET", "/users/1"), _rec("GET", "/users/2")]
    mocks = to_mocks(recs, ConvertOptions(smart_match=True, include_headers=True))
    assert _matchers(mocks) == [{"method": "GET", "path": "/users/{id}", "headers": {"Accept": "*/*"}}]


def test_redaction_rules() -> None:
    rec = _rec("POST", "/", b'{"a":{"Password":"p","keep":1},"list":[{"token":"t"}]}', answer=b"not json")
    rec.request_headers["Authorization"] = ["Bearer x", "Basic y"]
    rec.request_headers["Cookie"] = ["sid=abc; theme=dark"]
    rec.response_headers["Set-Cookie"] = ["sid=new; Path=/; HttpOnly"]
    rules = RedactionRules.build(["x-one, X-Two"], ["password", "TOKEN"])
    assert {"authorization", "cookie", "set-cookie", "x-one", "x-two"} <= rules.headers
    rules.apply(rec)
    assert rec.request_headers["Authorization"] == ["[REDACTED]", "[REDACTED]"]
    assert rec.request_headers["Cookie"] == ["sid=[REDACTED]; theme=[REDACTED]"]
    assert rec.response_headers["Set-Cookie"] == ["sid=[REDACTED]; Path=/; HttpOnly"]
    assert rec.request_body == b'{"a":{"Password":"[REDACTED]","keep":1},"list":[{"token":"[REDACTED]"}]}'
    assert rec.response_body == b"not json"


def test_a_recording_round_trips_and_bad_files_say_where() -> None:
    rec = _rec("POST", "/a?b=1", b"\x00\xff")
    assert Recording.from_json(rec.to_json(), "f").to_json() == rec.to_json()
    with pytest.raises(RecordingFormatError, match=r"^f\[0\]: response.statusCode: expected a status code"):
        Recording.from_json({"request": {}, "response": {"statusCode": "x"}}, "f[0]")
    with pytest.raises(RecordingFormatError, match=r"^f: request: body: not valid base64$"):
        Recording.from_json({"request": {"body": "!!"}, "response": {}}, "f")
