"""What one render reads from the request, computed only when an expression asks for it.

A template that prints `{{request.pathParam.id}}` must not pay for parsing the query string or the JSON body,
and one that never draws a random value must not look for a seed. So each part is computed on first use
and kept for the rest of the render.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from mockd.templates.gofmt import atoi, format_value
from mockd.templates.gourl import escape_path, parse_query_first
from mockd.templates.rand import UNSEEDED, GoPCG, Rng

EMPTY: Mapping[str, str] = {}
_UNSET: Any = object()
_JSON_TYPES = ("application/json", "application/vnd.api+json")  # reference §3.8: prefix, case-sensitive
# An integer literal -0, which orjson reads as 0 (Go keeps a float64 -0); rare enough to reparse slowly.
_NEG_ZERO_B = re.compile(rb"-0(?![.eE])")
_NEG_ZERO_S = re.compile(r"-0(?![.eE])")


class Context:
    """The request as templates see it. Build one per response (headers and body share it)."""

    __slots__ = (
        "_json", "_query", "_rng", "_text", "header", "method", "path", "path_params", "pattern_captures",
        "query_string", "raw_body", "seed",
    )  # fmt: skip

    def __init__(
        self,
        method: str = "GET",
        path: str = "/",
        query_string: str = "",
        header: Callable[[str], str | None] = EMPTY.get,
        raw_body: bytes | str = b"",
        path_params: Mapping[str, str] | None = None,
        pattern_captures: Mapping[str, str] | None = None,
        seed: int | None = None,
    ) -> None:
        self.method = method
        self.path = path  # decoded, as the server hands it over
        self.query_string = query_string  # raw, without "?"
        self.header = header  # lower-case name -> first value or None
        self.raw_body = raw_body
        self.path_params = path_params or EMPTY  # `{name}` and wildcard ("0", "1"...) captures
        self.pattern_captures = pattern_captures or EMPTY  # named groups of a `pathPattern` route
        self.seed = seed  # the response's configured `seed`, the last of the three sources
        self._rng: Rng | None = None
        self._query: dict[str, str] | None = None
        self._json: Any = _UNSET
        self._text: str | None = None

    def rng(self) -> Rng:
        """The random source for this response: Go's PCG when a seed applies, else the shared one.

        Seed precedence (reference §3.8): `?_mockd_seed=N` > `X-Mockd-Seed: N` > the response's `seed`; a
        value that is not a base-10 int64 is ignored and the next source is tried.
        """
        rng = self._rng
        if rng is None:
            seed = self._request_seed()
            rng = self._rng = UNSEEDED if seed is None else GoPCG(seed)
        return rng

    def _request_seed(self) -> int | None:
        qs = self.query_string
        if qs and ("_mockd_seed" in qs or "%" in qs):
            value = self.query().get("_mockd_seed")
            if value:
                seed, ok = atoi(value)
                if ok:
                    return seed
        value = self.header("x-mockd-seed")
        if value:
            seed, ok = atoi(value)
            if ok:
                return seed
        return self.seed

    def query(self) -> dict[str, str]:
        """First value of each query parameter, decoded as Go's `url.ParseQuery` does."""
        query = self._query
        if query is None:
            query = self._query = parse_query_first(self.query_string)
        return query

    def raw_text(self) -> str:
        text = self._text
        if text is None:
            raw = self.raw_body
            text = self._text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
        return text

    def url(self) -> str:
        """`r.URL.String()` of a server request: path (escaped) and the raw query when there is one."""
        path = escape_path(self.path)
        return f"{path}?{self.query_string}" if self.query_string else path

    def json_body(self) -> Any:
        """The body decoded as JSON, or None: only for a JSON Content-Type and a body that parses."""
        body = self._json
        if body is _UNSET:
            body = self._json = self._decode_json()
        return body

    def _decode_json(self) -> Any:
        raw = self.raw_body
        if not raw:
            return None
        content_type = self.header("content-type") or ""
        if not content_type.startswith(_JSON_TYPES):
            return None
        return decode_json(raw)


def decode_json(raw: bytes | str) -> Any:
    """Go's `json.Unmarshal` into `interface{}`: None when it fails.

    orjson agrees with Go on everything that matters here except three rare inputs, which go through the
    standard library with Go's rules: a `-0` integer (Go keeps the sign: prints `-0`), lone surrogate escapes
    and invalid UTF-8 inside strings (Go substitutes U+FFFD where orjson refuses the document).
    """
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return _decode_json_slow(raw)
    negative_zero = _NEG_ZERO_B.search(raw) if isinstance(raw, bytes) else _NEG_ZERO_S.search(raw)
    return _decode_json_slow(raw) if negative_zero else value


def _decode_json_slow(raw: bytes | str) -> Any:
    import json
    import math

    def number(text: str) -> float:
        value = float(text)
        if math.isinf(value):  # Go: "cannot unmarshal number ... into Go value of type float64"
            raise ValueError(text)
        return value

    def refuse(text: str) -> Any:
        raise ValueError(text)  # NaN / Infinity are not JSON for Go either

    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        value = json.loads(text, parse_float=number, parse_int=number, parse_constant=refuse)
    except (ValueError, RecursionError):
        return None
    return _replace_surrogates(value)


def _replace_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    return value


def body_field(body: Any, parts: tuple[str, ...]) -> str:
    """`request.body.a.b.0`: walk maps by key and arrays by index, print the value with Go's `%v`."""
    if body is None:
        return ""
    current = body
    for part in parts:
        if isinstance(current, dict):
            if part not in current:
                return ""
            current = current[part]
        elif isinstance(current, list):
            index, ok = atoi(part)
            if not ok or index < 0 or index >= len(current):
                return ""
            current = current[index]
        else:
            return ""
    return format_value(current)
