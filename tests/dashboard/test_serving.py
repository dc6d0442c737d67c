"""How the admin port serves the dashboard (issue 22): the page at `/`, its files under `/dashboard/`, the
API's routes and authentication unchanged, and nothing loaded from anywhere else."""

from __future__ import annotations

import re

import pytest
import requests

from mockd.dashboard import ASSETS
from tests.harness import MockdProcess

KEY = "mk_dashboardtestkey"
CROSS_SITE = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}


@pytest.mark.parametrize(
    ("path", "content_type", "start"),
    [("/", "text/html; charset=utf-8", b"<!doctype html>"),
     ("/dashboard", "text/html; charset=utf-8", b"<!doctype html>"),
     ("/dashboard/index.html", "text/html; charset=utf-8", b"<!doctype html>"),
     ("/dashboard/app.js", "text/javascript; charset=utf-8", b"// mockd dashboard"),
     ("/dashboard/style.css", "text/css; charset=utf-8", b"/* mockd dashboard"),
     ("/dashboard/favicon.svg", "image/svg+xml", b"<svg")],
)  # fmt: skip
def test_files_are_served_with_their_type_and_the_admin_headers(server: MockdProcess, path: str,
                                                                content_type: str, start: bytes) -> None:  # fmt: skip
    r = requests.get(server.admin + path, timeout=10)
    assert r.status_code == 200
    assert r.headers["content-type"] == content_type
    assert r.headers["content-security-policy"] == "default-src 'self'"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.content.startswith(start)
    head = requests.head(server.admin + path, timeout=10)
    assert (head.status_code, head.content) == (200, b"")


@pytest.mark.parametrize("path", ["/dashboard/nope.js", "/dashboard/../pyproject.toml", "/dashboard/static",
                                  "/dashboard/__init__.py", "/index.html", "/app.js"])  # fmt: skip
def test_only_the_listed_files_exist(server: MockdProcess, path: str) -> None:
    r = requests.get(server.admin + path, timeout=10)
    assert (r.status_code, r.text) == (404, "404 page not found\n")


def test_other_methods_on_the_page_are_405(server: MockdProcess) -> None:
    r = requests.post(server.admin + "/", timeout=10)
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, HEAD"


def test_api_routes_keep_priority(server: MockdProcess) -> None:
    assert requests.get(server.admin + "/health", timeout=10).json()["status"] == "ok"
    mocks = requests.get(server.admin + "/mocks", timeout=10).json()
    assert [m["id"] for m in mocks["mocks"]] == ["hello", "list-users", "create-user"]


def test_the_page_loads_nothing_from_elsewhere() -> None:
    from mockd.dashboard import asset

    html = asset("index.html")[0].decode()  # type: ignore[index]
    refs = [r for r in re.findall(r'(?:src|href)="([^"]+)"', html) if not r.startswith("#")]
    assert sorted(refs) == ["/dashboard/app.js", "/dashboard/favicon.svg", "/dashboard/style.css"]
    for name in ASSETS:
        text = asset(name)[0].decode().replace('xmlns="http://www.w3.org/2000/svg"', "")  # type: ignore[index]
        assert not re.search(r"(?<![\w.])(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text), (
            name
        )  # no CDN, no fonts
        assert "<script>" not in text  # CSP default-src 'self' forbids inline scripts anyway


def test_same_auth_as_the_api(mockd_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = mockd_server("--api-key", KEY)
    for path in ("/", "/dashboard/app.js", "/mocks"):
        # a loopback browser on this page: no key
        own = {"Sec-Fetch-Site": "same-origin", "Origin": server.admin}
        assert requests.get(server.admin + path, headers=own, timeout=10).status_code == 200, path
        # another site's page in the same browser: refused, as for the API
        r = requests.get(server.admin + path, headers=CROSS_SITE, timeout=10)
        assert (r.status_code, r.json()["error"]) == (401, "missing_api_key"), path
        r = requests.get(server.admin + path, headers={**CROSS_SITE, "X-API-Key": KEY}, timeout=10)
        assert r.status_code == 200, path


def test_the_mock_schema_is_the_models(server: MockdProcess) -> None:
    from mockd.compiler import mock_json_schema

    r = requests.get(server.admin + "/dashboard/mock-schema.json", timeout=10)
    assert (r.status_code, r.headers["content-type"]) == (200, "application/json")
    schema = r.json()
    assert schema == mock_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert list(schema["$defs"]["HTTPSpec"]["properties"])[:3] == ["priority", "matcher", "response"]
    assert "statusCode" in schema["$defs"]["HTTPResponse"]["properties"]


def test_unknown_names_are_not_remembered() -> None:
    # a request path is user input: only the listed files are read and cached
    from mockd.dashboard import _read, asset

    before = _read.cache_info().currsize
    for i in range(100):
        assert asset(f"nope-{i}.js") is None
    assert _read.cache_info().currsize == before
