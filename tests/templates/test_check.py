"""check_template: the warnings `mockd validate` prints for templates."""

from __future__ import annotations

import pytest

from mockd.templates import check_template

EMPTY = "renders as an empty string"


@pytest.mark.parametrize(
    "template",
    [
        "no templates at all",
        '{"id": "{{request.pathParam.id}}", "at": "{{now}}", "n": {{random.int(1, 10)}}}',
        '{{ upper request.query.name }} {{lower(request.method)}} {{default request.query.x "anon"}}',
        '{{default(request.body.name, "x")}} {{sequence("orders", 100)}} {{random.element a b}}',
        "{{faker.name}} {{faker.words(4)}} {{FAKER.EMAIL}} {{uuid.short}} {{timestamp.unix_ms}}",
        "{{random.float(1.5, 9.5, 2)}} {{random.int -5 5}} {{randomString 4}} {{request.rawBody}}",
        "{{ upper hello }}",  # a literal argument is legitimate
    ],
)
def test_valid_templates_have_no_problems(template: str) -> None:
    assert check_template(template) == []


@pytest.mark.parametrize(
    ("template", "problems"),
    [
        ("{{ uuidd }}", [f'line 1, column 1: unknown expression "uuidd"; did you mean "uuid"?; it {EMPTY}']),
        ("a\n  {{nowz}}", [f'line 2, column 3: unknown expression "nowz"; did you mean "now"?; it {EMPTY}']),
        ("{{ request.bodyy.x }}",
         [f'line 1, column 1: unknown request field "bodyy"; did you mean "request.body"?; it {EMPTY}']),
        ("{{request.body}}",
         [f'line 1, column 1: "request.body" without a field {EMPTY} (use request.rawBody for the whole body)']),
        ("{{request.query}}", [f'line 1, column 1: "request.query" needs a name, as in request.query.NAME; it {EMPTY}']),
        ("{{request.jsonPath.a}}", [f'line 1, column 1: "request.jsonPath.a" is never set for HTTP mocks; it {EMPTY}']),
        ("{{request.header.Host}}",
         ['line 1, column 1: "request.header.Host" is always empty (the Host header is not in the header map)']),
        ("{{faker.nmae}}", [f'line 1, column 1: unknown faker type "nmae"; did you mean "name"?; it {EMPTY}']),
        ("{{faker.name(2)}}",
         [f"line 1, column 1: faker.name(...) takes no arguments (only faker.words(n) does); it {EMPTY}"]),
        ("{{faker.words(x)}}", ['line 1, column 1: "faker.words(x)": the count must be a positive integer; 3 words are used']),
        ("{{random.int(9, 1)}}",
         [f'line 1, column 1: "random.int(9, 1)": the minimum is greater than the maximum; it {EMPTY}']),
        ("{{random.int 1}}", [f'line 1, column 1: "random.int 1" needs two integers: random.int MIN MAX; it {EMPTY}']),
        ("{{random.int a b}}", [f'line 1, column 1: "random.int a b": MIN and MAX must be integers; it {EMPTY}']),
        ("{{random.int(-1, 5)}}",
         [f'line 1, column 1: unknown expression "random.int(-1, 5)"; arguments are non-negative numbers in '
          f"parentheses, as in random.int(1, 10), or space-separated, as in random.int -5 5; it {EMPTY}"]),
        ("{{random.string 0}}",
         [f'line 1, column 1: "random.string 0" needs one positive length: random.string N; it {EMPTY}']),
        ("{{random.float 1}}", [f'line 1, column 1: "random.float 1" needs MIN MAX [PRECISION]; it {EMPTY}']),
        ("{{random.element()}}",
         [f'line 1, column 1: unknown expression "random.element()"; give it choices: random.element("a", "b") '
          f"or random.element a b; it {EMPTY}"]),
        ("{{sequence(id)}}",
         [f'line 1, column 1: unknown expression "sequence(id)"; sequence needs a quoted name: sequence("name") '
          f'or sequence("name", 100); it {EMPTY}']),
        ("{{upper a b}}",
         ['line 1, column 1: "upper a b": upper takes one value (quote text with spaces: upper("a b"))']),
        ("{{default x}}", ['line 1, column 1: "default x" needs a value and a fallback: default VALUE "fallback"']),
        ("{{default(x)}}", ['line 1, column 1: "default(x)" needs a value and a fallback: default(value, "fallback")']),
        ("{{upper request.nope}}", [f'line 1, column 1: unknown request field "nope"; it {EMPTY}']),
        ("{{mtls.cn}}",
         ['line 1, column 1: "mtls.cn" reads the client certificate, and this server has no TLS: it renders as an '
          "empty string"]),
        ("{{topic}} {{payload.t}}",
         [f'line 1, column 1: "topic" is only set for MQTT mocks; here it {EMPTY}',
          f'line 1, column 11: "payload.t" is only set for MQTT mocks; here it {EMPTY}']),
        ("{{ }}", [f"line 1, column 1: empty expression {EMPTY}"]),
        ('{"a": "{{ request.path }"}',
         ['line 1, column 8: "{{" does not start an expression (no closing "}}", or a "}" inside it), so it is '
          "served as written"]),
        ("{{}} and {{ ok", [
            'line 1, column 1: "{{" does not start an expression (no closing "}}", or a "}" inside it), so it is '
            "served as written",
            'line 1, column 10: "{{" does not start an expression (no closing "}}", or a "}" inside it), so it is '
            "served as written",
        ]),
        ("{{now}} {{bad1}} {{ {x }} {{bad2}}", [
            f'line 1, column 9: unknown expression "bad1"; it {EMPTY}',
            f'line 1, column 18: unknown expression "{{x"; it {EMPTY}',
            f'line 1, column 27: unknown expression "bad2"; it {EMPTY}',
        ]),
    ],
)  # fmt: skip
def test_problems_are_listed_with_position_and_consequence(template: str, problems: list[str]) -> None:
    assert check_template(template) == problems


def test_checking_does_not_load_faker() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from mockd.templates import check_template; "
        "check_template('{{faker.name}} {{faker.nmae}}'); print('faker' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
