"""Differential tests: the Rust matcher must pick the same winner (and captures) as the naive reference.

Route tables are small but drawn from a tiny vocabulary, so that routes overlap adversarially: the same path
as literal, `{param}`, partial param, `/*`, middle `*`, pathPattern and strict route, with headers, query and
body predicates, priorities and tiers. Requests are mostly derived from the routes' own paths.
"""

import urllib.parse

from hypothesis import given
from hypothesis import strategies as st

from mockd._native import Matcher

from .conftest import MATCHER_PROFILE
from .reference_matcher import best_with_captures
from .routes import route

LITERALS = ["api", "users", "1", "x", "a%20b", "items"]
PATTERN_SEGMENTS = [*LITERALS, "{id}", "{name}", "v{ver}", "{sid}.json", "*", "x{a}-{b}"]
REQUEST_VALUES = ["1", "x", "", "SM1.json", "v2", "a b", "x1-2", "users", "items", "*", "{id}"]
PATH_PATTERNS = [r"^/users/\d+$", "users", r"^/api/(?P<rest>.*)$", "x$", r"^/(?P<a>\w+)/(?P<b>\w*)$", "^/$"]
HEADER_NAMES = ["X-A", "x-a", "X-B"]
HEADER_VALUES = ["1", "2", "*", "1*", "*1", "*1*", "a*b", "12"]
BODIES = [b"", b'{"a":1}', b'{"a": 1, "c": [{"d": "x"}]}', b"x a 1", b'{"b":2}', b"not json"]
JSON_CONDITIONS = [
    ("$.a", "eq", "1"),
    ("$.a", "exists", None),
    ("$.b", "absent", None),
    ("$.c[*].d", "eq", '"x"'),
]

segments = st.lists(st.sampled_from(PATTERN_SEGMENTS), min_size=0, max_size=4)


@st.composite
def path_patterns(draw, strict: bool = False):
    parts = draw(segments)
    if strict:
        parts = [p for p in parts if "*" not in p and "%" not in p]
    path = "/" + "/".join(parts)
    if not strict and draw(st.booleans()) and parts:
        path += "/"
    return path


@st.composite
def routes(draw):
    kind = draw(st.sampled_from(["path", "path", "path", "strict", "pattern", "none"]))
    fields = {
        "method": draw(st.sampled_from([None, "GET", "GET", "POST", "get", "PURGE"])),
        "priority": draw(st.integers(0, 2)),
        "tier": draw(st.integers(0, 1)),
        "captures": draw(st.booleans()),
        "headers": draw(
            st.lists(st.tuples(st.sampled_from(HEADER_NAMES), st.sampled_from(HEADER_VALUES)), max_size=2)
        ),
        "query": draw(
            st.lists(st.tuples(st.sampled_from(["q", "r"]), st.sampled_from(["", "1", "a b"])), max_size=2)
        ),
    }
    if kind == "path":
        fields["path"] = draw(path_patterns())
    elif kind == "strict":
        fields["path"] = draw(path_patterns(strict=True))
        fields["strict"] = True
    elif kind == "pattern":
        fields["pathPattern"] = draw(st.sampled_from(PATH_PATTERNS))
    if draw(st.integers(0, 3)) == 0:
        fields["bodyEquals"] = draw(st.sampled_from(['{"a":1}', "x a 1"]))
    if draw(st.integers(0, 3)) == 0:
        fields["bodyContains"] = draw(st.sampled_from(["a", "1", "zz"]))
    if draw(st.integers(0, 4)) == 0:
        fields["bodyPattern"] = draw(st.sampled_from([r'"a":\s*1', "^x", r"\d"]))
    if draw(st.integers(0, 3)) == 0:
        fields["bodyJsonPath"] = draw(
            st.lists(st.sampled_from(JSON_CONDITIONS), min_size=1, max_size=2, unique=True)
        )
    return route(**fields)


def concrete_path(draw, pattern: str) -> str:
    """A request path that the pattern probably matches: params and stars filled in, then unescaped."""
    out = []
    for part in pattern.split("/"):
        if part == "*":
            out.append("/".join(draw(st.lists(st.sampled_from(REQUEST_VALUES), min_size=0, max_size=2))))
        elif "{" in part and "}" in part and draw(st.integers(0, 4)) > 0:
            head, _, rest = part.partition("{")
            _, _, tail = rest.partition("}")
            out.append(head + draw(st.sampled_from(REQUEST_VALUES)) + tail)
        else:
            out.append(part)
    path = urllib.parse.unquote("/".join(out))
    return path if path.startswith("/") else "/" + path


@st.composite
def requests(draw, table):
    with_path = [r["path"] for r in table if r["path"]]
    if with_path and draw(st.integers(0, 3)) > 0:
        path = concrete_path(draw, draw(st.sampled_from(with_path)))
    else:
        path = "/" + "/".join(draw(st.lists(st.sampled_from([*REQUEST_VALUES, "a b"]), max_size=4)))
    if draw(st.integers(0, 5)) == 0:
        path += "/"
    headers = draw(
        st.dictionaries(
            st.sampled_from(["x-a", "X-B", "x-c"]), st.sampled_from([*HEADER_VALUES, ""]), max_size=3
        )
    )
    query = "&".join(
        draw(
            st.lists(
                st.sampled_from(["q=1", "q=", "r=a+b", "r=a%20b", "q=2", "q=%zz", "x;y=1", "r=1"]), max_size=3
            )
        )
    )
    method = draw(st.sampled_from(["GET", "POST", "HEAD", "get", "DELETE", "purge"]))
    body = draw(st.sampled_from(BODIES))
    return method, path, query, headers, body


@MATCHER_PROFILE
@given(st.data())
def test_rust_picks_the_reference_winner(data):
    table = data.draw(st.lists(routes(), min_size=1, max_size=10), label="routes")
    matcher = Matcher(table)
    matcher.check_invariants()
    for _ in range(4):
        method, path, query, headers, body = data.draw(requests(table), label="request")
        lower = {k.lower(): v for k, v in headers.items()}
        values = [lower.get(name) for name in matcher.header_names]
        got = matcher.match(method, path, query, values, body)
        want = best_with_captures(table, method, path, query, headers, body)
        assert got == want, (method, path, query, headers, body)
        # The hot path's split form: `find` (the index alone), then `captures` for that route.
        found = matcher.find(method, path, query, values, body)
        split = None if found is None else (found, matcher.captures(found, path))
        assert split == want, (method, path, query, headers, body)
