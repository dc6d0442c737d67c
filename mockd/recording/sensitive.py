"""Warnings about data in a recording that looks secret (operations reference §2.6), for
`GET /recordings/{id}/check-sensitive`. Redaction (redact.py) removes values before storing; these
warnings still name the fields, so a reviewer sees what a converted mock would have matched or sent.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from mockd.recording.model import Recording

HEADERS = frozenset(("authorization", "x-api-key", "x-auth-token", "x-access-token", "api-key", "apikey",
                     "x-csrf-token", "x-xsrf-token", "proxy-authorization"))  # fmt: skip
COOKIE_WORDS = ("session", "token", "auth", "jwt", "sid", "csrf", "xsrf")
QUERY = frozenset(("api_key", "apikey", "api-key", "access_token", "token", "auth", "key", "secret",
                   "password", "passwd", "pwd"))  # fmt: skip


def _cookie_names(values: list[str], response: bool) -> list[str]:
    names = []
    for value in values:
        parts = [value.split(";", 1)[0]] if response else value.split(";")
        names += [p.split("=", 1)[0].strip() for p in parts if "=" in p]
    return names


def _warning(kind: str, field: str, location: str, text: str) -> dict[str, str]:
    return {"type": kind, "field": field, "location": location, "message": f"{text}: {field}"}


def warnings(rec: Recording) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for location, headers in (("request", rec.request_headers), ("response", rec.response_headers)):
        where = location.capitalize()
        for name, values in headers.items():
            if name.lower() in HEADERS:
                out.append(
                    _warning("header", name, location, f"{where} contains potentially sensitive header")
                )
            elif name.lower() in ("cookie", "set-cookie"):
                for cookie in _cookie_names(values, location == "response"):
                    if any(word in cookie.lower() for word in COOKIE_WORDS):
                        text = f"{where} contains potentially sensitive cookie"
                        out.append(_warning("cookie", cookie, location, text))
    for name, _ in parse_qsl(rec.query, keep_blank_values=True):
        if name.lower() in QUERY:
            text = "Request contains potentially sensitive query parameter"
            out.append(_warning("query", name, "request", text))
    return out
