"""Response templating over real HTTP (mockd-reference §3.7, §3.8): every row of the §3.8 table through a
configured mock, the seed rules, templated headers and body files.

One server per module (started by PID on free loopback ports, stopped in teardown): templates do not
change state except `sequence`, and each sequence test uses its own counter names. Expected seeded values
are the Go tool's own output for the same template and seed.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.harness import MockdProcess, free_port
from tests.harness import request as http

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
RANDOM = (
    '{{uuid}}|{{uuid.short}}|{{random}}|{{random.int}}|{{random.int(1, 10)}}|{{random.int 1 10}}|{{random.float}}|'
    '{{random.float(1.5, 9.5, 2)}}|{{random.float 1 2}}|{{random.string}}|{{random.string(5)}}|'
    '{{random.element("a", "b", "c")}}|{{random.element x y z}}|{{randomInt}}'
)  # fmt: skip
FAKER_EXACT = (
    "{{faker.uuid}}|{{faker.boolean}}|{{faker.phone}}|{{faker.ipv4}}|{{faker.ipv6}}|{{faker.macAddress}}|"
    "{{faker.creditCard}}|{{faker.cvv}}|{{faker.price}}|{{faker.hexColor}}|{{faker.ssn}}|{{faker.passport}}|"
    "{{faker.latitude}}|{{faker.longitude}}|{{faker.zipCode}}"
)
FAKER_WORDS = (
    "{{faker.name}}|{{faker.firstName}}|{{faker.lastName}}|{{faker.email}}|{{faker.company}}|{{faker.address}}|"
    "{{faker.word}}|{{faker.sentence}}|{{faker.words}}|{{faker.words(2)}}|{{faker.paragraph}}|{{faker.username}}|"
    "{{faker.userAgent}}|{{faker.url}}|{{faker.creditCardExp}}|{{faker.currencyCode}}|{{faker.currency}}|"
    "{{faker.iban}}|{{faker.productName}}|{{faker.color}}|{{faker.jobTitle}}|{{faker.city}}|{{faker.state}}|"
    "{{faker.country}}|{{faker.slug}}|{{faker.mimeType}}|{{faker.fileExtension}}|{{faker.nope}}"
)
# The Go tool's output for RANDOM and FAKER_EXACT (one stream per response, left to right).
GO_RANDOM = {
    42: "9fe4c771-8175-44ca-81c5-f8e880b54d6a|fe72b96d|1fd67a68|24|4|1|0.004049|4.78|1.8940448979910656|"
        "3TiYBMZwKA|RXyBN|a|z|55",
    7: "dea05165-be79-4bf2-b3fa-d9f57f237be6|2e79277f|7dfebd4d|17|3|4|0.056640|7.77|1.2915251240215326|"
       "9cCNVQQCYX|ZXinG|a|z|73",
}  # fmt: skip
GO_FAKER_EXACT = {
    42: "9fe4c771-8175-44ca-81c5-f8e880b54d6a|false|+1-300-543-6039|222.194.140.173|"
        "01ae:6fba:2373:a392:6334:c5cb:f189:dcc9|1F:D6:7A:68:7D:87|4068487184683548|696|799.39|#3862D7|"
        "846-55-4883|HL8171715|-55.214398|32.008616|81077",
    -3: "25babf3c-da40-4b12-8088-dce7bec674f0|false|+1-449-370-1842|169.0.222.141|"
        "d806:2712:46d9:754a:a9f3:a05f:1106:a1af|AB:0B:43:F1:3C:6A|4453119502379177|420|796.88|#AC79BE|"
        "373-93-0949|LJ3561341|0.649489|7.985434|11781",
}  # fmt: skip
GO_UUID = {42: "9fe4c771-8175-44ca-81c5-f8e880b54d6a", 7: "dea05165-be79-4bf2-b3fa-d9f57f237be6",
           99: "1700dea0-a8d9-4df8-ade9-4b9e53df92c3"}  # fmt: skip


def mock(mock_id: str, matcher: dict, body: str = "", **response: object) -> dict:
    return {
        "id": mock_id,
        "http": {"matcher": matcher, "response": {"statusCode": 200, "body": body, **response}},
    }


MOCKS = [
    mock("request", {"path": "/echo/{id}"},
         "{{request.method}}|{{request.path}}|{{request.url}}|{{request.query.q}}|{{request.header.X-Api-Key}}|"
         "{{request.pathParam.id}}|{{request.rawBody}}|{{request.body}}|{{request.jsonPath.a}}|{{mtls.cn}}|"
         "{{request.header.Host}}|{{Request.Method}}"),
    mock("json-body", {"method": "POST", "path": "/json"},
         "{{request.body.user.name}}|{{request.body.user.age}}|{{request.body.big}}|{{request.body.tiny}}|"
         "{{request.body.n}}|{{request.body.user}}|{{request.body.items}}|{{request.body.items.1}}|"
         "{{request.body.missing}}"),
    mock("wildcard", {"method": "GET", "path": "/files/*"}, "{{request.pathParam.0}}"),
    mock("pattern", {"method": "GET", "pathPattern": "^/regex/(?P<slug>[a-z]+)$"},
         "{{request.pathPattern.slug}}|{{request.pathParam.slug}}"),
    mock("time", {"path": "/time"},
         "{{now}}|{{timestamp}}|{{timestamp.unix}}|{{timestamp.iso}}|{{timestamp.unix_ms}}"),
    mock("random", {"path": "/random"}, RANDOM),
    mock("faker-exact", {"path": "/faker/exact"}, FAKER_EXACT),
    mock("faker-words", {"path": "/faker/words"}, FAKER_WORDS),
    mock("seq-a", {"path": "/seq/a"}, '{{sequence("shared")}}'),
    mock("seq-b", {"path": "/seq/b"}, '{{sequence("shared")}}:{{sequence("hundreds", 100)}}'),
    mock("functions", {"path": "/functions"},
         '{{upper request.query.name}}|{{lower(request.method)}}|{{upper "lit"}}|{{lower Hello}}|'
         '{{default request.query.none "fall back"}}|{{default(request.query.name, "fb")}}|'
         "{{default(request.header.X-None, 'dflt')}}|{{upper faker.hexColor}}"),
    mock("seeded", {"path": "/seeded"}, '{"id": "{{uuid}}"}', seed=7),
    mock("unseeded", {"path": "/unseeded"}, '{"id": "{{uuid}}"}'),
    mock("headers", {"path": "/headers/{id}"}, "{{request.pathParam.id}}",
         headers={"X-Request-Id": "{{uuid}}", "X-Path": "{{request.path}}", "X-Plain": "plain",
                  "Content-Type": "text/x-{{request.query.kind}}"}),
    mock("unknown", {"path": "/unknown"}, "a{{ nope }}b{{}}c{{ request.path }"),
    mock("inferred", {"method": "POST", "path": "/inferred"}, "{{request.rawBody}}"),
    mock("file", {"path": "/file/{id}"}, bodyFile="tpl.json"),
]  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockdProcess]:
    folder = tmp_path_factory.mktemp("templating")
    (folder / "tpl.json").write_text('{"m": "{{request.method}}", "id": "{{request.pathParam.id}}"}')
    path = folder / "mocks.yaml"
    path.write_text(yaml.safe_dump({"version": "1.0", "mocks": MOCKS}, sort_keys=False))
    proc = MockdProcess(["--config", str(path)], free_port(), free_port(), cwd=Path("/"))
    proc.start()
    try:
        yield proc
    finally:
        proc.stop()


def get(server: MockdProcess, path: str, **kwargs: object) -> str:
    reply = http(server.url + path, **kwargs)  # type: ignore[arg-type]
    assert reply.status == 200, reply.body
    return reply.body.decode()


def test_request_fields(server: MockdProcess) -> None:
    out = get(server, "/echo/42?q=a+b&x=%2F", method="POST", body=b"raw text", headers={"X-Api-Key": "k1"})
    assert out == "POST|/echo/42|/echo/42?q=a+b&x=%2F|a b|k1|42|raw text|||||POST"


def test_json_body_fields_print_with_go_formatting(server: MockdProcess) -> None:
    body = {"user": {"name": "Ada", "age": 36}, "big": 1234567, "tiny": 0.00001, "n": None,
            "items": [{"id": 1}, "two"]}  # fmt: skip
    out = get(server, "/json", method="POST", body=body)  # sent as application/json
    assert out == "Ada|36|1.234567e+06|1e-05|<nil>|map[age:36 name:Ada]|[map[id:1] two]|two|"


def test_json_body_fields_need_a_json_content_type(server: MockdProcess) -> None:
    body = json.dumps({"user": {"name": "Ada"}}).encode()
    assert (
        get(server, "/json", method="POST", body=body, headers={"Content-Type": "text/plain"}) == "||||||||"
    )
    assert get(server, "/json", method="POST", body=body,
               headers={"Content-Type": "application/vnd.api+json"}).startswith("Ada|")  # fmt: skip


def test_wildcard_captures_are_numbered_path_params(server: MockdProcess) -> None:
    assert get(server, "/files/a/b.txt") == "a/b.txt"


def test_path_pattern_captures_are_not_path_params(server: MockdProcess) -> None:
    assert get(server, "/regex/abc") == "abc|"


def test_time_values(server: MockdProcess) -> None:
    before = time.time()
    now, unix, unix2, iso, millis = get(server, "/time").split("|")
    after = time.time()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)", now)
    assert int(before) <= int(unix) <= int(unix2) <= int(after)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z", iso)
    assert int(before * 1000) - 1 <= int(millis) <= int(after * 1000) + 1


def test_random_values_have_their_shapes(server: MockdProcess) -> None:
    shapes = [UUID, r"[0-9a-f]{8}", r"[0-9a-f]{8}", r"\d{1,3}", r"[1-9]|10", r"[1-9]|10", r"0\.\d{6}",
              r"[1-9]\.\d\d", r"1(\.\d+)?", r"[A-Za-z0-9]{10}", r"[A-Za-z0-9]{5}", r"[abc]", r"[xyz]", r"\d{1,3}"]  # fmt: skip
    for _ in range(5):
        values = get(server, "/random").split("|")
        assert len(values) == len(shapes)
        for value, shape in zip(values, shapes, strict=True):
            assert re.fullmatch(shape, value), (shape, value)


@pytest.mark.parametrize("seed", [42, 7])
def test_seeded_random_values_match_the_go_tool(server: MockdProcess, seed: int) -> None:
    assert get(server, f"/random?_mockd_seed={seed}") == GO_RANDOM[seed]


@pytest.mark.parametrize("seed", [42, -3])
def test_seeded_format_faker_values_match_the_go_tool(server: MockdProcess, seed: int) -> None:
    assert get(server, "/faker/exact", headers={"X-Mockd-Seed": str(seed)}) == GO_FAKER_EXACT[seed]


def test_faker_word_values_repeat_under_a_seed_and_vary_across_seeds(server: MockdProcess) -> None:
    first = get(server, "/faker/words?_mockd_seed=5")
    assert get(server, "/faker/words?_mockd_seed=5") == first
    assert get(server, "/faker/words?_mockd_seed=6") != first
    values = first.split("|")
    assert len(values) == 28
    assert values[-1] == ""  # unknown faker type
    assert all(values[:-1]), values
    assert re.fullmatch(r"[a-z'\-]+\d{1,3}@example\.(com|org|net)", values[3])
    assert len(values[9].split(" ")) == 2  # faker.words(2)


def test_sequences_are_shared_across_mocks(server: MockdProcess) -> None:
    outputs = [get(server, "/seq/a"), get(server, "/seq/b"), get(server, "/seq/a"), get(server, "/seq/b")]
    assert outputs == ["1", "2:100", "3", "4:101"]


def test_sequences_ignore_the_seed(server: MockdProcess) -> None:
    assert get(server, "/seq/a?_mockd_seed=1") != get(server, "/seq/a?_mockd_seed=1")


def test_upper_lower_default(server: MockdProcess) -> None:
    out = get(server, "/functions?name=ada&_mockd_seed=42")
    assert out == "ADA|get|LIT|hello|fall back|ada|dflt|#9FE4C7"


@pytest.mark.parametrize(
    ("query", "headers", "expected"),
    [
        ("", {}, GO_UUID[7]),  # the response's `seed: 7`
        ("", {"X-Mockd-Seed": "99"}, GO_UUID[99]),  # header beats the configured seed
        ("?_mockd_seed=42", {"X-Mockd-Seed": "99"}, GO_UUID[42]),  # query beats both
        ("?_mockd_seed=oops", {"X-Mockd-Seed": "99"}, GO_UUID[99]),  # unparsable values are skipped
        ("?_mockd_seed=oops", {"X-Mockd-Seed": "nope"}, GO_UUID[7]),
    ],
)
def test_seed_precedence(server: MockdProcess, query: str, headers: dict[str, str], expected: str) -> None:
    assert json.loads(get(server, "/seeded" + query, headers=headers)) == {"id": expected}


def test_without_a_seed_every_response_differs(server: MockdProcess) -> None:
    ids = {json.loads(get(server, "/unseeded"))["id"] for _ in range(5)}
    assert len(ids) == 5
    assert all(re.fullmatch(UUID, i) for i in ids)


def test_header_values_are_templated(server: MockdProcess) -> None:
    reply = http(server.url + "/headers/9?kind=csv&_mockd_seed=42")
    assert (reply.status, reply.body) == (200, b"9")
    assert {k: reply.headers[k] for k in ("x-request-id", "x-path", "x-plain", "content-type")} == {
        "x-request-id": GO_UUID[42], "x-path": "/headers/9", "x-plain": "plain", "content-type": "text/x-csv",
    }  # fmt: skip


def test_unknown_and_unclosed_expressions(server: MockdProcess) -> None:
    assert get(server, "/unknown") == "ab{{}}c{{ request.path }"


def test_content_type_is_inferred_after_templating(server: MockdProcess) -> None:
    reply = http(server.url + "/inferred", method="POST", body=b'  {"a": 1}  ')
    assert (reply.headers["content-type"], reply.body) == ("application/json", b'  {"a": 1}  ')
    reply = http(server.url + "/inferred", method="POST", body=b"<x/>")
    assert reply.headers["content-type"] == "application/xml"


def test_body_files_are_templated(server: MockdProcess) -> None:
    assert json.loads(get(server, "/file/5"))["m"] == "GET"


def test_body_files_see_path_params(server: MockdProcess) -> None:
    assert json.loads(get(server, "/file/5")) == {"m": "GET", "id": "5"}
