"""The extension's YAML loader gives exactly what PyYAML's safe loader gives `mockd.imports.source`, or
leaves the document to PyYAML (None); never a third answer."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from mockd.gocompat.yamlfast import load_fast
from mockd.imports import source

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 5_000_000


def pyyaml(text: str) -> Any:
    return source._string_keys(yaml.load(text, Loader=source._Loader))


def agree(text: str, *, fallback_ok: bool = True) -> None:
    """The fast loader gives PyYAML's value, or None (PyYAML then reads it); None where PyYAML refuses the
    text. With `fallback_ok=False` it must answer itself whatever PyYAML accepts."""
    fast = load_fast(text, BUDGET)
    try:
        expected = pyyaml(text)
    except yaml.YAMLError:
        assert fast is None, text
        return
    if fast is None and (expected is None or fallback_ok):
        return
    assert same(fast, expected), text


def same(a: Any, b: Any) -> bool:
    """Equality with types (1 is not 1.0 is not True) and NaN equal to itself."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


SCALARS = [
    # YAML 1.1 booleans, and look-alikes that stay strings
    "yes", "Yes", "YES", "no", "NO", "on", "Off", "true", "FALSE", "y", "n", "yEs", "True_",
    # integers: decimal, octal with a leading 0, hex, binary, underscores, sexagesimal, beyond 64 bits
    "0", "-0", "+7", "017", "09", "0x1F", "-0x_ff", "0b101", "1_000", "1:30", "-1:30", "190:20:30",
    "123456789012345678901234567890", "-0x123456789abcdef0123", "9223372036854775808",
    # floats, and what YAML 1.1 does not call one (`1e5` has no dot)
    "1.5", "1.", "-1.", ".5", "1e5", "1.0e+5", "1.0e5", "6.02E-23", "1_0.5", "1:30.5", ".inf", "-.Inf",
    "+.INF", ".NaN", ".nan", "NaN", "inf",
    # nulls, and strings that look like them
    "~", "null", "Null", "NULL", "nul", "none", "None",
    # timestamps stay text (the loader drops that resolver), as do dates and versions
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "1.2.3", "v1", "12:30:45", "=x", "<<x", "-", "+",
]  # fmt: skip


@pytest.mark.parametrize("scalar", SCALARS)
def test_each_plain_scalar_resolves_as_pyyaml_does(scalar: str) -> None:
    for text in (f"v: {scalar}\n", f"- {scalar}\n", f"{scalar}: k\n", f"{{a: {scalar}}}\n"):
        agree(text)


@pytest.mark.parametrize("scalar", ["yes", "1", "1.5", "~", "0x10", ""])
def test_quoted_and_block_scalars_are_strings(scalar: str) -> None:
    text = f"a: '{scalar}'\nb: \"{scalar}\"\nc: |\n  {scalar}\nd: >-\n  {scalar}\n"
    out = load_fast(text, BUDGET)
    assert same(out, pyyaml(text))
    assert isinstance(out, dict)
    assert out["a"] == out["b"] == scalar


DOCUMENTS = [
    "openapi: 3.0.3\npaths:\n  /pets/{id}:\n    get:\n      responses:\n        200:\n          description: ok\n",
    "a:\n  - 1\n  - [2, three, {four: 4}]\n  - k: v\n    l: w\n",
    "text: |\n  line one\n  line two\n\nfolded: >\n  a\n  b\n\n  c\nkeep: |+\n  x\n\nstrip: |-\n  y\n",
    "plain: a multi\n  line plain\n  scalar\nq: 'it''s'\nd: \"tab\\there \\u00e9 \\x41\"\n",
    "base: &b {x: 1, y: [1, 2]}\nuse: *b\nagain: *b\nscalar: &s hello\nref: *s\n",
    "dup: 1\ndup: 2\nother: 3\n",
    "~: null key\nyes: bool key\n1.5: float key\n0x10: int key\n",
    "empty:\nlist:\n-\n- ~\n",
    '# a comment\n---\nunicode: "\\U0001F600 ü 中文"\nsmile: 😀\n...\n',
    "[1, 2, 3]\n",
    "just a string\n",
    "",
    "   \n# only a comment\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_documents_load_as_pyyaml_loads_them(text: str) -> None:
    agree(text, fallback_ok=False)


def test_an_alias_is_a_copy_not_a_shared_object() -> None:
    out = load_fast("a: &x {k: [1]}\nb: *x\n", BUDGET)
    assert out == {"a": {"k": [1]}, "b": {"k": [1]}}
    assert out["a"] is not out["b"]
    assert out["a"]["k"] is not out["b"]["k"]


@pytest.mark.parametrize(
    "text",
    [
        "a: !!str 1\n",  # explicit tags
        "a: !custom x\n",
        "b: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",  # merge keys
        "? [a, b]\n: complex key\n",
        "? {a: 1}\n: complex key\n",
        "a: 1\n---\nb: 2\n",  # two documents
        "a: [1, 2\n",  # syntax errors
        "a: 'unterminated\n",
        "a:\n\t- tab indented\n",
        "a: *nowhere\n",
        "x: =\n",
        "a: 'next\x85line'\n",  # NEL, U+2028, U+2029 break lines in YAML 1.1 only
        "a: \u2028\n",
    ],
)
def test_what_pyyaml_must_decide_is_left_to_it(text: str) -> None:
    assert load_fast(text, BUDGET) is None


def test_an_alias_bomb_is_left_to_pyyamls_size_error() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    text = "\n".join(lines) + "\n"
    assert load_fast(text, BUDGET) is None
    with pytest.raises(source.ImportFailure, match="too large once YAML aliases are expanded"):
        source.parse_document(text.encode(), "bomb.yaml", "openapi")


def test_every_yaml_file_in_the_repository_loads_the_same() -> None:
    files = [
        p
        for p in sorted([*ROOT.glob("tests/**/*.y*ml"), *ROOT.glob("examples/**/*.y*ml")])
        if p.suffix in (".yaml", ".yml")
    ]
    assert len(files) > 10
    for path in files:
        agree(path.read_text(), fallback_ok=True)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(SCALARS),
)
data = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    value=data,
    flow=st.sampled_from([False, True, None]),
    style=st.sampled_from([None, '"', "'", "|", ">"]),
    width=st.sampled_from([20, 80]),
)
def test_whatever_pyyaml_writes_loads_the_same(
    value: Any, flow: bool | None, style: str | None, width: int
) -> None:
    agree(
        yaml.safe_dump(value, default_flow_style=flow, default_style=style, width=width, allow_unicode=True)
    )
