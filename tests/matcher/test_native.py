"""Exact-shape tests of the PyO3 surface `mockd._native` (see `mockd/_native.pyi`)."""

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mockd._native import HitCounts, Matcher, MatcherBuildError, check_jsonpath, check_regex, metric_path

from .routes import route


def test_build_error_lists_every_bad_route():
    bad_key = route(path="/ok")
    del bad_key["priority"]
    with pytest.raises(MatcherBuildError) as info:
        Matcher(
            [
                route(pathPattern="("),
                route(path="/fine"),
                route(bodyPattern="[", bodyJsonPath=[("$.", "eq", "1"), ("$.a", "sometimes", None)]),
                bad_key,
                route(path="/x", pathPattern="^/x"),
                route(headers="X-A: 1"),
            ]
        )
    err = info.value
    assert isinstance(err, ValueError)
    errors = err.errors
    # Reasons quote the underlying parser; their text is not part of the contract.
    reasons = [e.pop("reason") for e in errors]
    assert all(isinstance(r, str) and r for r in reasons)
    assert errors == [
        {"route": 2, "field": "bodyJsonPath", "fragment": "sometimes", "type": "invalid_route"},
        {"route": 3, "field": "priority", "fragment": "", "type": "invalid_route"},
        {"route": 5, "field": "headers", "fragment": "'X-A: 1'", "type": "invalid_route"},
    ]


def test_build_error_after_reading_lists_every_bad_route():
    with pytest.raises(MatcherBuildError) as info:
        Matcher(
            [
                route(pathPattern="("),
                route(path="/fine"),
                route(bodyPattern="[", bodyJsonPath=[("$.", "eq", "1"), ("$.a", "eq", "{bad")]),
                route(path="/x", pathPattern="^/x"),
            ]
        )
    summary = [(e["route"], e["field"], e["fragment"], e["type"]) for e in info.value.errors]
    assert summary == [
        (0, "pathPattern", "(", "invalid_regex"),
        (2, "bodyPattern", "[", "invalid_regex"),
        (2, "bodyJsonPath", "$.", "invalid_jsonpath"),
        (2, "bodyJsonPath", "{bad", "invalid_json_value"),
        (3, "pathPattern", "/x", "path_and_pattern"),
    ]
    assert info.value.errors[4]["reason"] == "path and pathPattern are mutually exclusive"


def test_header_names_and_len():
    m = Matcher(
        [
            route(method="GET", path="/a", headers=[("X-Api-Key", "k"), ("Accept", "*json")]),
            route(method="GET", path="/b", headers=[("x-api-key", "j")]),
            route(method="POST", path="/c", bodyContains="x"),
        ]
    )
    assert m.header_names == ("accept", "x-api-key")
    assert len(m) == 3
    m.check_invariants()


def test_match_returns_index_and_captures_shapes():
    m = Matcher(
        [
            route(method="GET", path="/users/{id}", captures=True),
            route(method="GET", path="/users/1"),
            route(method="GET", path="/files/*", captures=True),
            route(method="GET", pathPattern=r"^/o/(?P<oid>\d+)$", captures=True),
            route(method="GET", path="/plain", captures=False),
        ]
    )
    assert m.match("GET", "/users/7", "", None, None) == (0, {"id": "7"})
    assert m.match("GET", "/users/1", "", None, None) == (1, None)
    assert m.match("GET", "/files/a/b", "", [], b"") == (2, {"0": "a/b"})
    assert m.match("GET", "/o/42", "", None, None) == (3, {"oid": "42"})
    assert m.match("GET", "/plain", "", None, None) == (4, None)
    assert m.match("HEAD", "/plain", "", None, None) == (4, None)
    assert m.match("POST", "/plain", "", None, None) is None


def test_match_reads_headers_in_header_names_order():
    m = Matcher([route(path="/h", headers=[("X-B", "2"), ("X-A", "1")])])
    assert m.header_names == ("x-a", "x-b")
    assert m.match("GET", "/h", "", ["1", "2"], None) == (0, None)
    assert m.match("GET", "/h", "", ("2", "1"), None) is None
    assert m.match("GET", "/h", "", [None, "2"], None) is None
    with pytest.raises(ValueError, match="expected 2 header values"):
        m.match("GET", "/h", "", ["1"], None)


def test_query_and_body():
    m = Matcher(
        [
            route(
                method="POST",
                path="/q",
                query=[("a", "x y")],
                bodyJsonPath=[("$.n", "eq", "1"), ("k", "exists", None)],
            ),
        ]
    )
    assert m.match("POST", "/q", "a=x+y", None, b'{"n": 1.0, "k": null}') == (0, None)
    assert m.match("POST", "/q", "a=x+y", None, b'{"n": 2, "k": 1}') is None
    assert m.match("POST", "/q", "a=x+y", None, None) is None


def test_explain_facts_for_a_header_mismatch():
    m = Matcher(
        [
            route(method="GET", path="/api/x", headers=[("X-Api-Key", "k")]),
            route(method="POST", path="/other"),
            route(method="GET", path="/api/{id}", query=[("page", "1")], bodyContains="zz"),
        ]
    )
    facts = m.explain("GET", "/api/x", "", [None], b"body")
    assert facts == [
        {
            "route": 0,
            "score": 25,
            "maxPossibleScore": 35,
            "matchPercentage": 71,
            "fields": [
                {
                    "field": "method",
                    "matched": True,
                    "score": 10,
                    "maxScore": 10,
                    "expected": "GET",
                    "actual": "GET",
                },
                {
                    "field": "path",
                    "matched": True,
                    "score": 15,
                    "maxScore": 15,
                    "expected": "/api/x",
                    "actual": "/api/x",
                },
                {
                    "field": "headers",
                    "matched": False,
                    "score": 0,
                    "maxScore": 10,
                    "details": [
                        {"key": "X-Api-Key", "expected": "k", "actual": "(missing)", "matched": False}
                    ],
                },
            ],
        },
        {
            "route": 2,
            "score": 22,
            "maxPossibleScore": 47,
            "matchPercentage": 46,
            "fields": [
                {
                    "field": "method",
                    "matched": True,
                    "score": 10,
                    "maxScore": 10,
                    "expected": "GET",
                    "actual": "GET",
                },
                {
                    "field": "path",
                    "matched": True,
                    "score": 12,
                    "maxScore": 12,
                    "expected": "/api/{id}",
                    "actual": "/api/x",
                },
                {
                    "field": "queryParams",
                    "matched": False,
                    "score": 0,
                    "maxScore": 5,
                    "details": [{"key": "page", "expected": "1", "actual": "(missing)", "matched": False}],
                },
                {
                    "field": "bodyContains",
                    "matched": False,
                    "score": 0,
                    "maxScore": 20,
                    "expected": "zz",
                    "actual": "(body does not contain substring)",
                },
            ],
        },
    ]
    assert m.explain("GET", "/api/x", "", [None], b"body", limit=1) == facts[:1]


def test_explain_body_fields():
    m = Matcher(
        [
            route(
                path="/b",
                bodyEquals="e" * 201,
                bodyPattern="^x",
                bodyJsonPath=[("$.b", "eq", '{"z": 1}'), ("$.a", "exists", None)],
            )
        ]
    )
    [fact] = m.explain("PUT", "/b", "", None, b"xyz")
    assert fact["fields"][1:] == [
        {
            "field": "bodyEquals",
            "matched": False,
            "score": 0,
            "maxScore": 25,
            "expected": "e" * 200 + "...",
            "actual": "xyz",
        },
        {
            "field": "bodyPattern",
            "matched": True,
            "score": 22,
            "maxScore": 22,
            "expected": "^x",
            "actual": "(body matches pattern)",
        },
        {
            "field": "bodyJSONPath",
            "matched": False,
            "score": 0,
            "maxScore": 30,
            "expected": '{"$.a":{"exists":true},"$.b":{"z":1}}',
        },
    ]


def test_check_invariants_on_a_mixed_table():
    table = [route(method="GET", path=f"/api/v1/r{i}") for i in range(50)]
    table += [route(method="GET", path=f"/api/v1/r{i}/{{id}}") for i in range(50)]
    table += [route(method="GET", path=f"/api/v1/w{i}/*") for i in range(50)]
    table += [route(pathPattern="^/x"), route(path="*"), route(path="/a/{b}.json", strict=True)]
    m = Matcher(table)
    m.check_invariants()
    assert len(m) == 153


def test_layout_shape():
    # The data behind `mockd compile --explain`: (index, key labels, [(route, score)]), sorted by index then
    # key; a `*` path that does not start with `/` has no literal prefix and lands in "always".
    m = Matcher([
        route(method="GET", path="/a/{b}.json"),
        route(path="*"),
        route(method="GET", path="/a/{id}", priority=2),
        route(pathPattern="^/x"),
    ])  # fmt: skip
    assert m.layout() == [
        ("exact", ("*",), [(1, 15)]),
        ("exact", ("/a/{b}.json",), [(0, 25)]),
        ("exact", ("/a/{id}",), [(2, 25)]),
        ("params", ("a", "{}"), [(2, 22)]),
        ("params", ("a", "{}.json"), [(0, 22)]),
        ("always", (), [(3, 14), (1, 10)]),
    ]


@pytest.mark.parametrize(
    ("pattern", "ok"),
    [
        (r"^/a/\d+$", True),
        ("(?P<1x>a)", True),
        (r"\Qa.b\E", True),
        ("(", False),
        (r"\1", False),
        ("(?P<a-b>x)", False),
    ],
)
def test_check_regex(pattern, ok):
    result = check_regex(pattern)
    assert (result is None) is ok, result


@pytest.mark.parametrize(
    ("expr", "ok"),
    [
        ("$.a.b", True),
        ("a.b", True),
        ("$..name", True),
        ("$.items[?(@.id == 1)]", True),
        ("$.", False),
        ("$[(@.x)]", False),
    ],
)
def test_check_jsonpath(expr, ok):
    result = check_jsonpath(expr)
    assert (result is None) is ok, result


ALLOWLIST = Path(__file__).with_name("stubtest_allowlist.txt")


def test_stub_matches_the_extension():
    proc = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "mockd._native", "--allowlist", str(ALLOWLIST)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_find_counts_only_routes_with_a_static_status():
    """issue 20: `find` counts a win for a route whose status is non-zero, keyed by the metrics label;
    `find_uncounted` and `match` only look."""
    hits = HitCounts()
    m = Matcher(
        [route(method="GET", path="/users/{id}"), route(method="POST", path="/items")], hits, [200, 0]
    )
    assert m.find("GET", "/users/123", "", None, None) == 0
    assert m.find("GET", "/users/456", "", None, None) == 0
    assert m.find("GET", "/users/ab", "", None, None) == 0
    assert m.find("POST", "/items", "", None, b"x") == 1  # status 0: the caller counts it
    assert m.find("GET", "/nothing", "", None, None) is None
    assert m.find_uncounted("GET", "/users/789", "", None, None) == 0
    assert m.match("GET", "/users/789", "", None, None) == (0, None)
    assert sorted(hits.take()) == [("GET", "/users/ab", 200, 1), ("GET", "/users/{id}", 200, 2)]
    assert len(hits) == 2
    assert hits.take() == []  # taken: counting restarts at zero, the keys stay
    assert len(hits) == 2
    m.find("GET", "/users/123", "", None, None)
    assert hits.take() == [("GET", "/users/{id}", 200, 1)]


def test_tables_sharing_one_hit_counter_add_up():
    hits = HitCounts()
    old = Matcher([route(method="GET", path="/a")], hits, [204])
    new = Matcher([route(method="GET", path="/b"), route(method="GET", path="/a")], hits, [0, 204])
    old.find("GET", "/a", "", None, None)
    new.find("GET", "/a", "", None, None)
    new.find("GET", "/b", "", None, None)
    assert hits.take() == [("GET", "/a", 204, 2)]


def test_hit_counts_need_one_status_per_route():
    with pytest.raises(ValueError, match=r"^expected 2 statuses \(one per route, 0 for a route not counted "
                                         r"here\), got 1$"):  # fmt: skip
        Matcher([route(path="/a"), route(path="/b")], HitCounts(), [200])
    assert len(Matcher([route(path="/a")], None, [1, 2, 3])) == 1  # without a counter the list is unused


def test_hit_counts_are_exact_under_many_threads():
    """One counter is shared by every route table and every thread that matches (the near-miss pool, the
    main loop): 8 threads interleaving their calls on one key add up exactly. Today the GIL serialises the
    calls; the count must stay exact if `find` ever releases it (the counter's own lock)."""
    hits = HitCounts()
    m = Matcher([route(method="GET", path="/n/{id}")], hits, [200])
    barrier = threading.Barrier(8)

    def hammer(t: int) -> None:
        barrier.wait()
        for i in range(5_000):
            m.find("GET", f"/n/{100 + (i + t) % 50}", "", None, None)

    threads = [threading.Thread(target=hammer, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert hits.take() == [("GET", "/n/{id}", 200, 40_000)]


def test_metric_path_is_the_go_label():
    assert metric_path("/users/12345/orders/5F2B8C1E9A0D4E6F7A8B9C0D") == "/users/{id}/orders/{id}"
    assert metric_path("") == ""
