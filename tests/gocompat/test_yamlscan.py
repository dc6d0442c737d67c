"""YAML decoded as the Go tool's yaml.v3 decodes it, not as PyYAML's YAML 1.1 would."""

from __future__ import annotations

import math

import pytest

from mockd.gocompat.yamlscan import YamlSyntaxError, resolve_plain, scan


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # YAML 1.1 booleans are plain strings for yaml.v3 (PyYAML would say True/False)
        ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"),
        ("true", True), ("True", True), ("TRUE", True), ("tRUE", "tRUE"), ("false", False),
        ("~", None), ("null", None), ("Null", None), ("NULL", None), ("", None),
        # integers as strconv.ParseInt(s, 0, 64) after removing "_"
        ("42", 42), ("-7", -7), ("+5", 5), ("1_000", 1000), ("0x1F", 31), ("0o17", 15), ("0b101", 5),
        ("-0b11", -3), ("017", 15),  # the YAML 1.1 octal is still read by yaml.v3
        ("08", 8.0),  # not octal, not an int: the float pattern takes it
        ("18446744073709551615", 18446744073709551615),  # uint64
        ("18446744073709551616", 1.8446744073709552e19),
        # floats
        ("1.0", 1.0), ("1.", 1.0), (".5", 0.5), ("1e3", 1000.0), ("-1.5E-2", -0.015), (".inf", math.inf),
        ("-.Inf", -math.inf), ("._5", "._5"),
        # sexagesimal numbers were YAML 1.1 only
        ("1:30", "1:30"),
        # timestamps become Go time values, which print as RFC 3339 with nanoseconds
        ("2024-01-15", "2024-01-15T00:00:00Z"),
        ("2024-1-5", "2024-01-05T00:00:00Z"),
        ("2024-01-15T10:00:00Z", "2024-01-15T10:00:00Z"),
        ("2024-01-15t10:00:00+02:00", "2024-01-15T10:00:00+02:00"),
        ("2024-01-15T10:00:00.500+00:00", "2024-01-15T10:00:00.5Z"),
        ("2024-01-15 10:00:00", "2024-01-15T10:00:00Z"),
        ("2024-02-30", "2024-02-30"),  # not a date: a string
        ("2024-01-15T10:00:00", "2024-01-15T10:00:00"),  # "T" without a zone is not one of yaml.v3's forms
        ("abc", "abc"), ("<<", "<<"), ("-", "-"), ("1.2.3", "1.2.3"),
    ],
)  # fmt: skip
def test_plain_scalars_resolve_like_yaml_v3(text, expected):
    value = resolve_plain(text)
    if isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(value)
    else:
        assert value == expected
        assert type(value) is type(expected)


def test_quoted_and_block_scalars_are_always_strings():
    data, _, _ = scan("a: \"123\"\nb: 'true'\nc: |\n  42\nd: !!str 7\n")
    assert data == {"a": "123", "b": "true", "c": "42\n", "d": "7"}


def test_explicit_tags_are_checked():
    data, _, issues = scan("a: !!int 42\nb: !!float 3\nc: !!int abc\nd: !custom x\n")
    assert data == {"a": 42, "b": 3.0, "c": "abc", "d": "x"}
    assert [i.message for i in issues] == ["cannot decode !!str `abc` as a !!int"]


def test_non_string_scalars_keep_their_literal_text_for_string_fields():
    # `version: 1.0` is the string "1.0" for a string field (yaml.v3 uses the node's text)
    _, positions, _ = scan("version: 1.0\nflag: TRUE\nwhen: 2024-01-15\nname: x\n")
    assert [positions.scalar_text((k,)) for k in ("version", "flag", "when", "name")] == [
        "1.0", "TRUE", "2024-01-15", None,
    ]  # fmt: skip


def test_duplicate_keys_are_an_error_with_both_lines():
    # yaml.v3: `mapping key "x" already defined at line N`
    _, positions, issues = scan("a: 1\nb: 2\na: 3\n")
    assert [(i.message, positions.line_col(i.offset)) for i in issues] == [
        ('mapping key "a" already defined at line 1', (3, 1))
    ]


def test_merge_keys_take_explicit_keys_first_then_earlier_maps():
    text = "x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nz:\n  <<: [*x, *y]\n  c: 3\n"
    data, _, issues = scan(text)
    assert (data["z"], issues) == ({"c": 3, "a": 1, "b": 1}, [])


def test_only_the_first_document_is_read():
    data, _, _ = scan("a: 1\n---\nb: 2\n")
    assert data == {"a": 1}


def test_an_empty_document_is_null():
    data, positions, issues = scan("# nothing here\n")
    assert (data, positions.root, issues) == (None, None, [])


def test_syntax_errors_carry_line_and_column():
    with pytest.raises(YamlSyntaxError) as info:
        scan("a: 1\nb: [1, 2\nc: 3\n")
    assert (info.value.line, info.value.column) == (3, 2)
    assert info.value.problem


def test_positions_point_at_values_and_keys():
    _, positions, _ = scan("mocks:\n  - http:\n      matcher: {path: api}\n")
    path = ("mocks", 0, "http", "matcher", "path")
    assert positions.where(path) is not None
    assert (positions.where(path).line, positions.where(path).column) == (3, 23)
    assert (positions.where(path, at_key=True).line, positions.where(path, at_key=True).column) == (3, 17)
