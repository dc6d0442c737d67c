"""Fixtures for the dashboard tests: a server with a small config, and headless Debian Chromium driven by
Selenium through Debian's chromium-driver (no browser download).

The browser tests skip when Chromium or its driver is missing, unless `MOCKD_REQUIRE_BROWSER` is set (CI sets
it in `.ci/run`, which installs both): then they fail. With `MOCKD_DASHBOARD_SHOTS=DIR` the page tests save a
screenshot of each page there (`docs/dashboard/` holds the committed ones).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.harness import MockdProcess

CONFIG = """\
version: "1.0"
tables:
  - name: users
    seedData:
      - { id: "1", name: Alice }
      - { id: "2", name: Bob }
mocks:
  - id: hello
    name: Say hello
    http:
      matcher: { method: GET, path: /api/hello, headers: { X-Team: blue } }
      response: { statusCode: 200, body: { message: hi } }
  - id: list-users
    name: List users
    http:
      matcher: { method: GET, path: /api/users }
      statefulBinding: { table: users, action: list }
  - id: create-user
    name: Create a user
    http:
      matcher: { method: POST, path: /api/users }
      statefulBinding: { table: users, action: create }
"""


def _find(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if found:
            return found
    return None


@pytest.fixture
def server(mockd_server: Callable[..., MockdProcess], tmp_path: Path) -> MockdProcess:
    config = tmp_path / "mockd.yaml"
    config.write_text(CONFIG)
    return mockd_server("--config", str(config))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    chromium = _find("chromium", "chromium-browser")
    driver_path = _find("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        webdriver = None  # type: ignore[assignment]
    if chromium is None or driver_path is None or webdriver is None:
        if os.environ.get("MOCKD_REQUIRE_BROWSER"):
            pytest.fail("the dashboard tests need chromium, chromium-driver and selenium")
        pytest.skip("chromium, chromium-driver or selenium not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,800", "--disable-extensions"):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def shot(browser: object) -> Callable[[str], None]:
    """Save a screenshot of the current page as DIR/<name>.png when MOCKD_DASHBOARD_SHOTS=DIR is set."""
    target = os.environ.get("MOCKD_DASHBOARD_SHOTS")

    def save(name: str) -> None:
        if target:
            Path(target).mkdir(parents=True, exist_ok=True)
            browser.save_screenshot(str(Path(target) / f"{name}.png"))  # type: ignore[attr-defined]

    return save
