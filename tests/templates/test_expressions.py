"""Every request-dependent and fixed row of mockd-reference §3.8, rendered against one fixed request.

Expected values were checked against the Go tool (its template engine fed the same request).
"""

from __future__ import annotations

import re
import time

import pytest

from mockd.templates import functions
from tests.templates.conftest import render

REQUEST_ROWS = [
    # request.method / path / url
    ("{{request.method}}", "POST"),
    ("{{ request.path }}", "/api/users/42"),
    ("{{request.url}}", "/api/users/42?q=hello+world&multi=1&multi=2&plus=a%2Bb&bad=%zz&semi=a;b&=emptykey"),
    ("{{REQUEST.METHOD}}", "POST"),  # prefix and field are case-insensitive
    ("{{request.method.extra}}", "POST"),  # anything after the field is ignored
    # request.rawBody and request.body
    ("{{request.body}}", ""),  # ⚠DOC: the whole body is NOT printed
    ("{{request.body.user.name}}", "Ada"),
    ("{{Request.Body.user.name}}", "Ada"),
    ("{{request.body.user.NAME}}", ""),  # field names are case-sensitive
    ("{{request.body.user.age}}", "36"),
    ("{{request.body.user.score}}", "1.234567e+06"),
    ("{{request.body.user.tiny}}", "1e-05"),
    ("{{request.body.user.n}}", "<nil>"),
    ("{{request.body.user.ok}}", "true"),
    ("{{request.body.user.tags}}", "[x y]"),
    ("{{request.body.user.tags.1}}", "y"),
    ("{{request.body.user.tags.+1}}", "y"),  # indices parse like strconv.Atoi
    ("{{request.body.user.tags.01}}", "y"),
    ("{{request.body.user.tags.-1}}", ""),
    ("{{request.body.user.tags.5}}", ""),
    (
        "{{request.body.user}}",
        "map[age:36 n:<nil> name:Ada ok:true score:1.234567e+06 tags:[x y] tiny:1e-05]",
    ),
    ("{{request.body.items.1.id}}", "2.5"),
    ("{{request.body.items}}", "[map[id:1] map[id:2.5]]"),
    ("{{request.body.}}", "empty key"),
    ("{{request.body.a.b}}", ""),  # dots always split: the key "a.b" is unreachable
    ("{{request.body.missing}}", ""),
    # request.query
    ("{{request.query.q}}", "hello world"),
    ("{{request.query.Q}}", ""),
    ("{{request.query.multi}}", "1"),  # first value
    ("{{request.query.plus}}", "a+b"),
    ("{{request.query.bad}}", ""),  # malformed escape: the pair is dropped
    ("{{request.query.semi}}", ""),  # a pair with ';' is dropped (Go >= 1.17)
    ("{{request.query.}}", "emptykey"),
    ("{{request.query}}", ""),
    # request.header
    ("{{request.header.X-Api-Key}}", "k1"),
    ("{{request.header.x-api-key}}", "k1"),
    ("{{request.header.Content-Type}}", "application/json"),
    ("{{request.header.Missing}}", ""),
    ("{{request.header.X-Empty}}", ""),
    ("{{request.header.Host}}", ""),  # Go keeps Host out of the header map
    # path captures
    ("{{request.pathParam.id}}", "42"),
    ("{{request.pathparam.id}}", "42"),
    ("{{request.pathParam.ID}}", ""),
    ("{{request.pathParam.0}}", "rest/of/path"),
    ("{{request.pathPattern.slug}}", "s1"),
    ("{{request.pathPattern.id}}", ""),
    # never populated / unknown
    ("{{request.jsonPath.x}}", ""),
    ("{{request.unknown}}", ""),
    # mtls and MQTT-only names
    ("{{mtls.cn}}|{{mtls.issuer.cn}}|{{mtls.san.dns}}|{{mtls.verified}}", "|||"),
    ("{{topic}}|{{clientId}}|{{device_id}}|{{payload.x}}", "|||"),
]

FUNCTION_ROWS = [
    ("{{upper request.body.user.name}}", "ADA"),
    ("{{lower request.method}}", "post"),
    ("{{upper(request.path)}}", "/API/USERS/42"),
    ('{{ upper "hello" }}', "HELLO"),
    ("{{upper hello}}", "HELLO"),  # a bare word is a literal
    ("{{upper Request.path}}", "REQUEST.PATH"),  # path prefixes are case-sensitive inside functions
    ("{{upper 'x y'}}", ""),  # the space form splits on blanks: two arguments, so ""
    ("{{upper a b}}", ""),
    ('{{lower("MiXeD")}}', "mixed"),
    ('{{UPPER("straße")}}', "STRAßE"),  # Go's simple case mapping keeps ß
    ('{{default request.query.none "fallback value"}}', "fallback value"),
    ('{{default(request.query.none, "fb")}}', "fb"),
    ('{{default(request.query.q, "fb")}}', "hello world"),
    ("{{default request.query.q fb}}", "hello world"),
    ("{{default x}}", ""),
    ("{{default(x)}}", ""),
    ("{{default(,)}}", ""),
    ("{{default(\"\", 'z')}}", "z"),
    ("{{default('a,b', 'c')}}", "a,b"),
    ('{{default(faker.nope, "d")}}', "d"),
]

SYNTAX_ROWS = [
    ("plain text", "plain text"),
    ("{{ }}", ""),
    ("{{}}", "{{}}"),  # not an expression: served as written
    ("{{ a}b }}", "{{ a}b }}"),
    ("{{{request.method}}}", "}"),  # the expression is "{request.method": unknown
    ("{{ unknown }}", ""),
    ("a {{ request.method }} b {{request.path}} c %s %d", "a POST b /api/users/42 c %s %d"),
    ("{{request.method}}{{request.method}}{{request.method}}{{request.method}}", "POSTPOSTPOSTPOST"),
    ("{{\trequest.method\n}}", "POST"),
    ("{{\u00a0request.method\u00a0}}", "POST"),  # Go's TrimSpace also trims Unicode spaces
    ("{{request.method\n}} {{ request.\nmethod }}", "POST "),
]


@pytest.mark.parametrize(("template", "expected"), REQUEST_ROWS + FUNCTION_ROWS + SYNTAX_ROWS)
def test_renders_like_the_go_tool(template: str, expected: str) -> None:
    assert render(template) == expected


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("text/plain", b'{"a":1}', ""),  # only JSON content types are parsed
        ("Application/json", b'{"a":1}', ""),  # the prefix check is case-sensitive
        ("application/json; charset=utf-8", b'{"a":1}', "1"),
        ("application/vnd.api+json", b'{"a":-0}', "-0"),
        ("application/json", b'{"a":"\\ud800x"}', "\ufffdx"),  # lone surrogate becomes U+FFFD, as in Go
        ("application/json", b'{"a":1e400}', ""),  # Go refuses numbers beyond float64
        ("application/json", b'{"a":1,"a":2}', "2"),
        ("application/json", b'{"a":1} x', ""),
        ("application/json", b"", ""),
    ],
)
def test_json_body_fields_need_a_json_content_type(content_type: str, body: bytes, expected: str) -> None:
    assert render("{{request.body.a}}", headers={"content-type": content_type}, body=body) == expected


def test_raw_body_is_the_body_as_sent() -> None:
    assert render("{{request.rawBody}}", headers={}, body=b'{"a": 1}\n') == '{"a": 1}\n'


def test_top_level_json_array_is_indexed() -> None:
    assert render("{{request.body.0}}", body=b"[7,8]") == "7"


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("/a b/c!d", "x=1", "/a%20b/c!d?x=1"),
        ("/café/{x}", "", "/caf%C3%A9/%7Bx%7D"),
        ("/plain", "", "/plain"),
    ],
)
def test_request_url_reencodes_the_decoded_path(path: str, query: str, expected: str) -> None:
    assert render("{{request.url}}", path=path, query=query) == expected


def test_time_values_have_go_layouts() -> None:
    before = time.time()
    out = render("{{now}}|{{timestamp}}|{{timestamp.unix}}|{{timestamp.iso}}|{{timestamp.unix_ms}}|{{NOW}}")
    after = time.time()
    now, unix, unix2, iso, millis, now_upper = out.split("|")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", now)
    assert now_upper == now
    assert int(before) <= int(unix) <= int(unix2) <= int(after)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z", iso)
    assert int(before * 1000) - 1 <= int(millis) <= int(after * 1000) + 1


@pytest.mark.parametrize(
    ("zone", "suffix"), [("UTC", "Z"), ("Asia/Kolkata", "+05:30"), ("Etc/GMT+3", "-03:00")]
)
def test_now_is_local_time_with_its_offset(monkeypatch: pytest.MonkeyPatch, zone: str, suffix: str) -> None:
    monkeypatch.setenv("TZ", zone)
    monkeypatch.setattr(functions, "_now_cache", (-1, ""))  # the text is cached per second, not per zone
    time.tzset()
    try:
        assert render("{{now}}").endswith(suffix)
    finally:
        monkeypatch.undo()
        time.tzset()
        functions._now_cache = (-1, "")


def test_sequences_count_per_name_and_are_shared_across_templates() -> None:
    assert render('{{sequence("a")}} {{sequence("a")}} {{sequence("b", 100)}}') == "1 2 100"
    # another template (another mock) continues the same counters; a later start value is ignored
    assert render('{{SEQUENCE("a", 50)}} {{sequence("b")}} {{sequence("A")}}') == "3 101 1"


def test_sequence_name_needs_quotes() -> None:
    assert render("{{sequence(a)}}|{{sequence}}") == "|"
