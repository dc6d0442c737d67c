"""issue 15: the `/chaos` admin routes (Go shapes, operations reference §1.8) and `mockd chaos ...` (§1.10)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests

from tests.harness import MockdProcess, free_port, run_cli

PROFILE_NAMES = [
    "degraded",
    "dns-flaky",
    "flaky",
    "mobile-3g",
    "offline",
    "overloaded",
    "rate-limited",
    "satellite",
    "slow-api",
    "timeout",
]


@pytest.fixture(scope="module")
def server() -> Iterator[MockdProcess]:
    proc = MockdProcess(["--no-auth"], free_port(), free_port()).start()
    yield proc
    proc.stop()


@pytest.fixture(autouse=True)
def _chaos_off(server: MockdProcess) -> Iterator[None]:
    yield
    requests.put(f"{server.admin}/chaos", json={"enabled": False}, timeout=5)


def _put(server: MockdProcess, body: object) -> requests.Response:
    return requests.put(f"{server.admin}/chaos", json=body, timeout=5)


def test_get_chaos_off_and_on(server: MockdProcess) -> None:
    r = requests.get(f"{server.admin}/chaos", timeout=5)
    assert r.content == b'{"enabled":false}\n'
    config = {
        "enabled": True,
        "latency": {"min": "1ms", "max": "2ms", "probability": 0.5},
        "errorRate": {"probability": 0.25, "statusCodes": [502]},
        "rules": [{"pathPattern": "^/x", "faults": [{"type": "error", "probability": 1}], "probability": 1}],
    }
    r = _put(server, config)
    assert (r.status_code, r.content) == (200, b'{"status":"ok"}\n')
    assert requests.get(f"{server.admin}/chaos", timeout=5).json() == config


def test_put_rejects_bad_config_whole(server: MockdProcess) -> None:
    _put(server, {"enabled": True, "errorRate": {"probability": 1}})
    r = _put(
        server,
        {"enabled": True, "latency": {"min": "1ms", "max": "2ms", "probability": 2}, "rules": []},
    )
    assert r.status_code == 400
    assert r.json() == {
        "error": "validation_error",
        "message": "latency.probability: probability must be between 0.0 and 1.0, got 2",
    }
    # the earlier config is still in force: nothing was half-applied
    assert requests.get(f"{server.admin}/chaos", timeout=5).json()["errorRate"] == {"probability": 1}
    for bad in (b"{", b"[]", b'{"enabled": "yes"}', b'{"enabled": true, "rules": {}}'):
        r = requests.put(f"{server.admin}/chaos", data=bad, timeout=5)
        assert (r.status_code, r.json()) == (
            400,
            {"error": "invalid_json", "message": "Invalid JSON in request body"},
        ), bad


def test_stats_count_and_reset(server: MockdProcess) -> None:
    zero = {
        "totalRequests": 0,
        "injectedFaults": 0,
        "latencyInjected": 0,
        "errorsInjected": 0,
        "timeoutsInjected": 0,
        "faultsByType": {},
    }
    assert requests.get(f"{server.admin}/chaos/stats", timeout=5).json() == zero
    _put(server, {"enabled": True, "errorRate": {"probability": 1, "statusCodes": [418]}, "seed": 5})
    for _ in range(3):
        assert requests.get(f"{server.url}/nothing", timeout=5).status_code == 418
    stats = requests.get(f"{server.admin}/chaos/stats", timeout=5).json()
    assert stats == {**zero, "totalRequests": 3, "injectedFaults": 3, "errorsInjected": 3,
                     "faultsByType": {"error": 3}}  # fmt: skip
    r = requests.post(f"{server.admin}/chaos/stats/reset", timeout=5)
    assert r.json() == {"message": "chaos stats reset"}
    assert requests.get(f"{server.admin}/chaos/stats", timeout=5).json() == zero
    metrics = requests.get(f"{server.admin}/metrics", timeout=5).text
    assert 'mockd_chaos_faults_total{type="error"} 3' in metrics.splitlines()


def test_circuit_breaker_routes(server: MockdProcess) -> None:
    assert requests.get(f"{server.admin}/chaos/faults", timeout=5).json() == {}
    r = requests.post(f"{server.admin}/chaos/circuit-breakers/0:0/trip", timeout=5)
    assert (r.status_code, r.json()) == (
        404,
        {"error": "not_found", "message": "circuit breaker not found: 0:0"},
    )
    _put(
        server,
        {
            "enabled": True,
            "rules": [{"pathPattern": "/", "probability": 1, "faults": [{"type": "circuit_breaker"}]}],
        },
    )
    r = requests.post(f"{server.admin}/chaos/circuit-breakers/0:0/trip", timeout=5)
    assert r.json() == {"key": "0:0", "message": "circuit breaker tripped"}
    reply = requests.get(f"{server.url}/any", timeout=5)
    assert (reply.status_code, reply.headers["x-circuit-state"], reply.headers["retry-after"]) == (
        503,
        "open",
        "30",
    )
    breaker = requests.get(f"{server.admin}/chaos/faults", timeout=5).json()["circuitBreakers"]["0:0"]
    assert (breaker["state"], breaker["totalRejected"], breaker["totalTrips"]) == ("open", 1, 1)
    r = requests.post(f"{server.admin}/chaos/circuit-breakers/0:0/reset", timeout=5)
    assert r.json() == {"key": "0:0", "message": "circuit breaker reset"}
    assert requests.get(f"{server.url}/any", timeout=5).status_code == 404  # passes to the (missing) mock


def test_profiles(server: MockdProcess) -> None:
    listed = requests.get(f"{server.admin}/chaos/profiles", timeout=5).json()
    assert [p["name"] for p in listed] == PROFILE_NAMES
    flaky = requests.get(f"{server.admin}/chaos/profiles/flaky", timeout=5).json()
    assert flaky == {
        "name": "flaky",
        "description": "Unreliable service with random errors",
        "config": {
            "enabled": True,
            "latency": {"min": "0ms", "max": "100ms", "probability": 1},
            "errorRate": {"probability": 0.2, "statusCodes": [500, 502, 503]},
        },
    }
    r = requests.get(f"{server.admin}/chaos/profiles/nope", timeout=5)
    assert (r.status_code, r.json()["message"]) == (404, "chaos profile not found: nope")
    r = requests.post(f"{server.admin}/chaos/profiles/offline/apply", timeout=5)
    assert r.json() == {
        "message": "chaos profile applied: Service completely down",
        "profile": "offline",
        "status": "ok",
    }
    assert requests.get(f"{server.url}/__mockd/health", timeout=5).status_code == 503  # as in Go


def test_cli_profiles_apply_status_disable(server: MockdProcess) -> None:
    url = ["--admin-url", server.admin]
    out = run_cli("chaos", "profiles", *url)
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert lines[:3] == ["Available chaos profiles:", "", "  degraded        Partially degraded service"]
    assert lines[-2:] == ["", "Apply a profile with: mockd chaos apply <profile-name>"]
    out = run_cli("chaos", "apply", "mobile-3g", *url)
    assert out.stdout == (
        "Applied chaos profile: mobile-3g\n  Mobile 3G network conditions\n\n"
        "  Latency: 300ms - 800ms\n  Error rate: 2%\n  Error codes: 503\n  Bandwidth: 50 KB/s\n\n"
        "Disable with: mockd chaos disable\n"
    )
    assert run_cli("chaos", "status", *url).stdout == "Chaos injection: enabled\n"
    out = run_cli("chaos", "apply", "offline", "--json", *url)
    assert json.loads(out.stdout) == {
        "applied": True,
        "config": {"enabled": True, "errorRate": {"probability": 1, "statusCodes": [503]}},
        "profile": "offline",
    }
    out = run_cli("chaos", "disable", *url)
    assert out.stdout == "Chaos injection disabled\n"
    assert run_cli("chaos", "status", *url).stdout == "Chaos injection: disabled\n"
    assert json.loads(run_cli("chaos", "status", "--json", *url).stdout) == {"enabled": False}


def test_cli_enable_and_errors(server: MockdProcess) -> None:
    url = ["--admin-url", server.admin]
    out = run_cli("chaos", "enable", *url)
    assert (out.returncode, out.stderr) == (1, "at least --latency or --error-rate must be specified\n")
    out = run_cli("chaos", "enable", "-l", "10-20", "-e", "0.1", "-p", "^/api", *url)
    assert out.stdout == (
        "Chaos injection enabled\n  Latency: 10-20\n  Error rate: 10.0% (HTTP 500)\n  Path pattern: ^/api\n"
    )
    got = requests.get(f"{server.admin}/chaos", timeout=5).json()
    assert got["latency"] == {"min": "10ms", "max": "20ms", "probability": 1}
    assert run_cli("chaos", "status", *url).stdout == (
        "Chaos injection: enabled\n  Rules:\n    - ^/api (100% probability)\n"
    )
    out = run_cli("chaos", "apply", "nope", *url)
    assert (out.returncode, out.stderr) == (1, "failed to get chaos profile: chaos profile not found: nope\n")


def test_start_flags(mockd_server) -> None:  # type: ignore[no-untyped-def]
    out = run_cli("start", "--chaos-profile", "nope", "-p", str(free_port()), "-a", str(free_port()))
    assert out.returncode == 1
    assert out.stderr.endswith(
        'unknown chaos profile "nope" \u2014 available profiles: ' + ", ".join(PROFILE_NAMES) + "\n"
    )
    out = run_cli("start", "--chaos-profile", "flaky", "--chaos-enabled")
    assert (out.returncode, out.stderr) == (
        1,
        "--chaos-profile cannot be combined with --chaos-enabled, --chaos-latency, or --chaos-error-rate\n",
    )
    proc = mockd_server("--no-auth", "--chaos-enabled", "--chaos-error-rate", "1", "--chaos-seed", "9")
    r = requests.get(f"{proc.url}/x", timeout=5)
    assert (r.status_code, r.content) == (500, b"Internal Server Error\n")
    assert requests.get(f"{proc.admin}/chaos", timeout=5).json() == {
        "enabled": True,
        "errorRate": {"probability": 1, "defaultCode": 500},
        "seed": 9,
    }
