"""A deliberately naive matcher: score every route, linearly, exactly as mockd-reference §3.3-3.5 read.

This is the oracle for the differential tests. It shares no code or structure with the Rust matcher: it is
a literal reading of the reference (and of the Go functions it cites), kept slow and obvious on purpose.
Supported JSONPath subset (what the tests generate): `$.a.b`, `$.a[0]`, `$.a[*].b`.
"""

from __future__ import annotations

import json
import re
from typing import Any

SCORE_METHOD = 10
SCORE_EXACT, SCORE_PATTERN, SCORE_PARAM, SCORE_WILDCARD = 15, 14, 12, 10
SCORE_HEADER, SCORE_QUERY = 10, 5
SCORE_BODY_EQUALS, SCORE_BODY_PATTERN, SCORE_BODY_CONTAINS, SCORE_JSONPATH = 25, 22, 20, 15

_HEX = "0123456789abcdefABCDEF"


def _unescape(s: str, plus_is_space: bool) -> bytes | None:
    """Go url.PathUnescape / url.QueryUnescape: None on a bad % escape."""
    raw = s.encode()
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == ord("%"):
            if i + 2 >= len(raw) or chr(raw[i + 1]) not in _HEX or chr(raw[i + 2]) not in _HEX:
                return None
            out.append(int(raw[i + 1 : i + 3], 16))
            i += 3
        elif c == ord("+") and plus_is_space:
            out.append(ord(" "))
            i += 1
        else:
            out.append(c)
            i += 1
    return bytes(out)


def path_unescape(pattern: str) -> str:
    decoded = _unescape(pattern, plus_is_space=False)
    return pattern if decoded is None else decoded.decode("utf-8", "replace")


def parse_query(raw: str) -> dict[bytes, list[bytes]]:
    """Go url.ParseQuery: split on &, drop pairs with ';' or bad escapes, skip empty ones."""
    values: dict[bytes, list[bytes]] = {}
    for pair in raw.split("&"):
        if ";" in pair or pair == "":
            continue
        key, _, value = pair.partition("=")
        k, v = _unescape(key, True), _unescape(value, True)
        if k is None or v is None:
            continue
        values.setdefault(k, []).append(v)
    return values


# ---- path -------------------------------------------------------------------------------------------------


def _segment_regex(part: str, param: str) -> str:
    out, rest = "^", part
    while True:
        o = rest.find("{")
        if o == -1:
            break
        c = rest.find("}", o)
        if c == -1:
            break
        out += re.escape(rest[:o]) + param
        rest = rest[c + 1 :]
    return out + re.escape(rest) + "$"


def _named_params(pattern: str, path: str) -> bool:
    pp = pattern.strip("/").split("/")
    qq = path.strip("/").split("/")
    if len(pp) != len(qq):
        return False
    for p, q in zip(pp, qq, strict=True):
        if p.startswith("{") and p.endswith("}"):
            continue
        if "{" in p and "}" in p:
            if re.search(_segment_regex(p, "(.+)"), q) is None:
                return False
            continue
        if p != q:
            return False
    return True


def _wildcard(pattern: str, path: str) -> bool:
    parts = pattern.split("*")
    pos = 0
    for i, part in enumerate(parts):
        if part == "":
            continue
        if i == 0:
            if not path.startswith(part):
                return False
            pos = len(part)
            continue
        idx = path.find(part, pos)
        if idx == -1:
            return False
        pos = idx + len(part)
    return True


def path_score(pattern: str, path: str) -> int:
    """Go MatchPath."""
    pattern = path_unescape(pattern)
    if pattern == path:
        return SCORE_EXACT
    if "{" in pattern and "}" in pattern and _named_params(pattern, path):
        return SCORE_PARAM
    if pattern.endswith("/*"):
        prefix = pattern[:-2]
        if path.startswith(prefix + "/") or path == prefix:
            return SCORE_WILDCARD
    if "*" in pattern and _wildcard(pattern, path):
        return SCORE_WILDCARD
    return 0


def strict_path_score(pattern: str, path: str) -> int:
    """Generated legacy routes, as the legacy route regex reads them.

    `{p}` is `[^/]+`; no unescaping, no trailing slash, `*` literal.
    """
    if pattern == path:
        return SCORE_EXACT
    if "{" in pattern and "}" in pattern:
        parts = pattern.split("/")
        rx = "/".join(
            "[^/]+" if p.startswith("{") and p.endswith("}") else _segment_regex(p, "[^/]+")[1:-1]
            for p in parts
        )
        if re.fullmatch(rx, path, flags=re.DOTALL):
            return SCORE_PARAM
    return 0


def captures(pattern: str, path: str) -> dict[str, str]:
    """Go MatchPathVariable on the raw pattern."""
    result: dict[str, str] = {}
    pp = pattern.strip("/").split("/")
    qq = path.strip("/").split("/")
    wildcard = 0
    for i, p in enumerate(pp):
        if i >= len(qq):
            break
        if p.startswith("{") and p.endswith("}"):
            result[p[1:-1]] = qq[i]
        elif "{" in p and "}" in p:
            names = re.findall(r"\{([^}]*)\}", p)
            if all(re.fullmatch(r"[A-Za-z0-9_]+", n) for n in names):
                m = re.search(_segment_regex(p, "(.+)"), qq[i])
                if m:
                    for n, v in zip(names, m.groups(), strict=True):
                        result[n] = v
        elif p == "*":
            result[str(wildcard)] = "/".join(qq[i:]) if i == len(pp) - 1 else qq[i]
            wildcard += 1
    return result


# ---- headers, query, body ---------------------------------------------------------------------------------


def header_ok(pattern: str, actual: str | None) -> bool:
    if not actual:
        return False
    if "*" not in pattern:
        return actual == pattern
    if pattern.endswith("*") and not pattern.startswith("*"):
        return actual.startswith(pattern[:-1])
    if pattern.startswith("*") and not pattern.endswith("*"):
        return actual.endswith(pattern[1:])
    if pattern.startswith("*") and pattern.endswith("*"):
        return pattern.strip("*") in actual
    return False


def _select(doc: Any, path: str) -> list[Any]:
    nodes = [doc]
    for tok in re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\*|\d+)\]", path.removeprefix("$")):
        name, index = tok
        nxt = []
        for n in nodes:
            if name and isinstance(n, dict) and name in n:
                nxt.append(n[name])
            elif index == "*" and isinstance(n, list):
                nxt.extend(n)
            elif index == "*" and isinstance(n, dict):
                nxt.extend(n.values())
            elif index and index != "*" and isinstance(n, list) and int(index) < len(n):
                nxt.append(n[int(index)])
        nodes = nxt
    return nodes


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


# ---- the whole route --------------------------------------------------------------------------------------


def score(route: dict, method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> int:
    """The route's score for this request, 0 when any specified criterion fails (reference §3.3)."""
    total = 0
    if route["method"]:
        if route["method"].lower() != method.lower():
            return 0
        total += SCORE_METHOD
    if route["path"]:
        s = strict_path_score(route["path"], path) if route["strict"] else path_score(route["path"], path)
        if s == 0:
            return 0
        total += s
    if route["pathPattern"]:
        if re.search(route["pathPattern"], path, flags=re.ASCII) is None:
            return 0
        total += SCORE_PATTERN
    lower = {k.lower(): v for k, v in headers.items()}
    for name, expected in route["headers"]:
        if not header_ok(expected, lower.get(name.lower())):
            return 0
        total += SCORE_HEADER
    q = parse_query(query)
    for name, expected in route["query"]:
        if q.get(name.encode(), [b""])[0] != expected.encode():
            return 0
        total += SCORE_QUERY
    if route["bodyEquals"]:
        if body != route["bodyEquals"].encode():
            return 0
        total += SCORE_BODY_EQUALS
    if route["bodyContains"]:
        if route["bodyContains"].encode() not in body:
            return 0
        total += SCORE_BODY_CONTAINS
    if route["bodyPattern"]:
        if re.search(route["bodyPattern"].encode(), body) is None:
            return 0
        total += SCORE_BODY_PATTERN
    if route["bodyJsonPath"]:
        try:
            doc = json.loads(body)
        except ValueError:
            return 0
        for jp, op, value in route["bodyJsonPath"]:
            selected = _select(doc, jp)
            ok = (
                bool(selected)
                if op == "exists"
                else (not selected)
                if op == "absent"
                else any(_equal(v, json.loads(value)) for v in selected)
            )
            if not ok:
                return 0
            total += SCORE_JSONPATH
    return total


def best(routes: list[dict], method: str, path: str, query: str, headers: dict[str, str], body: bytes):
    """Highest score, then higher priority, then lower tier, then earlier route; HEAD retried as GET."""
    for m in (method, "GET") if method == "HEAD" else (method,):
        scored = [(score(r, m, path, query, headers, body), i) for i, r in enumerate(routes)]
        matches = [(s, i) for s, i in scored if s > 0]
        if matches:
            _, index = min(
                matches, key=lambda si: (-si[0], -routes[si[1]]["priority"], routes[si[1]]["tier"], si[1])
            )
            return index
    return None


def best_with_captures(routes, method, path, query, headers, body):
    index = best(routes, method, path, query, headers, body)
    if index is None:
        return None
    route = routes[index]
    if not route["captures"]:
        return index, None
    if route["path"]:
        return index, captures(route["path"], path)
    if route["pathPattern"]:
        m = re.search(route["pathPattern"], path, flags=re.ASCII)
        assert m is not None
        return index, {k: (v or "") for k, v in m.groupdict().items()}
    return index, {}
