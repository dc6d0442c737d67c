"""A cURL command to one mock (imports-exports §3.8).

Tokenised with `shlex` (POSIX quoting; a backslash-newline continuation is joined first, where the Go
tokeniser leaves a stray newline token). Flags that take an argument the Go tool does not know
(`--data-urlencode`, `-F`) still consume it, so it is never mistaken for the URL.
"""

from __future__ import annotations

import base64
import shlex
import urllib.parse
from typing import Any

from mockd.imports.errors import ImportFailure
from mockd.imports.model import Converted, Source, http_mock, stable_id

_WITH_ARGUMENT = {
    "-o", "--output", "-A", "--user-agent", "-e", "--referer", "-b", "--cookie", "-c", "--cookie-jar",
    "-T", "--upload-file", "-m", "--max-time", "--connect-timeout", "--data-urlencode", "-F", "--form",
    "--url-query", "-x", "--proxy", "-w", "--write-out", "--retry", "--cacert", "--cert", "--key",
}  # fmt: skip
_DATA = {"-d", "--data", "--data-raw", "--data-binary", "--data-ascii"}
_SKIPPED_HEADERS = {"Content-Type", "Content-Length", "Accept", "User-Agent"}


def convert(source: Source) -> Converted:
    text = source.data.decode("utf-8", "replace").replace("\\\r\n", " ").replace("\\\n", " ").strip()
    try:
        tokens = shlex.split(text)
    except ValueError as exc:
        raise ImportFailure(f"curl: failed to parse cURL command: {exc}", file=source.name) from None
    if tokens and tokens[0] == "curl":
        tokens = tokens[1:]
    method = ""
    headers: dict[str, str] = {}
    body: str | None = None
    url = ""
    force_get = False
    it = iter(tokens)
    for tok in it:
        if tok in ("-X", "--request"):
            method = next(it, "").upper()
        elif tok in ("-H", "--header"):
            name, _, value = next(it, "").partition(":")
            headers[name.strip()] = value.strip()
        elif tok in _DATA:
            body = next(it, "")
        elif tok == "--json":
            body = next(it, "")
            headers.setdefault("Content-Type", "application/json")
        elif tok in ("-u", "--user"):
            headers["Authorization"] = "Basic " + base64.b64encode(next(it, "").encode()).decode()
        elif tok in ("-G", "--get"):
            force_get = True
        elif tok in ("-I", "--head"):
            method = "HEAD"
        elif tok in _WITH_ARGUMENT:
            next(it, None)
        elif tok.startswith("-"):
            continue
        elif not url:
            url = tok
    if not url:
        raise ImportFailure(
            "curl: failed to parse cURL command: no URL found in cURL command", file=source.name
        )
    if force_get:
        method = "GET"
    elif not method:
        method = "POST" if body is not None else "GET"
    parsed = urllib.parse.urlsplit(url if "://" in url else "http://" + url)
    path = parsed.path or "/"
    matcher: dict[str, Any] = {"method": method, "path": path}
    query: dict[str, str] = {}
    for key, value in urllib.parse.parse_qsl(parsed.query, keep_blank_values=True):
        query.setdefault(key, value)
    if query:
        matcher["queryParams"] = query
    match_headers = {k: v for k, v in headers.items() if k not in _SKIPPED_HEADERS}
    if match_headers:
        matcher["headers"] = match_headers
    if body:
        matcher["bodyEquals"] = body
    status, reply_body = {
        "POST": (201, '{"status": "created"}'),
        "DELETE": (204, ""),
        "PUT": (200, '{"status": "updated"}'),
        "PATCH": (200, '{"status": "updated"}'),
        "HEAD": (200, ""),
        "OPTIONS": (200, ""),
    }.get(method, (200, '{"status": "ok"}'))
    accept = headers.get("Accept", "").split(",")[0].split(";")[0].strip()
    content_type = headers.get("Content-Type") or accept or "application/json"
    reply = {"statusCode": status, "headers": {"Content-Type": content_type}, "body": reply_body}
    name = f"{method} {path}"
    return Converted("curl", [http_mock(stable_id("http", source.name, text), name, matcher, reply)])
