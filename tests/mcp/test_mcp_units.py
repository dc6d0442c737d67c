"""The MCP layer's pure parts: Go key order of results, Go's merge for `manage_mock update`, summaries,
durations, argument reading (no server needed)."""

from __future__ import annotations

import pytest

from mockd.mcp import args as a
from mockd.mcp.results import Deep, GoMap, encode
from mockd.mcp.tools_chaos import duration_ms
from mockd.mcp.tools_mocks import go_merge, summary_line


def test_encode_follows_go_map_struct_and_decoded_order():
    value = GoMap(z=1, a=[{"port": 1, "component": "x"}], m=Deep({"b": {"d": 1, "c": 2}, "a": 1.0}))
    assert encode(value) == '{"a":[{"port":1,"component":"x"}],"m":{"a":1,"b":{"c":2,"d":1}},"z":1}'
    assert encode({"z": "<&>", "a": 0.5}) == '{"z":"\\u003c\\u0026\\u003e","a":0.5}'


def test_go_merge_merges_objects_and_replaces_the_rest():
    old = {"matcher": {"method": "GET", "path": "/a", "headers": {"x": "1"}}, "priority": 1, "tags": [1, 2]}
    new = {"matcher": {"headers": {"y": "2"}}, "tags": [3]}
    assert go_merge(old, new) == {
        "matcher": {"method": "GET", "path": "/a", "headers": {"x": "1", "y": "2"}}, "priority": 1, "tags": [3]}  # fmt: skip
    assert go_merge({"a": 1, "b": 2}, {"a": None}) == {"b": 2}
    assert go_merge(None, {"a": 1}) == {"a": 1}


@pytest.mark.parametrize(
    ("mock", "line"),
    [
        ({"type": "http", "http": {"matcher": {"method": "POST", "path": "/x"}}}, "POST /x"),
        ({"type": "http", "http": {"matcher": {"path": "/x"}}}, "ANY /x"),
        ({"type": "websocket", "websocket": {"path": "/ws"}}, "ws:///ws"),
        ({"type": "graphql", "graphql": {"path": "/graphql"}}, "graphql /graphql"),
        ({"type": "soap", "soap": {"path": "/soap"}}, "soap /soap"),
        ({"type": "grpc", "grpc": {"port": 50051, "services": {"b.S": {}, "a.S": {}}}}, "grpc :50051 (a.S, b.S)"),
        ({"type": "mqtt", "mqtt": {"port": 1883, "topics": [{"topic": "t/1"}, {"topic": "t/2"}]}},
         "mqtt :1883 (t/1, t/2)"),
        ({"type": "oauth", "oauth": {"issuer": "http://i"}}, "oauth http://i"),
        ({"type": "http", "name": "Named"}, "Named"),
        ({"type": "http"}, "http"),
    ],
)  # fmt: skip
def test_summary_line(mock, line):
    assert summary_line(mock) == line


@pytest.mark.parametrize(("ms", "text"), [(2000, "2s"), (1500, "1500ms"), (10, "10ms"), (999.7, "999ms")])
def test_duration_ms(ms, text):
    assert duration_ms(ms) == text


def test_arguments_of_the_wrong_type_count_as_absent():
    args = {"limit": "10", "flag": 1, "id": 5, "n": 2.9, "m": True}
    assert (a.integer(args, "limit", 100), a.boolean(args, "flag", True), a.string(args, "id", "d")) == (
        100,
        True,
        "d",
    )
    assert (a.integer(args, "n"), a.integer(args, "m", 7), a.optional_bool(args, "m")) == (2, 7, True)
    assert a.seg("a/b?c") == "a%2Fb%3Fc"
