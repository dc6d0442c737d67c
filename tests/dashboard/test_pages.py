"""The dashboard in a real browser (issue 22): headless Debian Chromium, driven by Selenium.

Each test opens one page against its own server and checks what it shows against the admin API, then acts
through the page (toggle, delete, save, reset) and checks the result over the API. Waits poll what the page
shows (WebDriverWait); the page marks `main[data-ready="1"]` once it has drawn what it fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from tests.harness import MockdProcess

pytest.importorskip("selenium")
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

WAIT = 20.0


def open_page(browser: Any, server: MockdProcess, page: str) -> None:
    """Load `#/page` fresh and wait until it has drawn."""
    browser.get("about:blank")
    browser.get(f"{server.admin}/#/{page}")
    until(browser, lambda d: d.find_element(By.ID, "main").get_attribute("data-ready") == "1")


def until(browser: Any, condition: Callable[[Any], Any]) -> Any:
    # The page redraws a list by replacing it: an element found a moment ago may be gone; look again.
    ignored = (StaleElementReferenceException, NoSuchElementException)
    return WebDriverWait(browser, WAIT, poll_frequency=0.05, ignored_exceptions=ignored).until(condition)


def texts(browser: Any, css: str) -> list[str]:
    return [e.text for e in browser.find_elements(By.CSS_SELECTOR, css)]


def mock_ids(browser: Any) -> list[str]:
    return texts(browser, "#mocks-table tbody tr td:nth-child(2)")


def api(server: MockdProcess, method: str, path: str, **kw: Any) -> requests.Response:
    return requests.request(method, server.admin + path, timeout=10, **kw)


def no_script_errors(browser: Any) -> None:
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and e["source"] != "network"]
    assert errors == []


# ------------------------------------------------------------------------------------------------ mocks


def test_mocks_page_lists_searches_and_pages_server_side(browser, server, shot) -> None:
    open_page(browser, server, "mocks")
    assert mock_ids(browser) == ["hello", "list-users", "create-user"]
    assert texts(browser, "#mocks-table tbody tr td:nth-child(5)") == [
        "GET /api/hello", "GET /api/users", "POST /api/users"]  # fmt: skip
    assert browser.find_element(By.ID, "page-info").text == "1-3 of 3"
    shot("mocks")

    box = browser.find_element(By.ID, "mock-search")
    box.send_keys("users")  # matches the path of two mocks
    until(browser, lambda d: mock_ids(d) == ["list-users", "create-user"])
    assert browser.find_element(By.ID, "page-info").text == "1-2 of 2"

    # 60 more mocks: the page shows 50 at a time, fetched with limit/offset
    bulk = [{"id": f"bulk-{i:02d}", "type": "http", "http": {"matcher": {"path": f"/bulk/{i}"},
             "response": {"statusCode": 200}}} for i in range(60)]  # fmt: skip
    assert api(server, "POST", "/mocks/bulk", json=bulk).status_code == 201
    box.clear()
    box.send_keys("bulk")
    until(browser, lambda d: d.find_element(By.ID, "page-info").text == "1-50 of 60")
    assert mock_ids(browser) == [f"bulk-{i:02d}" for i in range(50)]
    browser.find_element(By.ID, "next-page").click()
    until(browser, lambda d: d.find_element(By.ID, "page-info").text == "51-60 of 60")
    assert mock_ids(browser) == [f"bulk-{i:02d}" for i in range(50, 60)]

    # the last mock of the last page deleted from the page: the page before it is shown
    for i in range(50, 59):
        assert api(server, "DELETE", f"/mocks/bulk-{i:02d}").status_code == 204
    button = browser.find_element(By.CSS_SELECTOR, '#mocks-table tr[data-id="bulk-59"] button.delete')
    button.click()
    button.click()
    until(browser, lambda d: d.find_element(By.ID, "page-info").text == "1-50 of 50")
    assert mock_ids(browser) == [f"bulk-{i:02d}" for i in range(50)]
    no_script_errors(browser)


def test_ten_thousand_mocks_are_paged_and_searched_by_the_server(browser, server) -> None:
    bulk = [{"id": f"m{i:05d}", "name": f"mock {i}", "type": "http",
             "http": {"matcher": {"path": f"/items/{i}"}, "response": {"statusCode": 200}}}
            for i in range(10_000)]  # fmt: skip
    assert api(server, "POST", "/mocks/bulk", json=bulk).status_code == 201
    open_page(browser, server, "mocks")
    assert browser.find_element(By.ID, "page-info").text == "1-50 of 10003"
    assert len(mock_ids(browser)) == 50  # the page holds one page of rows, never the whole store
    browser.find_element(By.ID, "mock-search").send_keys("mock 9999")
    until(browser, lambda d: mock_ids(d) == ["m09999"])
    assert browser.find_element(By.ID, "page-info").text == "1-1 of 1"


def test_type_filter_asks_the_server(browser, server) -> None:
    graphql = {"id": "gql", "type": "graphql", "graphql": {"path": "/graphql",
               "schema": "type Query { hello: String }", "resolvers": {"Query.hello": {"response": "hi"}}}}  # fmt: skip
    assert api(server, "POST", "/mocks", json=graphql).status_code == 201
    open_page(browser, server, "mocks")
    until(browser, lambda d: len(mock_ids(d)) == 4)
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.ID, "mock-type")).select_by_value("graphql")
    until(browser, lambda d: mock_ids(d) == ["gql"])
    Select(browser.find_element(By.ID, "mock-type")).select_by_value("http")
    until(browser, lambda d: mock_ids(d) == ["hello", "list-users", "create-user"])


def test_toggle_and_delete_from_the_page(browser, server) -> None:
    open_page(browser, server, "mocks")
    row = browser.find_element(By.CSS_SELECTOR, '#mocks-table tr[data-id="hello"]')
    toggle = row.find_element(By.CSS_SELECTOR, "input.toggle")
    assert toggle.is_selected()
    toggle.click()
    until(browser, lambda d: api(server, "GET", "/mocks/hello").json().get("enabled") is False)
    until(
        browser,
        lambda d: (
            not d.find_element(By.CSS_SELECTOR, '#mocks-table tr[data-id="hello"] input.toggle').is_selected()
        ),
    )
    assert requests.get(server.url + "/api/hello", headers={"X-Team": "blue"}, timeout=10).status_code == 404

    button = browser.find_element(By.CSS_SELECTOR, '#mocks-table tr[data-id="list-users"] button.delete')
    button.click()  # the first click only arms it
    assert button.text == "Confirm delete"
    assert api(server, "GET", "/mocks/list-users").status_code == 200
    button.click()
    until(browser, lambda d: mock_ids(d) == ["hello", "create-user"])
    assert api(server, "GET", "/mocks/list-users").status_code == 404


def test_edit_and_create_a_mock_as_json(browser, server, shot) -> None:
    open_page(browser, server, "mocks/edit/hello")
    area = browser.find_element(By.ID, "mock-json")
    shown = area.get_property("value")
    assert '"id": "hello"' in shown
    browser.execute_script(
        "arguments[0].value = arguments[0].value.replace('Say hello', 'Greets the blue team')", area
    )
    browser.find_element(By.ID, "save-mock").click()
    until(browser, lambda d: d.find_element(By.ID, "save-result").text == "Updated http mock")
    assert api(server, "GET", "/mocks/hello").json()["name"] == "Greets the blue team"

    # a mock the server refuses: its message is shown, nothing is stored
    bad = '{"id": "hello", "type": "http", "http": {"matcher": {"path": "/x"}, "response": {"statusCode": 999}}}'
    browser.execute_script("arguments[0].value = arguments[1]", area, bad)
    browser.find_element(By.ID, "save-mock").click()
    until(browser, lambda d: d.find_element(By.ID, "save-result").get_attribute("class") == "error")
    assert browser.find_element(By.ID, "save-result").text == (
        "validation error on response.statusCode: statusCode must be between 100-599, got 999"
    )
    browser.execute_script("arguments[0].value = '{not json'", area)  # caught before it is sent
    browser.find_element(By.ID, "save-mock").click()
    until(browser, lambda d: "JSON" in d.find_element(By.ID, "save-result").text)
    assert api(server, "GET", "/mocks/hello").json()["name"] == "Greets the blue team"

    # a key the server would ignore (a typo): the editor says so from the mock's JSON Schema
    assert not browser.find_element(By.ID, "schema-warnings").is_displayed()
    typo = (
        '{"id": "hello", "type": "http", "http": {"macher": {"path": "/x"}, "response": {"statusCod": 200}}}'
    )
    browser.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'))", area, typo
    )
    until(browser, lambda d: d.find_element(By.ID, "schema-warnings").is_displayed())
    assert browser.find_element(By.ID, "schema-warnings").text == (
        "Not in the mock schema, so the server would ignore: http.macher, http.response.statusCod"
    )
    browser.find_element(By.CSS_SELECTOR, "#schema-help summary").click()
    until(browser, lambda d: d.find_element(By.CSS_SELECTOR, ".schema-keys").is_displayed())
    assert texts(browser, ".schema-keys")[0].startswith("mock: id, type, name,")
    shot("mock-edit")

    open_page(browser, server, "mocks/new")
    area = browser.find_element(By.ID, "mock-json")
    new = '{"id": "made-in-ui", "type": "http", "http": {"matcher": {"path": "/ui"}, "response": {"statusCode": 202}}}'
    browser.execute_script("arguments[0].value = arguments[1]", area, new)
    browser.find_element(By.ID, "save-mock").click()
    until(browser, lambda d: d.current_url.endswith("#/mocks/edit/made-in-ui"))
    assert requests.get(server.url + "/ui", timeout=10).status_code == 202


# ------------------------------------------------------------------------------------------------ traffic


def traffic_rows(browser: Any) -> list[Any]:
    return browser.find_elements(By.CSS_SELECTOR, "#traffic-rows tr")


def test_a_near_miss_shows_up_live_with_the_failing_field_highlighted(browser, server, shot) -> None:
    requests.get(server.url + "/api/hello", headers={"X-Team": "blue"}, timeout=10)  # before: from the log
    open_page(browser, server, "traffic")
    until(browser, lambda d: d.find_element(By.ID, "stream-status").text == "live")
    assert len(traffic_rows(browser)) == 1

    r = requests.get(server.url + "/api/hello", timeout=10)  # no X-Team header: a miss
    assert r.status_code == 404
    until(browser, lambda d: len(traffic_rows(d)) == 2)
    newest = traffic_rows(browser)[0]
    assert newest.find_element(By.CSS_SELECTOR, ".badge.miss").text == "no match"
    near = newest.find_elements(By.CSS_SELECTOR, ".near")
    assert [n.get_attribute("data-mock") for n in near] == ["hello", "list-users"]
    assert (
        near[0].text
        == 'Say hello (71%): method and path matched, but header X-Team expected "blue", got "(missing)"'
    )
    assert near[0].find_element(By.CSS_SELECTOR, "mark.failed").text == (
        'header X-Team expected "blue", got "(missing)"'
    )
    assert near[0].find_element(By.CSS_SELECTOR, "mark.field").text == "header X-Team"
    assert near[1].find_element(By.CSS_SELECTOR, "mark.field").text == "path"
    matched = traffic_rows(browser)[1]
    assert matched.find_element(By.CSS_SELECTOR, ".badge.hit").text == "matched"
    shot("traffic")
    no_script_errors(browser)


def test_high_traffic_is_sampled_and_says_so(browser, server) -> None:
    open_page(browser, server, "traffic")
    until(browser, lambda d: d.find_element(By.ID, "stream-status").text == "live")

    def hit(_: int) -> int:
        with requests.Session() as s:
            return sum(s.get(server.url + "/api/users", timeout=10).status_code for _ in range(50))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(hit, range(8)))  # 400 requests
    notice = until(
        browser,
        lambda d: (
            d.find_element(By.ID, "sampling") if d.find_element(By.ID, "sampling").is_displayed() else None
        ),
    )
    assert notice.text.startswith("High traffic: sampling, showing ")
    assert api(server, "GET", "/requests?limit=1").json()["total"] == 400
    until(browser, lambda d: 0 < len(traffic_rows(d)) < 400)


def test_a_request_detail(browser, server, shot) -> None:
    requests.post(server.url + "/api/users", json={"name": "Zed"}, headers={"X-Trace": "t-1"}, timeout=10)
    open_page(browser, server, "traffic")
    traffic_rows(browser)[0].find_element(By.CSS_SELECTOR, "td:nth-child(3)").click()
    until(browser, lambda d: d.current_url.endswith("#/requests/req-1"))
    until(browser, lambda d: d.find_element(By.ID, "main").get_attribute("data-ready") == "1")
    assert browser.find_element(By.ID, "request-status").text == "201"
    headers = dict(zip(texts(browser, "#request-headers td:nth-child(1)"),
                       texts(browser, "#request-headers td:nth-child(2)"), strict=True))  # fmt: skip
    assert headers["X-Trace"] == "t-1"
    assert headers["Content-Type"] == "application/json"
    assert browser.find_element(By.ID, "request-body").text == '{"name": "Zed"}'
    until(browser, lambda d: '"action": "create"' in d.find_element(By.ID, "request-response").text)
    shot("request")

    requests.get(server.url + "/api/hello", timeout=10)  # a miss: its near-misses on the detail page
    open_page(browser, server, "requests/req-2")
    assert browser.find_element(By.ID, "request-status").text == "404"
    assert browser.find_element(By.CSS_SELECTOR, "#request-summary mark.field").text == "header X-Team"


# ------------------------------------------------------------------------------------------------ state


def test_state_tables_items_and_a_reset_visible_over_the_api(browser, server, shot) -> None:
    created = requests.post(server.url + "/api/users", json={"name": "Zed"}, timeout=10)
    assert created.status_code == 201
    open_page(browser, server, "state/users")
    row = browser.find_element(By.CSS_SELECTOR, '#state-table tr[data-table="users"]')
    assert row.find_element(By.CSS_SELECTOR, ".item-count").text == "3"
    columns = texts(browser, "#items-table th")
    assert columns[0] == "id"  # the id first, then every other field seen on this page
    assert set(columns) == {"id", "name", "createdAt", "updatedAt"}
    names = texts(browser, f"#items-table tbody td:nth-child({columns.index('name') + 1})")
    assert sorted(names) == ["Alice", "Bob", "Zed"]
    shot("state")

    row.find_element(By.CSS_SELECTOR, "button.reset").click()
    until(browser, lambda d: api(server, "GET", "/state/resources/users").json()["itemCount"] == 2)
    until(
        browser,
        lambda d: (
            d.find_element(By.CSS_SELECTOR, '#state-table tr[data-table="users"] .item-count').text == "2"
        ),
    )
    assert [u["name"] for u in requests.get(server.url + "/api/users", timeout=10).json()["data"]] == [
        "Bob", "Alice"]  # fmt: skip

    browser.find_element(By.CSS_SELECTOR, '#state-table tr[data-table="users"] button.clear').click()
    until(browser, lambda d: api(server, "GET", "/state/resources/users").json()["itemCount"] == 0)


# ------------------------------------------------------------------------------------------------ verification, chaos, status


def test_verification_counts_per_mock(browser, server, shot) -> None:
    for _ in range(3):
        requests.get(server.url + "/api/users", timeout=10)
    requests.get(server.url + "/api/hello", headers={"X-Team": "blue"}, timeout=10)
    open_page(browser, server, "verify")
    counts = dict(zip(texts(browser, "#verify-table tbody td:nth-child(1)"),
                      texts(browser, "#verify-table tbody td:nth-child(4)"), strict=True))  # fmt: skip
    assert counts == {"hello": "1", "list-users": "3", "create-user": "0"}
    shot("verify")

    browser.find_element(By.CSS_SELECTOR, '#verify-table tr[data-id="list-users"] a').click()
    until(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#invocations-table tbody tr")) == 3)

    open_page(browser, server, "verify")
    browser.find_element(By.ID, "reset-counts").click()
    until(browser, lambda d: texts(d, "#verify-table tbody td:nth-child(4)") == ["0", "0", "0"])
    assert api(server, "GET", "/mocks/list-users/verify").json()["callCount"] == 0


def test_chaos_status(browser, server, shot) -> None:
    open_page(browser, server, "chaos")
    assert browser.find_element(By.CSS_SELECTOR, "#chaos-enabled .value").text == "disabled"
    chaos = {"enabled": True, "latency": {"min": "1ms", "max": "2ms", "probability": 1.0}}
    assert api(server, "PUT", "/chaos", json=chaos).status_code == 200
    requests.get(server.url + "/api/users", timeout=10)
    open_page(browser, server, "chaos")
    assert browser.find_element(By.CSS_SELECTOR, "#chaos-enabled .value").text == "enabled"
    assert '"probability": 1' in browser.find_element(By.ID, "main").text
    shot("chaos")


def test_server_status_and_ports(browser, server, shot) -> None:
    open_page(browser, server, "status")
    assert browser.find_element(By.CSS_SELECTOR, "#server-status .value").text == "running"
    rows = browser.find_elements(By.CSS_SELECTOR, "#ports-table tbody tr")
    assert [r.text for r in rows] == [f"Admin API HTTP {server.admin_port} running",
                                      f"Mock Engine HTTP {server.port} running"]  # fmt: skip
    assert "3 (3)" in browser.find_element(By.ID, "status-cards").text
    shot("status")
    no_script_errors(browser)
