"""The bytes a client sees for awkward values are the Go tool's, wherever they come from (issue 23).

Expected texts are Go's `encoding/json` output (`json.Marshal` of the values as the Go tool holds them: a
float64 for every number it decoded from JSON, map keys sorted): `-0.0` prints `-0`, U+2028/U+2029 and
`<>&` are escaped, floats >= 1e21 and < 1e-6 use an exponent (`1e+21`, `1e-7`), integral floats have no
`.0`, non-ASCII text is written raw. The issue measured the Go tool serving `"neg":-0` and
`"s":"a\\u2028b\\u2029c\\u003c\\u003e\\u0026"` for a seeded item where we served `-0.0` and raw U+2028.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from mockd.gocompat import gojson
from tests.harness import MockdProcess, free_port

# One value of each awkward kind, keys already in byte order so map sorting cannot hide a difference.
AWKWARD_JSON = (
    '{"big": 1e21, "bigger": 1.5e300, "bigint": 12345678901234567890, "float": 2.50, "html": "<a>&</a>",'
    ' "int": 10.0, "neg": -0.0, "sep": "a\\u2028b\\u2029c", "small": 1e-7, "tiny": 1.5e-5, "uml": "\\u00fc\\u4e2d"}'
)
GO_BYTES = (
    b'{"big":1e+21,"bigger":1.5e+300,"bigint":12345678901234567000,"float":2.5,'
    b'"html":"\\u003ca\\u003e\\u0026\\u003c/a\\u003e","int":10,"neg":-0,"sep":"a\\u2028b\\u2029c",'
    b'"small":1e-7,"tiny":0.000015,"uml":"\xc3\xbc\xe4\xb8\xad"}'
)

# A deliberate difference (docs/differences.md): integers are kept exact. Go decodes a JSON config's numbers
# into float64, so it would print 12345678901234567890 as 12345678901234567000.
EXACT_INTS = GO_BYTES.replace(b"12345678901234567000", b"12345678901234567890")


def _as_go_decodes(value: object) -> object:
    """What Go holds after decoding JSON into interface{}: every number a float64."""
    return gojson.go_numbers(json.loads(json.dumps(value), parse_int=float))


@pytest.mark.parametrize("sort_keys", [False, True])
def test_marshal_writes_go_bytes(sort_keys: bool) -> None:
    value = _as_go_decodes(json.loads(AWKWARD_JSON))
    assert gojson.marshal(value, sort_keys=sort_keys) == GO_BYTES
    assert gojson.marshal_text(value).encode() == GO_BYTES


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-0.0, b"-0"),
        (0.0, b"0"),
        (1.0, b"1"),
        (1e20, b"100000000000000000000"),
        (1e21, b"1e+21"),
        (-1e21, b"-1e+21"),
        (1e-6, b"0.000001"),
        (1e-7, b"1e-7"),
        (1.25e-10, b"1.25e-10"),
        (5e-324, b"5e-324"),
        (1.7976931348623157e308, b"1.7976931348623157e+308"),
        (123456.789, b"123456.789"),
        (2**63, b"9223372036854775808"),  # uint64 range: Go prints the integer
        (2**70, b"1180591620717411303424"),  # beyond 64 bits: past orjson, through the exact encoder
        ("\u2028", b'"\\u2028"'),
        ("<>&", b'"\\u003c\\u003e\\u0026"'),
        ("tab\there\x01", b'"tab\\there\\u0001"'),
        ("\u00fc", '"\u00fc"'.encode()),
        ([1.0, {"b": 1, "a": [-0.0]}], b'[1,{"b":1,"a":[-0]}]'),
    ],
)
def test_marshal_edge_values(value: object, expected: bytes) -> None:
    assert gojson.marshal(value) == expected


def test_a_float_lookalike_inside_a_string_stays_as_written() -> None:
    # The fast path's float check looks at bytes; text that only looks like a float must not change.
    assert gojson.marshal({"s": ",1.0]", "e": "[1e5,"}) == b'{"s":",1.0]","e":"[1e5,"}'


def test_encode_adds_the_streaming_newline() -> None:
    assert gojson.encode({"neg": -0.0}) == b'{"neg":-0}\n'


# ---------------------------------------------------------------------------------------------- over HTTP


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockdProcess]:
    folder: Path = tmp_path_factory.mktemp("gobytes")
    item = AWKWARD_JSON[:-1] + ', "id": "x1"}'
    (folder / "items.json").write_text(
        '{"version": "1.0", "tables": [{"name": "things", "seedData": [' + item + "]}],"
        ' "extend": [], "mocks": ['
        '{"id": "thing", "type": "http", "http": {"matcher": {"method": "GET", "path": "/things/{id}"},'
        ' "statefulBinding": {"table": "things", "action": "get"}}}]}'
    )
    # The same values as a YAML object body: served as Go's json.Marshal of what yaml.v3 decoded.
    (folder / "body.yaml").write_text(
        'version: "1.0"\nmocks:\n  - id: yaml-body\n    type: http\n    http:\n'
        "      matcher: {method: GET, path: /yaml}\n      response:\n        statusCode: 200\n        body:\n"
        "          big: 1e21\n          bigger: 1.5e300\n          float: 2.50\n"
        '          html: "<a>&</a>"\n          int: 10.0\n          neg: -0.0\n'
        '          sep: "a\\u2028b\\u2029c"\n          small: 1e-7\n          tiny: 1.5e-5\n'
        '          uml: "\\u00fc\\u4e2d"\n'
    )
    proc = MockdProcess(
        ["--config", str(folder / "items.json"), "--config", str(folder / "body.yaml")],
        free_port(),
        free_port(),
    ).start()
    yield proc
    proc.stop()


def test_a_seeded_item_is_served_with_go_bytes(server: MockdProcess) -> None:
    reply = requests.get(server.url + "/things/x1", timeout=10)
    assert reply.status_code == 200
    # Seed items keep their own key order (D2); the stateful handler writes with Go's streaming encoder.
    assert reply.content == EXACT_INTS[:-1] + b',"id":"x1"}\n'


def test_a_yaml_object_body_is_served_with_go_bytes(server: MockdProcess) -> None:
    reply = requests.get(server.url + "/yaml", timeout=10)
    assert reply.status_code == 200
    # yaml.v3 decodes 10.0 as a float64 and 1e21 as a float: Go prints them `10` and `1e+21`.
    assert reply.content == GO_BYTES.replace(b'"bigint":12345678901234567000,', b"")


def test_an_admin_reply_carries_go_bytes(server: MockdProcess) -> None:
    reply = requests.get(server.admin + "/state/resources/things/items/x1", timeout=10)
    assert reply.status_code == 200, reply.text
    assert reply.content == EXACT_INTS[:-1] + b',"id":"x1"}\n'


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from(["a", "<", ">", "&", "\u2028", "\u2029", "é", '"', "\\", "\n", " "])),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=3), children, max_size=4),
    max_leaves=12,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_the_indented_fast_path_writes_what_the_exact_encoder_writes(value: object) -> None:
    # issue 13: imported bodies are pretty-printed through orjson when its numbers are Go's
    from mockd.imports.source import indent

    fast = gojson.marshal_indent_fast(value)
    if fast is not None:
        assert fast == indent(gojson.marshal_text(value, sort_keys=True))
