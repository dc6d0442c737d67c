"""issue 15: fault selection (operations reference §1.3), seeded and exact; latency distributions; stateful
faults. With a seed every outcome is deterministic, so the counts below are exact, not thresholds."""

from __future__ import annotations

import random
import statistics

import pytest

from mockd.chaos.injector import Injector, latency_sampler
from mockd.chaos.model import ChaosConfigError, from_api
from mockd.gocompat.quote import go_quote


def _injector(config: dict, seed: int | None = 1, **kw: object) -> Injector:
    spec = from_api({"enabled": True, **config})
    assert spec is not None
    return Injector(spec, seed=seed, **kw)  # type: ignore[arg-type]


def _kinds(inj: Injector, n: int, method: str = "GET", path: str = "/x") -> list[str]:
    out = []
    for _ in range(n):
        faults = inj.select(method, path)
        out.append(",".join(f.kind for f in faults) if faults else "")
    return out


def test_same_seed_same_faults_and_values() -> None:
    config = {
        "latency": {"min": "1ms", "max": "50ms", "probability": 0.5},
        "errorRate": {"probability": 0.3, "statusCodes": [500, 502, 503]},
    }
    a = [_injector(config, seed=42).select("GET", "/x") for _ in range(1)]
    runs = []
    for _ in range(2):
        inj = _injector(config, seed=42)
        runs.append([inj.select("GET", f"/p{i % 7}") for i in range(500)])
    assert runs[0] == runs[1]
    assert a[0] == runs[0][0]
    other = _injector(config, seed=43)
    assert [other.select("GET", f"/p{i % 7}") for i in range(500)] != runs[0]


def test_error_rate_over_100000_requests_is_exact_for_the_seed_and_within_one_point() -> None:
    inj = _injector({"errorRate": {"probability": 0.1}}, seed=2024)
    kinds = _kinds(inj, 100_000)
    errors = kinds.count("error")
    assert errors == 10_099  # the seed's exact outcome: a regression changes it
    assert abs(errors / 100_000 - 0.1) < 0.01
    assert inj.stats.as_dict() == {
        "totalRequests": 100_000,
        "injectedFaults": errors,
        "latencyInjected": 0,
        "errorsInjected": errors,
        "timeoutsInjected": 0,
        "faultsByType": {"error": errors},
    }


def test_a_matching_rule_suppresses_global_faults_even_when_it_does_not_fire() -> None:
    inj = _injector(
        {"errorRate": {"probability": 1}, "rules": [{"pathPattern": "^/quiet", "probability": 0}]}
    )
    assert _kinds(inj, 3, path="/quiet/a") == ["", "", ""]
    assert _kinds(inj, 2, path="/loud") == ["error", "error"]


def test_omitted_rule_probability_never_fires_and_methods_are_case_sensitive() -> None:
    inj = _injector(
        {
            "rules": [
                {"pathPattern": "/a", "faults": [{"type": "error", "probability": 1}]},
                {
                    "pathPattern": "/b",
                    "methods": ["POST"],
                    "probability": 1,
                    "faults": [{"type": "empty_response", "probability": 1}],
                },
            ]
        }
    )
    assert _kinds(inj, 2, path="/a") == ["", ""]
    assert _kinds(inj, 1, method="POST", path="/b") == ["empty_response"]
    assert _kinds(inj, 1, method="post", path="/b") == [""]


def test_several_rules_contribute_faults_in_order() -> None:
    inj = _injector(
        {
            "rules": [
                {"pathPattern": "^/api", "probability": 1, "faults": [{"type": "latency", "probability": 1}]},
                {"pathPattern": "orders", "probability": 1, "faults": [{"type": "error", "probability": 1}]},
            ]
        }
    )
    assert _kinds(inj, 1, path="/api/orders") == ["latency,error"]
    assert _kinds(inj, 1, path="/api/users") == ["latency"]


def test_stateful_faults_ignore_their_probability_and_count_as_injected() -> None:
    inj = _injector(
        {
            "rules": [
                {
                    "pathPattern": "/cb",
                    "probability": 1,
                    "faults": [{"type": "circuit_breaker", "probability": 0, "config": {"tripAfter": 3}}],
                }
            ]
        }
    )
    replies = [inj.select("GET", "/cb")[0].args[0] for _ in range(4)]  # type: ignore[index]
    assert [r[0] if r else None for r in replies] == [None, None, 503, 503]
    assert replies[2] == (
        503,
        [("retry-after", "30"), ("x-circuit-state", "open"), ("content-type", "application/json")],
        b'{"error":"circuit breaker open","state":"open","retry_after":30}',
    )
    status = inj.fault_status()["circuitBreakers"]["0:0"]
    assert {k: v for k, v in status.items() if k != "openedAt"} == {
        "state": "open",
        "consecutiveFailures": 0,
        "consecutiveSuccesses": 0,
        "totalRequests": 4,
        "totalTrips": 1,
        "totalRejected": 2,
        "totalPassed": 2,
        "totalHalfOpen": 0,
        "stateChanges": 1,
    }
    assert inj.stats.as_dict()["faultsByType"] == {"circuit_breaker": 4}


def test_circuit_breaker_half_opens_after_open_duration_and_closes_after_successes() -> None:
    now = [0.0]
    inj = _injector(
        {
            "rules": [
                {
                    "pathPattern": "/",
                    "probability": 1,
                    "faults": [
                        {
                            "type": "circuit_breaker",
                            "config": {
                                "tripAfter": 1,
                                "openDuration": "10s",
                                "halfOpenErrorRate": 0,
                                "successThreshold": 2,
                            },
                        }
                    ],
                }
            ]
        },
        clock=lambda: now[0],
    )
    first = inj.select("GET", "/")
    assert first is not None
    assert first[0].args[0][0] == 503
    now[0] = 10.0
    assert [inj.select("GET", "/")[0].args[0] for _ in range(2)] == [None, None]  # type: ignore[index]
    assert inj.breakers["0:0"].state == "closed"


def test_retry_after_limits_then_lets_one_through_per_window() -> None:
    now = [100.0]
    inj = _injector(
        {
            "rules": [
                {
                    "pathPattern": "/",
                    "probability": 1,
                    "faults": [{"type": "retry_after", "config": {"retryAfter": "2s"}}],
                }
            ]
        },
        clock=lambda: now[0],
    )

    def status() -> int | None:
        reply = inj.select("GET", "/")[0].args[0]  # type: ignore[index]
        return reply[0] if reply else None

    assert status() == 429
    now[0] = 101.0
    reply = inj.select("GET", "/")[0].args[0]  # type: ignore[index]
    assert reply == (
        429,
        [("retry-after", "1"), ("content-type", "application/json")],
        b'{"error":"Too Many Requests","retry_after":1}',
    )
    now[0] = 102.0
    assert [status(), status()] == [None, 429]


def test_progressive_degradation_grows_then_errors() -> None:
    inj = _injector(
        {
            "rules": [
                {
                    "pathPattern": "/",
                    "probability": 1,
                    "faults": [
                        {
                            "type": "progressive_degradation",
                            "config": {
                                "initialDelay": "10ms",
                                "delayIncrement": "10ms",
                                "maxDelay": "25ms",
                                "errorAfter": 2,
                            },
                        }
                    ],
                }
            ]
        }
    )
    got = [inj.select("GET", "/")[0].args for _ in range(3)]  # type: ignore[index]
    assert [round(d, 4) for d, _ in got] == [0.01, 0.02, 0.025]
    assert got[0][1] is None
    assert got[1][1] is None
    assert got[2][1] == (
        500,
        [("content-type", "application/json")],
        b'{"error":"Internal Server Error","degradation":{"request_count":3,"delay_ms":25}}',
    )


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


@pytest.mark.parametrize(
    ("cfg", "p50", "p99"),
    [
        ({"distribution": "lognormal", "p50": "50ms", "p99": "400ms"}, 0.050, 0.400),
        ({"distribution": "normal", "mean": "100ms", "stddev": "10ms"}, 0.100, 0.12326),
        ({"min": "100ms", "max": "200ms"}, 0.150, 0.199),
        ({"distribution": "pareto", "min": "10ms", "alpha": 2}, 0.01414, 0.1),
    ],
)
def test_latency_distributions_hit_their_percentiles(cfg: dict, p50: float, p99: float) -> None:
    sample = latency_sampler(cfg)
    rng = random.Random(7)
    values = [sample(rng) for _ in range(20_000)]
    assert _percentile(values, 50) == pytest.approx(p50, rel=0.05)
    assert _percentile(values, 99) == pytest.approx(p99, rel=0.05)


def test_fixed_latency_and_cap() -> None:
    rng = random.Random(1)
    assert latency_sampler({"distribution": "fixed", "value": "25ms"})(rng) == 0.025
    capped = latency_sampler({"distribution": "pareto", "min": "10ms", "alpha": 0.5, "max": "30ms"})
    assert max(capped(rng) for _ in range(2000)) == 0.03
    assert latency_sampler({"min": "20ms", "max": "20ms"})(rng) == 0.02


def test_the_path_cache_makes_an_unmatched_route_one_lookup() -> None:
    inj = _injector({"rules": [{"pathPattern": "^/slow", "probability": 1}]})
    assert inj.select("GET", "/fast") is None
    assert inj._paths == {"/fast": ()}


def test_mock_id_rules_select_after_the_match() -> None:
    from mockd.chaos.injector import MATCH_FIRST

    inj = _injector(
        {
            "errorRate": {"probability": 1},
            "rules": [
                {"mockId": "a", "probability": 1, "faults": [{"type": "empty_response", "probability": 1}]}
            ],
        }
    )
    assert inj.select("GET", "/x") is MATCH_FIRST
    assert inj.stats.total == 0  # nothing drawn or counted until the mock is known
    faults = inj.select_for("GET", "/x", "a")
    assert faults is not None
    assert [f.kind for f in faults] == ["empty_response"]
    faults = inj.select_for("GET", "/x", "b")  # no rule matched: the global faults apply
    assert faults is not None
    assert [f.kind for f in faults] == ["error"]
    assert inj.stats.total == 2


def test_rule_patterns_are_go_regexes() -> None:
    # issue 15: the same syntax and meaning as a mock's pathPattern (RE2, ASCII \d, \z), not Python's `re`
    inj = _injector({"enabled": True, "rules": [
        {"pathPattern": r"^/orders/\d+\z", "probability": 1,
         "faults": [{"type": "error", "probability": 1, "config": {"statusCodes": [503]}}]},
    ]})  # fmt: skip
    assert _kinds(inj, 1, path="/orders/42") == ["error"]
    assert _kinds(inj, 1, path="/orders/\u0664\u0662") == [""]  # Arabic-Indic digits: \d is ASCII in Go
    assert _kinds(inj, 1, path="/orders/42\n") == [""]  # \z is the very end


@pytest.mark.parametrize("pattern", ["^/a(?=b)", r"(a)\1", "(?<!x)y"])
def test_patterns_go_refuses_are_refused(pattern: str) -> None:
    with pytest.raises(ChaosConfigError) as info:
        from_api({"enabled": True, "rules": [{"pathPattern": pattern, "probability": 1}]})
    prefix = f"rules[0].pathPattern: failed to compile rule for pattern {go_quote(pattern)}: "
    assert str(info.value).startswith(prefix)
