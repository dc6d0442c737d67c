"""The web dashboard's static files (issue 22): one HTML page, one plain script, one stylesheet
(and an icon).

They ship inside the wheel under `mockd/dashboard/static/` and are read from there once, on first use, so a
server nobody opens the dashboard of never reads them. There is no build step and nothing is loaded from
elsewhere: the page talks only to the admin API it is served by (`docs/dashboard.md`).

This package holds files, not logic: the admin API serves them (`mockd/runtime/admin/dashboard.py`), and
everything the page shows comes from the existing admin routes.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

# Every file the dashboard serves, with its content type. A name not listed here is a 404: the admin port
# never maps a request path onto the file system.
ASSETS: dict[str, str] = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}


def asset(name: str) -> tuple[bytes, str] | None:
    """The bytes and content type of one dashboard file, or None when `name` is not one of `ASSETS`.

    Checked before the cache, so request paths naming no file are not remembered."""
    content_type = ASSETS.get(name)
    if content_type is None:
        return None
    return _read(name), content_type


@cache
def _read(name: str) -> bytes:
    return files(__name__).joinpath("static", name).read_bytes()
