"""Verification over HTTP (mockd-reference §5.3, §12.4; design D4): exact counts, Go's sentences, invocations."""

from __future__ import annotations

import threading

import pytest
import requests

from tests.admin.helpers import TS, answer, create, error, http_mock, stamps
from tests.harness import MockdProcess

pytestmark = pytest.mark.usefixtures("clean")


def call(server: MockdProcess, path: str, n: int = 1) -> None:
    with requests.Session() as s:
        for _ in range(n):
            assert s.get(server.url + path).status_code == 200


def verify(server: MockdProcess, mock_id: str, criteria: object) -> tuple[int, dict]:
    """POST the criteria as JSON (bytes are sent as they are)."""
    url = f"{server.admin}/mocks/{mock_id}/verify"
    if isinstance(criteria, bytes):
        return answer(requests.post(url, data=criteria))
    return answer(requests.post(url, json=criteria))


@pytest.fixture
def ping(server: MockdProcess) -> str:
    create(server.admin, http_mock("/ping", id="ping"))
    return "ping"


def test_get_verify_before_and_after_calls(server: MockdProcess, ping: str) -> None:
    # lastCalledAt is omitted while the count is 0; there is no firstCalledAt (reference §10.10)
    assert answer(requests.get(server.admin + "/mocks/ping/verify")) == (
        200,
        {"mockId": "ping", "callCount": 0},
    )
    call(server, "/ping", 2)
    status, body = answer(requests.get(server.admin + "/mocks/ping/verify"))
    assert (status, stamps(body), list(body)) == (
        200, {"mockId": "ping", "callCount": 2, "lastCalledAt": TS}, ["mockId", "callCount", "lastCalledAt"],
    )  # fmt: skip
    last_invocation = requests.get(server.admin + "/mocks/ping/invocations?limit=1").json()["invocations"][0]
    assert body["lastCalledAt"] == last_invocation["timestamp"]


# reference §5.3 / §12.4: evaluation order and the exact sentences; HTTP 200 whether it passed or not
@pytest.mark.parametrize(
    ("calls", "criteria", "expected"),
    [
        (0, {"never": True}, {"passed": True, "actual": 0, "expected": "never (0 times)",
                              "message": "Mock was never called as expected"}),
        (2, {"never": True}, {"passed": False, "actual": 2, "expected": "never (0 times)",
                              "message": "Expected mock to never be called, but it was called 2 time(s)"}),
        (2, {"never": True, "exactly": 2}, {"passed": False, "actual": 2, "expected": "never (0 times)",
                                            "message": "Expected mock to never be called, but it was called 2 time(s)"}),
        (1, {"exactly": 1}, {"passed": True, "actual": 1, "expected": "exactly 1 time(s)",
                             "message": "Mock was called exactly 1 time(s) as expected"}),
        (1, {"exactly": 3}, {"passed": False, "actual": 1, "expected": "exactly 3 time(s)",
                             "message": "Expected mock to be called exactly 3 time(s), but it was called 1 time(s)"}),
        (1, {"exactly": 1, "atLeast": 5}, {"passed": True, "actual": 1, "expected": "exactly 1 time(s)",
                                           "message": "Mock was called exactly 1 time(s) as expected"}),
        (1, {"atLeast": 1, "atMost": 2}, {"passed": True, "actual": 1,
                                          "expected": "at least 1 time(s) and at most 2 time(s)",
                                          "message": "Mock was called 1 time(s), matching expectations"}),
        (3, {"atLeast": 4, "atMost": 2}, {"passed": False, "actual": 3,
                                          "expected": "at least 4 time(s) and at most 2 time(s)",
                                          "message": "Verification failed: expected at least 4 call(s) but got 3; "
                                                     "expected at most 2 call(s) but got 3"}),
        (3, {"atMost": 2}, {"passed": False, "actual": 3, "expected": "at most 2 time(s)",
                            "message": "Verification failed: expected at most 2 call(s) but got 3"}),
        (0, {"atLeast": 1}, {"passed": False, "actual": 0, "expected": "at least 1 time(s)",
                             "message": "Verification failed: expected at least 1 call(s) but got 0"}),
        (2, {"never": False}, {"passed": True, "actual": 2,
                               "message": "Mock was called 2 time(s), matching expectations"}),
        (1, {"EXACTLY": 1, "unknown": "ignored"}, {"passed": True, "actual": 1, "expected": "exactly 1 time(s)",
                                                   "message": "Mock was called exactly 1 time(s) as expected"}),
        (1, {"exactly": None, "atMost": 1}, {"passed": True, "actual": 1, "expected": "at most 1 time(s)",
                                             "message": "Mock was called 1 time(s), matching expectations"}),
    ],
)  # fmt: skip
def test_verify_sentences(
    server: MockdProcess, ping: str, calls: int, criteria: dict, expected: dict
) -> None:
    call(server, "/ping", calls)
    status, body = verify(server, ping, criteria)
    assert (status, body, list(body)) == (200, expected, list(expected))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, error(400, "missing_criteria", "At least one verification criterion is required (atLeast, atMost, exactly, or never)")),
        ({"exactly": None}, error(400, "missing_criteria", "At least one verification criterion is required (atLeast, atMost, exactly, or never)")),
        (b"null", error(400, "missing_criteria", "At least one verification criterion is required (atLeast, atMost, exactly, or never)")),
        ({"exactly": "3"}, error(400, "invalid_json", "Invalid JSON in request body")),
        ({"exactly": 1.5}, error(400, "invalid_json", "Invalid JSON in request body")),
        ({"never": "yes"}, error(400, "invalid_json", "Invalid JSON in request body")),
        ([1], error(400, "invalid_json", "Invalid JSON in request body")),
        (b"", error(400, "invalid_json", "Invalid JSON in request body")),
        (b"{", error(400, "invalid_json", "Invalid JSON in request body")),
        (b'{"exactly": 0} trailing bytes are ignored, as by json.Decoder',
         (200, {"passed": True, "actual": 0, "expected": "exactly 0 time(s)",
                "message": "Mock was called exactly 0 time(s) as expected"})),
    ],
)  # fmt: skip
def test_verify_bad_bodies(server: MockdProcess, ping: str, body: object, expected: tuple[int, dict]) -> None:
    assert verify(server, ping, body) == expected


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/mocks/ghost/verify"), ("POST", "/mocks/ghost/verify"), ("GET", "/mocks/ghost/invocations"),
     ("DELETE", "/mocks/ghost/invocations")],
)  # fmt: skip
def test_unknown_mock_is_404_with_a_capital_m(server: MockdProcess, method: str, path: str) -> None:
    # the mock is looked up first, so even a bad body gets the 404
    r = requests.request(method, server.admin + path, data=b"{")
    assert answer(r) == error(404, "not_found", "Mock not found")


def test_150_calls_verify_exactly_150(server: MockdProcess, ping: str) -> None:
    # D4: the Go tool counts matches among its newest 100 log entries and would report 100 here
    call(server, "/ping", 150)
    assert verify(server, ping, {"exactly": 150}) == (
        200,
        {"passed": True, "actual": 150, "expected": "exactly 150 time(s)",
         "message": "Mock was called exactly 150 time(s) as expected"},
    )  # fmt: skip
    invocations = requests.get(server.admin + "/mocks/ping/invocations?limit=5").json()
    assert (invocations["count"], invocations["total"]) == (5, 150)


def test_8_threads_by_1000_requests_verify_exactly_8000(server: MockdProcess, ping: str) -> None:
    failures: list[int] = []

    def worker() -> None:
        with requests.Session() as s:
            for _ in range(1000):
                status = s.get(server.url + "/ping").status_code
                if status != 200:
                    failures.append(status)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert verify(server, ping, {"exactly": 8000}) == (
        200,
        {"passed": True, "actual": 8000, "expected": "exactly 8000 time(s)",
         "message": "Mock was called exactly 8000 time(s) as expected"},
    )  # fmt: skip
    assert requests.get(server.admin + "/mocks/ping/verify").json()["callCount"] == 8000


def test_invocations_newest_first_with_paging(server: MockdProcess, ping: str) -> None:
    with requests.Session() as s:
        for i in range(5):
            s.get(server.url + f"/ping?i={i}", headers={"X-Seq": str(i), "X-Multi": "a"})
    r = requests.get(server.admin + "/mocks/ping/invocations")
    status, body = answer(r)
    assert (status, body["count"], body["total"]) == (200, 5, 5)
    assert [inv["headers"]["X-Seq"] for inv in body["invocations"]] == ["4", "3", "2", "1", "0"]
    first = body["invocations"][0]
    assert stamps(first) == {
        "id": first["id"],
        "timestamp": TS,
        "method": "GET",
        "path": "/ping",  # no query string in an invocation, as in Go
        "headers": {"Accept": "*/*", "Accept-Encoding": first["headers"]["Accept-Encoding"],
                    "Connection": "keep-alive", "User-Agent": first["headers"]["User-Agent"],
                    "X-Multi": "a", "X-Seq": "4"},
    }  # fmt: skip
    assert list(first["headers"]) == sorted(first["headers"])  # a Go map: keys sorted
    page = requests.get(server.admin + "/mocks/ping/invocations?limit=2&offset=1").json()
    assert ([i["headers"]["X-Seq"] for i in page["invocations"]], page["count"], page["total"]) == (
        ["3", "2"],
        2,
        5,
    )
    past = requests.get(server.admin + "/mocks/ping/invocations?offset=10").json()
    assert past == {"invocations": [], "count": 0, "total": 5}
    # Go ignores a negative or non-numeric limit/offset here (no 400, unlike GET /mocks)
    lax = requests.get(server.admin + "/mocks/ping/invocations?limit=-1&offset=-3").json()
    assert (lax["count"], lax["total"]) == (5, 5)


def test_invocation_body_is_kept_and_empty_parts_are_omitted(server: MockdProcess) -> None:
    create(server.admin, http_mock("/in", method="POST", id="in"))
    requests.post(server.url + "/in", data=b'{"amount": 49.99}', headers={"Content-Type": "application/json"})
    inv = requests.get(server.admin + "/mocks/in/invocations").json()["invocations"][0]
    assert (inv["body"], inv["headers"]["Content-Type"], inv["headers"]["Content-Length"]) == (
        '{"amount": 49.99}', "application/json", "17",
    )  # fmt: skip
    assert list(inv) == ["id", "timestamp", "method", "path", "headers", "body"]


def test_total_is_the_true_count_beyond_the_log(mockd_server) -> None:  # type: ignore[no-untyped-def]
    # D4: the log keeps 10 entries here; the count and `total` still see all 25 calls
    server = mockd_server("--max-log-entries", "10")
    create(server.admin, http_mock("/ping", id="ping"))
    call(server, "/ping", 25)
    body = requests.get(server.admin + "/mocks/ping/invocations").json()
    assert (body["count"], body["total"]) == (10, 25)
    assert verify(server, "ping", {"exactly": 25})[1]["passed"] is True


def test_delete_invocations_resets_one_mock(server: MockdProcess, ping: str) -> None:
    create(server.admin, http_mock("/other", id="other"))
    call(server, "/ping", 3)
    call(server, "/other", 2)
    r = requests.delete(server.admin + "/mocks/ping/invocations")
    assert answer(r) == (200, {"cleared": 3, "message": "Invocations cleared", "mockId": "ping"})
    assert requests.get(server.admin + "/mocks/ping/verify").json() == {"mockId": "ping", "callCount": 0}
    assert requests.get(server.admin + "/mocks/other/verify").json()["callCount"] == 2
    call(server, "/ping")
    assert verify(server, ping, {"exactly": 1})[1]["passed"] is True


def test_delete_verify_resets_everything(server: MockdProcess, ping: str) -> None:
    call(server, "/ping", 2)
    requests.get(server.url + "/unmatched")
    assert answer(requests.delete(server.admin + "/verify")) == (
        200, {"cleared": 3, "message": "All verification data cleared"},
    )  # fmt: skip
    assert requests.get(server.admin + "/mocks/ping/verify").json() == {"mockId": "ping", "callCount": 0}
    assert requests.get(server.admin + "/requests").json() == {"requests": [], "count": 0, "total": 0}
    assert requests.get(server.admin + "/mocks/ping/invocations").json()["total"] == 0


def test_counts_include_delayed_and_templated_replies(server: MockdProcess) -> None:
    mock = http_mock("/slow", id="slow", body="{{request.query.x}}")
    mock["http"]["response"]["delayMs"] = 20
    create(server.admin, mock)
    call(server, "/slow?x=1", 3)
    assert verify(server, "slow", {"exactly": 3})[1]["passed"] is True
