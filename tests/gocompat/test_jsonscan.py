"""The position-tracking JSON scanner: same data as `json.loads`, every value's span, Go's error wording."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockd.gocompat.jsonscan import JsonSyntaxError, scan
from mockd.gocompat.positions import LineIndex, PosNode

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)
layouts = st.sampled_from(
    [{}, {"indent": 2}, {"indent": "\t"}, {"separators": (",", ":")}, {"ensure_ascii": False, "indent": 1}]
)


def _check_spans(value: Any, node: PosNode, text: str) -> None:
    """Every node's slice of the text decodes to the value it stands for; keys point at their quote."""
    assert json.loads(text[node.start : node.end]) == value
    if isinstance(value, dict):
        assert isinstance(node.children, dict)
        assert list(node.children) == list(value)
        for key, child in node.children.items():
            assert child.key_start is not None
            assert text[child.key_start] == '"'
            _check_spans(value[key], child, text)
    elif isinstance(value, list):
        assert isinstance(node.children, list)
        assert len(node.children) == len(value)
        for item, child in zip(value, node.children, strict=True):
            _check_spans(item, child, text)


@settings(max_examples=300, deadline=None)
@given(value=json_values, layout=layouts)
def test_scan_agrees_with_json_loads_and_spans_reparse(value, layout):
    text = json.dumps(value, **layout)
    data, positions = scan(text)
    assert data == json.loads(text)
    assert positions.root is not None
    _check_spans(data, positions.root, text)


@settings(max_examples=200, deadline=None)
@given(value=json_values, layout=layouts)
def test_scan_rejects_what_json_loads_rejects_after_a_cut(value, layout):
    """Truncated documents fail in both parsers (and ours says where)."""
    text = json.dumps(value, **layout)
    for cut in {len(text) // 2, len(text) - 1}:
        broken = text[:cut]
        try:
            json.loads(broken)
        except ValueError:
            with pytest.raises(JsonSyntaxError):
                scan(broken)


def test_non_string_values_keep_their_source_text():
    # mockd-reference §2.4: a JSON body keeps its original spacing and key order
    text = '{"body": { "b" : 1,\n  "a": [1, 2.50] }}'
    _, positions = scan(text)
    assert positions.raw(("body",)) == '{ "b" : 1,\n  "a": [1, 2.50] }'


def test_a_later_duplicate_key_wins_as_in_go():
    data, positions = scan('{"a": 1, "a": 2}')
    assert data == {"a": 2}
    assert positions.raw(("a",)) == "2"


def test_unpaired_surrogate_escape_becomes_replacement_character():
    # Go's decoder substitutes U+FFFD for an invalid UTF-16 escape; Python's json keeps the lone surrogate
    assert scan('"\\ud800x"')[0] == "\ufffdx"
    assert scan('"\\ud83d\\ude00"')[0] == "\U0001f600"


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("", "unexpected end of JSON input", 1, 1),
        ('{"a": 1,}', "invalid character '}' looking for beginning of object key string", 1, 9),
        ('{"a" 1}', "invalid character '1' after object key", 1, 6),
        ('{"a": 1 "b": 2}', "invalid character '\"' after object key:value pair", 1, 9),
        ("[1, 2", "unexpected end of JSON input", 1, 6),
        ("[1 2]", "invalid character '2' after array element", 1, 4),
        ('{"a": 01}', "invalid character '1' after object key:value pair", 1, 8),
        ('"\\x"', "invalid character 'x' in string escape code", 1, 3),
        ('"\\u12"', "invalid character '\"' in \\u hexadecimal character escape", 1, 6),
        ('{"a": "b\nc"}', "invalid character '\\n' in string literal", 1, 9),
        ("[1.]", "invalid character ']' after decimal point in numeric literal", 1, 4),
        ("[1e]", "invalid character ']' in exponent of numeric literal", 1, 4),
        ("[-]", "invalid character ']' in numeric literal", 1, 3),
        ("[tru]", "invalid character ']' in literal true (expecting 'e')", 1, 5),
        ("[NaN]", "invalid character 'N' looking for beginning of value", 1, 2),
        ("{}\n x", "invalid character 'x' after top-level value", 2, 2),
        ("// comment\n{}", "invalid character '/' looking for beginning of value", 1, 1),
    ],
)
def test_syntax_errors_use_go_wording_and_position(text, message, line, column):
    with pytest.raises(JsonSyntaxError) as info:
        scan(text)
    assert (info.value.message, info.value.line, info.value.column) == (message, line, column)


def test_trailing_data_is_accepted_for_admin_bodies():
    # json.Decoder.Decode (admin API) reads one value and ignores what follows
    assert scan('{"a": 1} trailing', allow_trailing=True)[0] == {"a": 1}


def test_line_index_maps_offsets_to_one_based_line_and_column():
    index = LineIndex("ab\ncd\n\nx")
    assert [index.line_col(i) for i in (0, 1, 3, 6, 7)] == [(1, 1), (1, 2), (2, 1), (3, 1), (4, 1)]
