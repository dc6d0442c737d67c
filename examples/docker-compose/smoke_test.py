"""Stand-in for an application's test suite in examples/docker-compose: standard library only.

Waits for mockd's admin /health, then checks mocks on port 4280 and calls the admin API on port 4290, from
another container as in the integration-testing guide. Exit status 0 means every check passed.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request

API = os.environ.get("API_BASE_URL", "http://localhost:4280")
ADMIN = os.environ.get("MOCKD_ADMIN_URL", "http://localhost:4290")
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never route these calls via a proxy


def call(url: str, method: str = "GET", body: object = None) -> tuple[int, object]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with OPENER.open(req, timeout=5) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    return status, json.loads(raw) if raw else None


def wait_for_health(timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if call(f"{ADMIN}/health")[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"mockd was not healthy at {ADMIN}/health within {timeout:.0f} s")
        time.sleep(0.2)


def check(what: str, got: object, expected: object) -> None:
    if got != expected:
        sys.exit(f"FAIL {what}: expected {expected!r}, got {got!r}")
    print(f"ok   {what}")


def main() -> None:
    wait_for_health()
    check(
        "GET /api/users/1",
        call(f"{API}/api/users/1"),
        (200, {"id": 1, "name": "Alice", "email": "alice@example.com"}),
    )
    check("GET /api/users/999", call(f"{API}/api/users/999"), (404, {"error": "not found"}))

    # An admin call from another container: refused (401 missing_api_key) unless mockd runs with --no-auth
    # or the call carries the key. /ready also says that the config has been loaded. The guide's run-time
    # mocks (POST /mocks, then call the new mock) go through the same port in the same way.
    status, ready = call(f"{ADMIN}/ready")
    check("GET admin /ready", (status, ready["status"]), (200, "ready"))
    print("all checks passed")


if __name__ == "__main__":
    main()
