"""Reading an import from a URL: an `imports[].url` entry, and the files a remote spec's `$ref`s name."""

from __future__ import annotations

import urllib.error
import urllib.request

from mockd.imports.errors import ImportFailure

_URL_TIMEOUT = 30.0


def fetch(url: str) -> bytes:
    """GET `url`; an ImportFailure worded as the Go tool words a failed `url:` import."""
    try:
        with urllib.request.urlopen(url, timeout=_URL_TIMEOUT) as reply:
            return bytes(reply.read())
    except urllib.error.HTTPError as exc:
        reason = "not found" if exc.code == 404 else f"unexpected status: {exc.code} {exc.reason}"
        raise ImportFailure(f"import {url}: {reason}", slug="import_fetch_failed") from None
    except (urllib.error.URLError, OSError) as exc:
        raise ImportFailure(f"import {url}: request failed: {exc}", slug="import_fetch_failed") from None
