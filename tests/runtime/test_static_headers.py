"""Static targets with the same response headers serve one list object (runtime/targets.py).

In a load spread over thousands of mocks, a list per mock is one more cold object per request; one shared
list stays in cache. Sharing is safe only because nothing mutates a served list, so the CORS wrapper must
build a new one.
"""

from __future__ import annotations

from mockd.plan.model import ResponseSpec
from mockd.runtime import targets
from mockd.runtime.cors import add_cors
from mockd.runtime.targets import StaticTarget, shared_headers


def spec(headers: list[tuple[str, str]], body: str = "{}") -> ResponseSpec:
    return ResponseSpec(status=200, headers=headers, body=body, bodyFile=None, delayMs=0, seed=None,
                        templated=False, contentTypeSet=True)  # fmt: skip


def test_equal_headers_share_one_list_and_different_ones_do_not(monkeypatch) -> None:
    monkeypatch.setattr(targets, "_SHARED_HEADERS", {})  # room, whatever other tests of this process built
    a = StaticTarget("a", None, spec([("Content-Type", "application/json")], '{"a":1}'))
    b = StaticTarget("b", None, spec([("Content-Type", "application/json")], '{"b":2}'))
    c = StaticTarget("c", None, spec([("Content-Type", "text/plain")]))
    assert a.static is not None
    assert b.static is not None
    assert c.static is not None
    assert a.static[1] is b.static[1]
    assert a.static[1] == [("Content-Type", "application/json")]
    assert c.static[1] is not a.static[1]
    assert c.static[1] == [("Content-Type", "text/plain")]
    assert (a.static[2], b.static[2]) == (b'{"a":1}', b'{"b":2}')


def test_cors_builds_a_new_list_so_a_shared_one_never_changes() -> None:
    shared = shared_headers([("Content-Type", "application/json")])
    served = add_cors(shared, [("Access-Control-Allow-Origin", "*")])
    assert served is not shared
    assert shared == [("Content-Type", "application/json")]


def test_past_the_bound_lists_are_built_but_not_remembered(monkeypatch) -> None:
    monkeypatch.setattr(targets, "_SHARED_HEADERS", {})
    monkeypatch.setattr(targets, "_SHARED_HEADERS_LIMIT", 2)
    first = shared_headers([("x-n", "1")])
    shared_headers([("x-n", "2")])
    third = shared_headers([("x-n", "3")])
    assert third == [("x-n", "3")]
    assert shared_headers([("x-n", "3")]) is not third  # not remembered: a new list each time
    assert shared_headers([("x-n", "1")]) is first
    assert len(targets._SHARED_HEADERS) == 2
