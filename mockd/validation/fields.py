"""Field rules applied to values (Go's `pkg/validation/field.go`, reference §3.9).

Order of checks for one value, as in Go: null handling, then `type` (a mismatch stops there), then the
checks of the value's own kind (string, number, array, object), then `enum`. Dotted names reach into
objects (`address.city`) and into every object of an array (`items.sku`); an error about an array element
keeps the dotted name, one from `items:` gets an index (`tags[1]`).

Rules of a map (`fields`, `pathParams`, ...) run in config order (Go walks a map, in random order).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import orjson

from mockd.validation import errors as E
from mockd.validation import formats
from mockd.validation.errors import FieldError
from mockd.validation.rules import FieldRule, Rules, json_type


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def canonical(value: Any) -> bytes:
    """A JSON value's identity as Go compares them: numbers by value (`1` equals `1.0`), keys sorted."""
    return orjson.dumps(_ints(value), option=orjson.OPT_SORT_KEYS)


def _ints(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return int(value)
    if isinstance(value, dict):
        return {k: _ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ints(v) for v in value]
    return value


def values_equal(a: Any, b: Any) -> bool:
    """Go's `valuesEqual`: numbers by value whatever their type, anything else by its JSON text."""
    if _is_number(a) and _is_number(b):
        return float(a) == float(b)
    if type(a) is type(b) and isinstance(a, str | bool):
        return a == b
    return canonical(a) == canonical(b)


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> re.Pattern[str] | None:
    """A Go (RE2) pattern for Python's `re`; None when it does not compile (every value then fails, as
    Go's `regexp.MatchString` error does). Classes like `\\d` are ASCII in RE2, hence `re.ASCII`."""
    try:
        return re.compile(pattern.replace(r"\z", r"\Z"), re.ASCII)
    except (re.error, OverflowError):
        return None


def validate_field(name: str, location: str, value: Any, rule: FieldRule | None) -> list[FieldError]:
    """Every error of one value against one rule (Go's `ValidateField`)."""
    out: list[FieldError] = []
    if rule is None:
        return out
    if value is None:
        if rule.required:
            out.append(E.required(name, location))
        elif not rule.nullable and rule.type:
            out.append(E.type_error(name, location, rule.type, None))
        return out
    if rule.type and not _type_ok(value, rule.type):
        out.append(E.type_error(name, location, rule.type, value))
        return out
    if isinstance(value, str):
        _string(name, location, value, rule, out)
    elif _is_number(value):
        _number(name, location, value, rule, out)
    elif isinstance(value, list):
        _array(name, location, value, rule, out)
    elif isinstance(value, dict):
        _object(name, location, value, rule, out)
    if rule.enum and not any(values_equal(value, allowed) for allowed in rule.enum):
        out.append(E.enum(name, location, rule.enum, value))
    return out


def _type_ok(value: Any, expected: str) -> bool:
    actual = json_type(value)
    wanted = expected.lower()
    if wanted == "integer":
        return actual == "number" and (not isinstance(value, float) or value.is_integer())
    return actual == wanted


def _string(name: str, location: str, value: str, rule: FieldRule, out: list[FieldError]) -> None:
    length = len(value)  # code points, as Go's utf8.RuneCountInString
    if rule.min_length is not None and length < rule.min_length:
        out.append(E.min_length(name, location, rule.min_length, length))
    if rule.max_length is not None and length > rule.max_length:
        out.append(E.max_length(name, location, rule.max_length, length))
    if rule.pattern:
        regex = compile_pattern(rule.pattern)
        if regex is None or regex.search(value) is None:
            err = E.pattern(name, location, rule.pattern, value)
            err.message = rule.message or err.message
            out.append(err)
    if rule.format and not formats.check(rule.format, value):
        err = E.format_error(name, location, rule.format, value)
        err.message = rule.message or err.message
        out.append(err)


def _number(name: str, location: str, value: float, rule: FieldRule, out: list[FieldError]) -> None:
    if rule.min is not None and value < rule.min:
        out.append(E.minimum(name, location, rule.min, value))
    if rule.max is not None and value > rule.max:
        out.append(E.maximum(name, location, rule.max, value))
    if rule.exclusive_min is not None and value <= rule.exclusive_min:
        out.append(E.exclusive_min(name, location, rule.exclusive_min, value))
    if rule.exclusive_max is not None and value >= rule.exclusive_max:
        out.append(E.exclusive_max(name, location, rule.exclusive_max, value))


def _array(name: str, location: str, value: list[Any], rule: FieldRule, out: list[FieldError]) -> None:
    if rule.min_items is not None and len(value) < rule.min_items:
        out.append(E.min_items(name, location, rule.min_items, len(value)))
    if rule.max_items is not None and len(value) > rule.max_items:
        out.append(E.max_items(name, location, rule.max_items, len(value)))
    if rule.unique_items and len(value) > 1:
        seen: set[bytes] = set()
        for item in value:
            key = canonical(item)
            if key in seen:
                out.append(E.unique_items(name, location, item))
                break
            seen.add(key)
    if rule.items is not None:
        for i, item in enumerate(value):
            out.extend(validate_field(f"{name}[{i}]", location, item, rule.items))


def _object(name: str, location: str, value: dict[str, Any], rule: FieldRule, out: list[FieldError]) -> None:
    for prop, prop_rule in rule.properties or ():
        prop_name = f"{name}.{prop}" if name else prop
        if prop not in value:
            if prop_rule.required:
                out.append(E.required(prop_name, location))
            continue
        out.extend(validate_field(prop_name, location, value[prop], prop_rule))


def validate_required(location: str, data: Mapping[str, Any], names: tuple[str, ...]) -> list[FieldError]:
    """Names that must be present as keys (a null value counts as present, as in Go)."""
    return [E.required(n, location) for n in names if n not in data]


def validate_fields(location: str, data: Mapping[str, Any], rules: Rules) -> list[FieldError]:
    """Go's `ValidateFields`: plain names, and dotted ones through objects and arrays."""
    out: list[FieldError] = []
    for path, rule in rules:
        if "." in path:
            out.extend(_nested(location, data, path, rule))
        elif path not in data:
            if rule.required:
                out.append(E.required(path, location))
        else:
            out.extend(validate_field(path, location, data[path], rule))
    return out


def _nested(location: str, data: Mapping[str, Any], path: str, rule: FieldRule) -> list[FieldError]:
    """Go's `validateNestedField`, quirk included: a path of three or more names is reported by its last
    two (`order.shipping.city` fails as `shipping.city`), because Go recurses on the rest of the path and
    names errors after what it recursed with. Kept, since clients written against Go assert on it."""
    root, rest = path.split(".", 1)
    if root not in data:
        return [E.required(path, location)] if rule.required else []
    value = data[root]
    out: list[FieldError] = []
    if isinstance(value, list):
        if not value and rule.required:
            return [E.required(path, location)]
        for element in value:
            if not isinstance(element, dict):
                continue
            if "." in rest:
                out.extend(_nested(location, element, rest, rule))
            elif rest not in element:
                if rule.required:
                    out.append(E.required(path, location))
            else:
                out.extend(validate_field(path, location, element[rest], rule))
        return out
    if isinstance(value, dict):
        if "." in rest:
            return _nested(location, value, rest, rule)
        if rest not in value:
            return [E.required(path, location)] if rule.required else []
        return validate_field(path, location, value[rest], rule)
    return [E.required(path, location)] if rule.required else []


def validate_map(
    location: str, data: Mapping[str, str], rules: Rules, *, fold_case: bool = False
) -> list[FieldError]:
    """Path params, query params or headers (string values). With `fold_case` (headers) the configured
    name is looked up case-insensitively; the error keeps the configured spelling."""
    out: list[FieldError] = []
    for name, rule in rules:
        key = name.lower() if fold_case else name
        if key not in data:
            if rule.required:
                out.append(E.required(name, location))
            continue
        out.extend(validate_field(name, location, data[key], rule))
    return out
