"""One `{{ expression }}` turned into a render function, once, when the template is built.

The Go tool re-reads every expression on every request, trying its forms in a fixed order: built-in names,
MQTT names, the parenthesised calls, the space-separated calls, `payload.`, `faker.`, `request.`, `mtls.`;
anything else prints as "". Which form an expression takes depends only on its text, so `parse_expression`
walks that same order once and returns an `Expr`: either a value known now (an unknown expression is the
known value "", with the reason kept for `check_template`), or a function of the request `Context`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mockd.templates import fake, functions
from mockd.templates.context import Context, body_field
from mockd.templates.gofmt import atoi
from mockd.templates.syntax import fields, is_quoted, split_args, trim, unquote_arg

Render = Callable[[Context], str]

# Uses, so callers know what a template needs: the runtime loads Faker's tables only for "faker", and
# shares one random source between headers and body only for "rng".
RNG, FAKER, REQUEST = "rng", "faker", "request"


@dataclass(frozen=True, slots=True)
class Expr:
    text: str  # the expression as written, trimmed
    value: str | None  # the output when it does not depend on the request (always "" for unknown ones)
    fn: Render | None  # otherwise: the output for one request
    uses: frozenset[str]
    problem: str | None  # why it renders as "" or not as intended; `check_template` reports it


def _known(text: str, value: str, problem: str | None = None) -> Expr:
    return Expr(text, value, None, frozenset(), problem)


def _empty(text: str, problem: str) -> Expr:
    return Expr(text, "", None, frozenset(), problem)


def _dynamic(text: str, fn: Render, *uses: str) -> Expr:
    return Expr(text, None, fn, frozenset(uses), None)


_FLAGS = re.IGNORECASE | re.ASCII
_S = r"[\t\n\f\r ]*"  # RE2's \s
_RANDOM_INT = re.compile(rf"(?:random\.int|randomint)(?:\(([0-9]+),{_S}([0-9]+)\))?", _FLAGS)
_RANDOM_FLOAT = re.compile(
    rf"(?:random\.float|randomfloat)(?:\(([0-9.]+),{_S}([0-9.]+)(?:,{_S}([0-9]+))?\))?", _FLAGS
)
_RANDOM_STRING = re.compile(r"(?:random\.string|randomstring)(?:\(([0-9]+)\))?", _FLAGS)
_RANDOM_ELEMENT = re.compile(r"(?:random\.element|randomelement)\((.+)\)", _FLAGS)
_SEQUENCE = re.compile(rf'sequence\("([^"]+)"(?:,{_S}([0-9]+))?\)', _FLAGS)
_CALL = re.compile(r"([0-9A-Za-z_]+)\((.+)\)", _FLAGS)
_PAYLOAD = re.compile(r"payload\.(.+)", _FLAGS)
_FAKER_CALL = re.compile(r"faker\.([0-9A-Za-z_]+)\((.+)\)", _FLAGS)
_FAKER = re.compile(r"faker\.([0-9A-Za-z_]+)", _FLAGS)

_MQTT_ONLY = "is only set for MQTT mocks; here it renders as an empty string"
_NO_TLS = "reads the client certificate, and this server has no TLS: it renders as an empty string"
_EMPTY = "renders as an empty string"


# --- names without arguments ----------------------------------------------------------------------------


def _uuid(c: Context) -> str:
    return c.rng().uuid4()


def _uuid_short(c: Context) -> str:
    return c.rng().uuid4()[:8]


def _random_hex(c: Context) -> str:
    return c.rng().hex32()


def _random_int_default(c: Context) -> str:
    return functions.random_int(c.rng(), 0, 100)


def _random_float_default(c: Context) -> str:
    return functions.random_float(c.rng())


def _random_string_default(c: Context) -> str:
    return functions.random_string(c.rng(), 10)


_NAMES: dict[str, tuple[Render, tuple[str, ...]]] = {
    "now": (lambda _c: functions.now_local(), ()),
    "uuid": (_uuid, (RNG,)),
    "uuid.short": (_uuid_short, (RNG,)),
    "timestamp": (lambda _c: functions.unix_seconds(), ()),
    "timestamp.iso": (lambda _c: functions.iso_utc_nanos(), ()),
    "timestamp.unix": (lambda _c: functions.unix_seconds(), ()),
    "timestamp.unix_ms": (lambda _c: functions.unix_millis(), ()),
    "random": (_random_hex, (RNG,)),
    "random.float": (_random_float_default, (RNG,)),
    "randomfloat": (_random_float_default, (RNG,)),
    "random.int": (_random_int_default, (RNG,)),
    "randomint": (_random_int_default, (RNG,)),
    "random.string": (_random_string_default, (RNG,)),
    "randomstring": (_random_string_default, (RNG,)),
}
_MQTT_NAMES = frozenset(("topic", "clientid", "device_id"))


def parse_expression(text: str) -> Expr:
    """The render function (or known value) of one expression, chosen as the Go tool would choose it."""
    expr = trim(text)
    if not expr:
        return _empty(expr, "empty expression " + _EMPTY)
    lower = expr.lower()
    named = _NAMES.get(lower)
    if named is not None:
        return _dynamic(expr, named[0], *named[1])
    if lower in _MQTT_NAMES:
        return _empty(expr, f'"{expr}" {_MQTT_ONLY}')
    parsed = _parenthesised(expr)
    if parsed is None:
        parsed = _space_separated(expr)
    if parsed is not None:
        return parsed
    if _PAYLOAD.fullmatch(expr):
        return _empty(expr, f'"{expr}" {_MQTT_ONLY}')
    match = _FAKER_CALL.fullmatch(expr)
    if match:
        return _faker_call(expr, match.group(1).lower(), match.group(2))
    match = _FAKER.fullmatch(expr)
    if match:
        return _faker(expr, match.group(1))
    if lower.startswith("request."):
        return _request(expr, expr[8:])
    if lower.startswith("mtls."):
        return _empty(expr, f'"{expr}" {_NO_TLS}')
    return _empty(expr, f'unknown expression "{expr}"{_suggest(lower)}; it {_EMPTY}')


# --- function-call forms: random.int(1, 5), sequence("id"), upper(x), default(x, "y") ----------------------


def _parenthesised(expr: str) -> Expr | None:
    match = _RANDOM_INT.fullmatch(expr)
    if match:
        if match.group(1) is None:
            return None
        low, _ = atoi(match.group(1))  # the Go tool ignores overflow: the value clamps to int64
        high, _ = atoi(match.group(2))
        return _random_int(expr, low, high)
    match = _RANDOM_FLOAT.fullmatch(expr)
    if match:
        if match.group(1) is None:
            return None
        return _random_float_range(expr, match.group(1), match.group(2), match.group(3) or "")
    match = _RANDOM_STRING.fullmatch(expr)
    if match:
        length = 10
        if match.group(1) is not None:
            n, ok = atoi(match.group(1))
            if ok and n > 0:
                length = n
        return _random_string(expr, length)
    match = _RANDOM_ELEMENT.fullmatch(expr)
    if match:
        args = split_args(match.group(1))
        if not args:
            return _empty(expr, f'"{expr}" has no elements to pick from; it {_EMPTY}')
        return _random_element(expr, [unquote_arg(a) for a in args])
    match = _SEQUENCE.fullmatch(expr)
    if match:
        start = 1
        if match.group(2) is not None:
            start, _ = atoi(match.group(2))
        return _sequence(expr, match.group(1), start)
    match = _CALL.fullmatch(expr)
    if match:
        name = match.group(1).lower()
        if name in ("upper", "lower"):
            return _case(expr, name, resolve_value(trim(match.group(2))))
        if name == "default":
            args = split_args(match.group(2))
            if len(args) < 2:
                return _empty(expr, f'"{expr}" needs a value and a fallback: default(value, "fallback")')
            return _default(expr, resolve_value(args[0]), unquote_arg(args[1]))
    return None


# --- space-separated forms: random.int 1 5, upper request.path, default request.query.x "y" -------------


def _space_separated(expr: str) -> Expr | None:
    parts = fields(expr)
    if len(parts) < 2:
        return None
    name, args = parts[0].lower(), parts[1:]
    if name in ("random.element", "randomelement"):
        return _random_element(expr, [unquote_arg(a) for a in args])
    if name in ("random.int", "randomint"):
        if len(args) != 2:
            return _empty(expr, f'"{expr}" needs two integers: random.int MIN MAX; it {_EMPTY}')
        low, ok_low = atoi(args[0])
        high, ok_high = atoi(args[1])
        if not (ok_low and ok_high):
            return _empty(expr, f'"{expr}": MIN and MAX must be integers; it {_EMPTY}')
        return _random_int(expr, low, high)
    if name in ("random.float", "randomfloat"):
        if not 2 <= len(args) <= 3:
            return _empty(expr, f'"{expr}" needs MIN MAX [PRECISION]; it {_EMPTY}')
        return _random_float_range(expr, args[0], args[1], args[2] if len(args) == 3 else "")
    if name in ("random.string", "randomstring"):
        n, ok = atoi(args[0]) if len(args) == 1 else (0, False)
        if not ok or n <= 0:
            return _empty(expr, f'"{expr}" needs one positive length: random.string N; it {_EMPTY}')
        return _random_string(expr, n)
    if name in ("upper", "lower"):
        if len(args) != 1:
            return _empty(expr, f'"{expr}": {name} takes one value (quote text with spaces: {name}("a b"))')
        return _case(expr, name, resolve_value(args[0]))
    if name == "default":
        if len(args) < 2:
            return _empty(expr, f'"{expr}" needs a value and a fallback: default VALUE "fallback"')
        return _default(expr, resolve_value(args[0]), unquote_arg(" ".join(args[1:])))
    return None


def resolve_value(ref: str) -> Expr:
    """An argument of upper/lower/default: a quoted literal, a context path, or else the bare text itself.

    Only these prefixes count as paths, with the Go tool's case rules: `request.`, `mtls.`, `payload.`,
    `uuid`, `uuid.short`, `now`, `timestamp`, `timestamp.*` exactly as written; `faker.*`, `random`,
    `random.*`, `topic`, `clientId`, `device_id` in any case. So `upper Request.path` prints REQUEST.PATH.
    """
    ref = trim(ref)
    if is_quoted(ref):
        return _known(ref, ref[1:-1])
    lower = ref.lower()
    if (
        ref.startswith(("request.", "mtls.", "payload.", "timestamp."))
        or ref in ("uuid", "uuid.short", "now", "timestamp")
        or lower in ("topic", "clientid", "device_id", "random")
        or lower.startswith(("faker.", "random."))
    ):
        return parse_expression(ref)
    return _known(ref, ref)


def _random_int(expr: str, low: int, high: int) -> Expr:
    if low > high:
        return _empty(expr, f'"{expr}": the minimum is greater than the maximum; it {_EMPTY}')
    return _dynamic(expr, lambda c: functions.random_int(c.rng(), low, high), RNG)


def _random_float_range(expr: str, low: str, high: str, precision: str) -> Expr:
    return _dynamic(expr, lambda c: functions.random_float_range(c.rng(), low, high, precision), RNG)


def _random_string(expr: str, length: int) -> Expr:
    return _dynamic(expr, lambda c: functions.random_string(c.rng(), length), RNG)


def _random_element(expr: str, elements: list[str]) -> Expr:
    choices = tuple(elements)
    return _dynamic(expr, lambda c: choices[c.rng().intn(len(choices))], RNG)


def _sequence(expr: str, name: str, start: int) -> Expr:
    return _dynamic(expr, lambda _c: functions.next_in_sequence(name, start))


def _case(expr: str, name: str, value: Expr) -> Expr:
    change = functions.go_upper if name == "upper" else functions.go_lower
    if value.fn is None:
        return Expr(expr, change(value.value or ""), None, frozenset(), value.problem)
    inner = value.fn
    return Expr(expr, None, lambda c: change(inner(c)), value.uses, value.problem)


def _default(expr: str, value: Expr, fallback: str) -> Expr:
    if value.fn is None:
        return Expr(expr, value.value or fallback, None, frozenset(), value.problem)
    inner = value.fn
    return Expr(expr, None, lambda c: inner(c) or fallback, value.uses, value.problem)


# --- faker.* ---------------------------------------------------------------------------------------------


def _faker(expr: str, kind: str) -> Expr:
    make = fake.FAKER_TYPES.get(kind.lower())
    if make is None:
        hint = _close(kind, fake.DOCUMENTED_TYPES)
        return _empty(expr, f'unknown faker type "{kind}"{hint}; it {_EMPTY}')
    return _dynamic(expr, lambda c: make(fake.load(), c.rng()), RNG, FAKER)


def _faker_call(expr: str, kind: str, args: str) -> Expr:
    if kind != "words":
        return _empty(expr, f"faker.{kind}(...) takes no arguments (only faker.words(n) does); it {_EMPTY}")
    n, ok = atoi(trim(args))
    problem = None
    if not ok or n <= 0:
        n, problem = 3, f'"{expr}": the count must be a positive integer; 3 words are used'
    count = n
    uses = frozenset((RNG, FAKER))
    return Expr(expr, None, lambda c: fake.words(fake.load(), c.rng(), count), uses, problem)


# --- request.* -------------------------------------------------------------------------------------------

_REQUEST_FIELDS = ("method", "path", "url", "rawBody", "body", "query", "header", "pathParam", "pathPattern")


def _request(expr: str, rest: str) -> Expr:
    head, dot, sub = rest.partition(".")
    field = head.lower()
    if field == "method":
        return _dynamic(expr, lambda c: c.method, REQUEST)
    if field == "path":
        return _dynamic(expr, lambda c: c.path, REQUEST)
    if field == "url":
        return _dynamic(expr, lambda c: c.url(), REQUEST)
    if field == "rawbody":
        return _dynamic(expr, lambda c: c.raw_text(), REQUEST)
    if field in ("body", "query", "header", "pathparam", "pathpattern", "jsonpath") and not dot:
        if field == "body":
            return _empty(expr, f'"{expr}" without a field {_EMPTY} (use request.rawBody for the whole body)')
        return _empty(expr, f'"{expr}" needs a name, as in {expr}.NAME; it {_EMPTY}')
    if field == "body":
        path = tuple(sub.split("."))
        return _dynamic(expr, lambda c: body_field(c.json_body(), path), REQUEST)
    if field == "query":
        return _dynamic(expr, lambda c: c.query().get(sub, ""), REQUEST)
    if field == "header":
        name = sub.lower()
        if name == "host":  # Go moves Host out of the header map: the Go tool prints ""
            return _empty(expr, f'"{expr}" is always empty (the Host header is not in the header map)')
        return _dynamic(expr, lambda c: c.header(name) or "", REQUEST)
    if field == "pathparam":
        return _dynamic(expr, lambda c: c.path_params.get(sub, ""), REQUEST)
    if field == "pathpattern":
        return _dynamic(expr, lambda c: c.pattern_captures.get(sub, ""), REQUEST)
    if field == "jsonpath":
        return _empty(expr, f'"{expr}" is never set for HTTP mocks; it {_EMPTY}')
    hint = _close(head, _REQUEST_FIELDS, prefix="request.")
    return _empty(expr, f'unknown request field "{head}"{hint}; it {_EMPTY}')


# --- suggestions -----------------------------------------------------------------------------------------

_KNOWN = (
    "now", "uuid", "uuid.short", "timestamp", "timestamp.iso", "timestamp.unix", "timestamp.unix_ms",
    "random", "random.int", "random.float", "random.string", "random.element", "randomInt", "randomFloat",
    "randomString", "randomElement", "sequence", "upper", "lower", "default", "request", "faker", "mtls",
)  # fmt: skip


def _suggest(lower: str) -> str:
    head = re.split(r"[\s(]", lower, maxsplit=1)[0]
    if head == "sequence":
        return '; sequence needs a quoted name: sequence("name") or sequence("name", 100)'
    if head in ("random.element", "randomelement"):
        return '; give it choices: random.element("a", "b") or random.element a b'
    if head in ("random.int", "randomint", "random.float", "randomfloat", "random.string", "randomstring"):
        return (
            "; arguments are non-negative numbers in parentheses, as in random.int(1, 10), "
            "or space-separated, as in random.int -5 5"
        )
    return _close(head, _KNOWN)


def _close(word: str, options: tuple[str, ...], prefix: str = "") -> str:
    import difflib  # only for problem messages: keep it off the import path of every process

    lowered = {o.lower(): o for o in options}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.7)
    return f'; did you mean "{prefix}{lowered[match[0]]}"?' if match else ""
