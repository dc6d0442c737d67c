"""HAR (browser traffic captures) to mocks (imports-exports §3.5).

Static assets are skipped; entries are grouped by method and path, the first of each group wins; groups are
sorted by path then method; ids `imported-1`, ... The recorded status is kept, except that an aborted
request's status 0 (which the Go tool passes on, so the whole import fails validation) is skipped with a
warning. Bodies are stored decoded, so a recorded `Content-Encoding` is dropped as well.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import urllib.parse
from typing import Any

from mockd.imports.errors import ImportFailure
from mockd.imports.model import Converted, Source, http_mock
from mockd.imports.source import parse_document

_STATIC_EXT = (
    ".js",
    ".css",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".svg",
    ".ico",
    ".woff",
    ".woff2",
    ".ttf",
    ".eot",
    ".map",
)
_STATIC_MIME = (
    "text/javascript",
    "application/javascript",
    "text/css",
    "image/",
    "font/",
    "application/font",
)
_DROPPED = {
    "content-length", "transfer-encoding", "connection", "date", "server", "x-powered-by", "set-cookie",
    "strict-transport-security", "content-encoding",
}  # fmt: skip


def convert(source: Source) -> Converted:
    data = parse_document(source.data, source.name, "har")
    log = data.get("log") if isinstance(data, dict) else None
    if not isinstance(log, dict) or not log.get("version"):
        raise ImportFailure(
            "har: not a valid HAR file (missing log.version)", file=source.name, pointer="/log/version"
        )
    out = Converted("har", name="Imported from HAR")
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for i, entry in enumerate(log.get("entries") or []):
        if not isinstance(entry, dict):
            continue
        request = entry.get("request") or {}
        response = entry.get("response") or {}
        url = urllib.parse.urlsplit(str(request.get("url", "")))
        path = urllib.parse.unquote(url.path) or "/"
        mime = str((response.get("content") or {}).get("mimeType", ""))
        if path.lower().endswith(_STATIC_EXT) or mime.startswith(_STATIC_MIME):
            continue
        status = response.get("status")
        if not isinstance(status, int) or not 100 <= status <= 599:
            out.warnings.append(
                f"har: entry {i} ({request.get('method')} {path}) has status {status}: skipped"
            )
            continue
        groups.setdefault((str(request.get("method", "GET")), path), entry)
    for n, ((method, path), entry) in enumerate(sorted(groups.items(), key=lambda g: (g[0][1], g[0][0])), 1):
        out.mocks.append(_mock(method, path, entry, n))
    return out


def _mock(method: str, path: str, entry: dict[str, Any], n: int) -> dict[str, Any]:
    request, response = entry["request"], entry.get("response") or {}
    url = urllib.parse.urlsplit(str(request.get("url", "")))
    matcher: dict[str, Any] = {"method": method, "path": path}
    query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
    if query:
        matcher["queryParams"] = query
    headers = {
        str(h["name"]): str(h.get("value", ""))
        for h in response.get("headers") or []
        if isinstance(h, dict) and h.get("name") and str(h["name"]).lower() not in _DROPPED
    }
    content = response.get("content") or {}
    mime = str(content.get("mimeType") or "")
    if mime:
        headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        headers["Content-Type"] = mime
    body = str(content.get("text") or "")
    if content.get("encoding") == "base64":
        with contextlib.suppress(binascii.Error, UnicodeDecodeError):  # Go keeps the raw text then
            body = base64.b64decode(body, validate=True).decode("utf-8")
    reply: dict[str, Any] = {"statusCode": response["status"], "body": body}
    if headers:
        reply["headers"] = headers
    return http_mock(f"imported-{n}", f"{method} {path}", matcher, reply)
