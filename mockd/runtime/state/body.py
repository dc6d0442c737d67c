"""Request bodies of stateful create/update/patch requests, read as the Go tool reads them (reference §4.2).

By `Content-Type`: empty or `application/json…` must be a JSON object; `application/x-www-form-urlencoded…`
is form-decoded (first value per key, `a[b][c]=v` nesting, maps keyed `0..n-1` become arrays, values coerced
to bool/int/float, `inf` to null); any other type is tried as JSON, else refused. Legacy `basePath`
resources always parse JSON. A body that is JSON `null` means "no fields", as Go's decoder leaves a nil map.

Error messages carry Go's decoder wording (`invalid character 'x' looking for beginning of value`,
`unexpected end of JSON input`, `json: cannot unmarshal array into Go value of type map[string]interface {}`).

Numbers: Go decodes JSON numbers to float64 and writes `10.0` back as `10`; integral floats are turned into
ints here so the reply spells them the Go way. Integers stay exact (Go would round past 2^53).
"""

from __future__ import annotations

from typing import Any

import orjson

from mockd.gocompat import jsonscan
from mockd.gocompat.gojson import go_numbers
from mockd.gocompat.quote import go_quote
from mockd.runtime.state.errors import BODY_HINT, BODY_LIMIT, BodyError
from mockd.templates.gofmt import atoi, parse_float

_KINDS = {list: "array", str: "string", bool: "bool", int: "number", float: "number"}


def check_size(body: bytes) -> None:
    """Stateful bodies are capped at 1 MiB (Go's `MaxStatefulBodySize`), below the port's 10 MiB."""
    if len(body) > BODY_LIMIT:
        raise BodyError(413, "request body too large", BODY_HINT)


def decode_json(body: bytes) -> Any:
    """Go's `json.Unmarshal` of a whole body into `any`; raises ValueError with Go's message."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        # orjson refuses what Go repairs (invalid UTF-8, lone surrogates) and words errors differently:
        # the Go-grammar scanner decides, and its message is Go's.
        try:
            value, _ = jsonscan.scan(body.decode("utf-8", "replace"))
        except jsonscan.JsonSyntaxError as exc:
            raise ValueError(exc.message) from None
    return value


def _object(value: Any) -> dict[str, Any] | None:
    if value is None or isinstance(value, dict):
        return go_numbers(value) if value else value
    kind = _KINDS.get(type(value), "number")
    raise ValueError(f"json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}")


def parse_json_object(body: bytes, prefix: str) -> dict[str, Any] | None:
    try:
        return _object(decode_json(body))
    except ValueError as exc:
        raise BodyError(400, prefix + str(exc)) from None


def parse_current(body: bytes, content_type: str | None) -> dict[str, Any] | None:
    """Go's `parseStatefulBody` (current generation)."""
    ct = content_type or ""
    if not ct or ct.startswith("application/json"):
        return parse_json_object(body, "invalid JSON body: ")
    if ct.startswith("application/x-www-form-urlencoded"):
        values, err = parse_form(body.decode("utf-8", "replace"))
        if err:
            raise BodyError(400, "invalid form body: " + err)
        return form_to_map(values)
    try:
        return _object(decode_json(body))
    except ValueError:
        raise BodyError(400, f"unsupported Content-Type {go_quote(ct)} and body is not valid JSON") from None


def parse_legacy(body: bytes) -> dict[str, Any] | None:
    """v0.5 `basePath` resources: always JSON."""
    return parse_json_object(body, "invalid request body: ")


# ---------------------------------------------------------------------------------- form bodies


def _unescape(text: str) -> tuple[str | None, str]:
    """`url.QueryUnescape`: (value, "") or (None, Go's error message)."""
    i = text.find("%")
    while i >= 0:
        chunk = text[i + 1 : i + 3]
        if len(chunk) < 2 or not all(c in "0123456789abcdefABCDEF" for c in chunk):
            return None, f"invalid URL escape {go_quote(text[i : i + 3])}"
        i = text.find("%", i + 3)
    raw = text.replace("+", " ").encode("utf-8", "surrogateescape")
    out = bytearray()
    j = 0
    while j < len(raw):
        if raw[j] == 0x25:  # '%'
            out.append(int(raw[j + 1 : j + 3], 16))
            j += 3
        else:
            out.append(raw[j])
            j += 1
    return out.decode("utf-8", "replace"), ""


def parse_form(text: str) -> tuple[dict[str, list[str]], str]:
    """`url.ParseQuery`: every value per key, and the first error (pairs in error are skipped)."""
    values: dict[str, list[str]] = {}
    err = ""
    for pair in text.split("&") if text else ():
        if ";" in pair:
            err = err or "invalid semicolon separator in query"
            continue
        if not pair:
            continue
        raw_key, _, raw_value = pair.partition("=")
        key, key_err = _unescape(raw_key)
        value, value_err = _unescape(raw_value)
        if key is None or value is None:
            err = err or key_err or value_err
            continue
        values.setdefault(key, []).append(value)
    return values, err


def coerce(text: str) -> Any:
    """Go's `coerceFormValue`: `inf` is null, `true`/`false` bools, plain integers ints, decimals floats."""
    if text == "inf":
        return None
    if text == "true":
        return True
    if text == "false":
        return False
    if not text.startswith("+"):
        if "." not in text:
            n, ok = atoi(text)
            if ok:
                return n
        else:
            f, ok = parse_float(text)
            if ok:
                return go_numbers(f)
    return text


def form_to_map(values: dict[str, list[str]]) -> dict[str, Any]:
    """Go's `formToMap`: first values, bracket keys nested, numeric-keyed maps turned into arrays."""
    result: dict[str, Any] = {}
    for key, vals in values.items():
        if not vals:
            continue
        idx = key.find("[")
        if idx > 0:
            _set_nested(result, key[:idx], key[idx:], vals[0])
        else:
            result[key] = coerce(vals[0])
    _arrays(result)
    return result


def _set_nested(result: dict[str, Any], base: str, path: str, value: str) -> None:
    current = result.setdefault(base, {})
    if not isinstance(current, dict):
        return  # the base is already a plain value: Go drops the nested one
    while path.startswith("["):
        end = path.find("]")
        if end < 0:
            return
        step, path = path[1:end], path[end + 1 :]
        if not path.startswith("["):
            current[step] = coerce(value)
            return
        nxt = current.setdefault(step, {})
        if not isinstance(nxt, dict):
            return
        current = nxt


def _arrays(m: dict[str, Any]) -> None:
    for key, value in list(m.items()):
        if isinstance(value, dict):
            _arrays(value)
            if value and all(str(i) in value for i in range(len(value))):
                m[key] = [value[str(i)] for i in range(len(value))]
