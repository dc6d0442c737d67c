"""Query strings and paths as Go's net/url reads and writes them, for `request.query.*` and `request.url`."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

# Go's url.ParseQuery refuses a query with more parameters than this (GODEBUG urlmaxqueryparams default);
# the Go tool then sees no query parameters at all.
MAX_QUERY_PARAMS = 10000
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Characters Go leaves unescaped in a path it considers validly encoded (url.validEncoded): unreserved,
# sub-delims, ':', '@', '[', ']' and '/'.
_PATH_SAFE = "-._~!$&'()*+,;=:@[]/"
_PATH_PLAIN = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@\[\]/]*")


def query_unescape(text: str) -> str | None:
    """`url.QueryUnescape`: `+` is a space, `%XX` a byte; a malformed escape makes the pair invalid (None)."""
    if "%" not in text:
        return text.replace("+", " ") if "+" in text else text
    if _BAD_ESCAPE.search(text):
        return None
    return unquote(text.replace("+", " "), errors="replace")


def parse_query_first(query: str) -> dict[str, str]:
    """`url.ParseQuery(q)` reduced to the first value of each name (what `Values.Get` returns).

    Pairs are split on `&` only; a pair containing `;` or a malformed escape is skipped, as in Go >= 1.17.
    """
    out: dict[str, str] = {}
    if not query or query.count("&") + 1 > MAX_QUERY_PARAMS:
        return out
    for pair in query.split("&"):
        if not pair or ";" in pair:
            continue
        raw_key, _, raw_value = pair.partition("=")
        key = query_unescape(raw_key)
        if key is None:
            continue
        value = query_unescape(raw_value)
        if value is None or key in out:
            continue
        out[key] = value
    return out


def escape_path(path: str) -> str:
    """The decoded request path re-encoded for `request.url`.

    Go prints the path as the client sent it when that spelling is a valid encoding. The server hands us
    the decoded path only, so this escapes exactly the characters that cannot appear unescaped; for what
    clients normally send (`/users/42`, `/a%20b`) the result is the received text. An escaped `/` (`%2F`)
    or an escaped sub-delimiter the client chose to send comes back unescaped.
    """
    if _PATH_PLAIN.fullmatch(path):
        return path
    return quote(path, safe=_PATH_SAFE, errors="surrogateescape")
