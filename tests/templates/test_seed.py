"""Seed precedence (mockd-reference §3.8): ?_mockd_seed=N > X-Mockd-Seed: N > the response's `seed`.

A seed fixes uuid/random/faker for the response; it does not touch now/timestamp/sequence. A value that
is not a base-10 int64 is skipped and the next source applies.
"""

from __future__ import annotations

import pytest

from tests.templates.conftest import render

UUID_42 = "9fe4c771-8175-44ca-81c5-f8e880b54d6a"  # the Go tool's {{uuid}} for seed 42
UUID_MINUS_7 = "a918fb43-3f67-490c-a6f2-7f8b868339c9"
UUID_7 = render("{{uuid}}", seed=7)


@pytest.mark.parametrize(
    ("query", "header", "configured", "expected"),
    [
        ("_mockd_seed=42", "-7", 7, UUID_42),  # query wins over header and config
        ("", "42", 7, UUID_42),  # header wins over config
        ("", None, 42, UUID_42),  # config alone
        ("a=1&_mockd_seed=-7", None, None, UUID_MINUS_7),
        ("_mockd_seed=%2D7", None, None, UUID_MINUS_7),  # the query value is decoded first
        ("_mockd_seed=42&_mockd_seed=-7", None, None, UUID_42),  # first value
        ("_mockd_seed=abc", "42", None, UUID_42),  # unparsable: falls through to the header
        ("_mockd_seed=", "42", None, UUID_42),
        ("_mockd_seed=99999999999999999999", "42", None, UUID_42),  # out of int64 range: skipped
        ("", "4.2", 7, UUID_7),  # unparsable header: falls through to config
        ("", "+42", None, UUID_42),  # strconv accepts a sign
        ("_mockd_seed=42;x", "-7", None, UUID_MINUS_7),  # a pair with ';' is not a parameter in Go
    ],
)
def test_seed_precedence(query: str, header: str | None, configured: int | None, expected: str) -> None:
    headers = {} if header is None else {"x-mockd-seed": header}
    assert render("{{uuid}}", query=query, headers=headers, seed=configured) == expected


def test_no_seed_means_fresh_values() -> None:
    assert len({render("{{uuid}}|{{random.int(1, 1000000)}}|{{faker.name}}") for _ in range(5)}) == 5


def test_seed_fixes_random_and_faker_but_not_time_or_sequences() -> None:
    template = '{{uuid}} {{random.string}} {{faker.email}} {{sequence("s")}}'
    first = render(template, seed=5).split()
    second = render(template, seed=5).split()
    assert first[:3] == second[:3]
    assert (first[3], second[3]) == ("1", "2")


def test_seed_wraps_like_go_uint64() -> None:
    # uint64(-1) == 2**64 - 1: the same generator as the largest unsigned seed, not as seed 1
    assert render("{{uuid}}", seed=-1) != render("{{uuid}}", seed=1)
    assert render("{{uuid}}", query="_mockd_seed=-1") == render("{{uuid}}", seed=-1)
