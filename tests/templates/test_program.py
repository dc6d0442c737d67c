"""Parse once, render many: what `compile_template` builds, and that it renders the same via every shape."""

from __future__ import annotations

import pytest

from mockd.templates import FAKER, REQUEST, RNG, compile_template, parse_expression
from tests.templates.conftest import make_context


@pytest.mark.parametrize(
    ("source", "static"),
    [
        ("plain", "plain"),
        ("", ""),
        ("a{{ nope }}b", "ab"),  # unknown expressions fold to ""
        ('{{ upper "x" }}-{{ default "" "fb" }}-{{ lower HeLLo }}', "X-fb-hello"),
        ("{{mtls.cn}}{{topic}}", ""),
        ("{{request.method}}", None),
        ("{{now}}", None),
    ],
)
def test_request_independent_templates_are_static(source: str, static: str | None) -> None:
    assert compile_template(source).static == static


@pytest.mark.parametrize(
    ("source", "uses"),
    [
        ("{{request.pathParam.id}} {{now}}", {REQUEST}),
        ("{{uuid}} {{random.int(1, 2)}}", {RNG}),
        ("{{faker.name}}", {RNG, FAKER}),
        ("{{upper faker.name}} {{default request.query.a 'x'}}", {RNG, FAKER, REQUEST}),
        ('{{sequence("a")}} {{timestamp}}', set()),
    ],
)
def test_uses_tell_the_runtime_what_a_template_needs(source: str, uses: set[str]) -> None:
    assert compile_template(source).uses == uses


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7])
def test_every_render_shape_joins_text_and_values_in_order(count: int) -> None:
    source = "%d%%{" + "".join(f"<{i}:{{{{request.method}}}}>" for i in range(count)) + "}%s"
    expected = "%d%%{" + "".join(f"<{i}:POST>" for i in range(count)) + "}%s"
    assert compile_template(source).render(make_context()) == expected


def test_bare_expression_renders_without_wrapping() -> None:
    template = compile_template("{{request.method}}")
    assert template.render(make_context()) == "POST"


def test_expressions_record_their_offsets() -> None:
    template = compile_template("ab {{ x }} {{y}}")
    assert [(offset, expr.text) for offset, expr in template.expressions] == [(3, "x"), (11, "y")]


@pytest.mark.parametrize(
    ("text", "value"),
    [("  now  ", None), ("upper 'ab'", "AB"), ("nope", ""), ('default(request.query.zz, "d")', None)],
)
def test_parse_expression_trims_and_folds(text: str, value: str | None) -> None:
    assert parse_expression(text).value == value


def test_one_template_serves_many_requests() -> None:
    template = compile_template("{{request.query.q}}|{{request.pathParam.id}}")
    outputs = [template.render(make_context(query=f"q={i}", params={"id": str(i * 2)})) for i in range(3)]
    assert outputs == ["0|0", "1|2", "2|4"]
