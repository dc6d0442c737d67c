"""Go's number parsing and value printing, as the template engine of the Go tool applies them.

Templates print JSON body fields with Go's `%v` and parse their numeric arguments with `strconv`, so a body
that says `{"n": 1000000}` renders as `1e+06`, and `random.int(1, 99999999999999999999)` clamps to int64.
Users' snapshots depend on those spellings, so they are reproduced here exactly (checked against the Go
tool with a table of values in tests/templates/test_gofmt.py).
"""

from __future__ import annotations

import math
import re
from typing import Any

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1

# strconv.Atoi / ParseInt(s, 10, 64): optional sign, ASCII digits only (no spaces, no underscores).
_INT_RE = re.compile(r"[+-]?[0-9]+")
# strconv.ParseFloat: decimal mantissa with optional exponent; hex form needs a `p` exponent.
_DEC_FLOAT_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_HEX_FLOAT_RE = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+")
_SPECIAL_FLOATS = {
    "inf": math.inf, "+inf": math.inf, "-inf": -math.inf,
    "infinity": math.inf, "+infinity": math.inf, "-infinity": -math.inf,
    "nan": math.nan, "+nan": math.nan, "-nan": math.nan,
}  # fmt: skip


def atoi(text: str) -> tuple[int, bool]:
    """`strconv.Atoi` on a 64-bit platform: (value, ok).

    Out-of-range input is not ok but still yields the clamped value, which the Go tool uses where it drops
    the error (`random.int(0, 99999999999999999999)`); a syntax error yields 0.
    """
    if not _INT_RE.fullmatch(text):
        return 0, False
    value = int(text)
    if value > INT64_MAX:
        return INT64_MAX, False
    if value < INT64_MIN:
        return INT64_MIN, False
    return value, True


def parse_float(text: str) -> tuple[float, bool]:
    """`strconv.ParseFloat(s, 64)`: (value, ok). A syntax error yields 0.0; overflow yields ±Inf, not ok."""
    if _DEC_FLOAT_RE.fullmatch(text):
        value = float(text)
        return value, not math.isinf(value)
    special = _SPECIAL_FLOATS.get(text.lower())
    if special is not None:
        return special, True
    if _HEX_FLOAT_RE.fullmatch(text):
        try:
            return float.fromhex(text), True
        except OverflowError:
            return (-math.inf if text.startswith("-") else math.inf), False
    return 0.0, False


def wrap_int64(value: int) -> int:
    """Two's-complement wrap-around, as Go's `int` arithmetic does on overflow."""
    return ((value + (1 << 63)) & ((1 << 64) - 1)) - (1 << 63)


def _shortest_digits(x: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of a finite, non-zero |x| and the decimal point position.

    `0.00123` -> ("123", -2): the value is 0.<digits> * 10**dp. Python's repr and Go's shortest formatting
    both produce the shortest digit string that round-trips, so only the layout differs.
    """
    text = repr(abs(x))
    mantissa, _, exponent = text.partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = whole + frac
    dp = len(whole) + (int(exponent) if exponent else 0)
    stripped = digits.lstrip("0")
    dp -= len(digits) - len(stripped)
    return stripped.rstrip("0"), dp


def _special(x: float) -> str | None:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    return None


def format_float_g(x: float) -> str:
    """`fmt.Sprintf("%v", x)` for a float64: the shortest round-trip digits, laid out like `%g`.

    Go switches to exponent form when the decimal exponent is < -4 or >= 6 (strconv's threshold for
    shortest output; JavaScript and Go's own JSON encoder use 21), and writes the exponent with a sign and
    at least two digits: 1e+06, 1.234567e+06, 1e-05.
    """
    special = _special(x)
    if special is not None:
        return special
    sign = "-" if math.copysign(1.0, x) < 0 else ""
    if x == 0:
        return sign + "0"
    digits, dp = _shortest_digits(x)
    exp = dp - 1
    if exp < -4 or exp >= 6:
        head = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{head}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return sign + _layout_fixed(digits, dp)


def format_float_f(x: float) -> str:
    """`strconv.FormatFloat(x, 'f', -1, 64)`: shortest digits, never an exponent (`random.float(1, 2)`)."""
    special = _special(x)
    if special is not None:
        return special
    sign = "-" if math.copysign(1.0, x) < 0 else ""
    if x == 0:
        return sign + "0"
    digits, dp = _shortest_digits(x)
    return sign + _layout_fixed(digits, dp)


def format_fixed(x: float, precision: int) -> str:
    """`fmt.Sprintf("%.Nf", x)`; both languages round the exact binary value, so only Inf/NaN differ."""
    special = _special(x)
    if special is not None:
        return special
    return f"{x:.{precision}f}"


def _layout_fixed(digits: str, dp: int) -> str:
    if dp <= 0:
        return "0." + "0" * -dp + digits
    if dp >= len(digits):
        return digits + "0" * (dp - len(digits))
    return digits[:dp] + "." + digits[dp:]


def format_value(value: Any) -> str:
    """`fmt.Sprintf("%v", v)` for a value decoded by Go's `json.Unmarshal` into `interface{}`.

    JSON numbers are float64 in Go (orjson gives ints for integer literals, printed the same way), maps print
    as `map[k:v ...]` with sorted keys, arrays as `[a b]`, null as `<nil>`, strings without quotes.
    """
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return format_float_g(value)
    if isinstance(value, int):
        return format_float_g(float(value))
    if value is None:
        return "<nil>"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{format_value(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(format_value(v) for v in value) + "]"
    return str(value)
