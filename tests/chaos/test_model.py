"""issue 15: `serverConfig.chaos` is validated, positioned and applied whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockd.chaos.durations import parse_duration
from mockd.chaos.model import ChaosConfigError, check, from_api, profile_spec
from mockd.chaos.spec import to_api
from mockd.compiler import ConfigError, compile_files

CONFIG = """\
version: "1.0"
mocks:
  - id: hello
    http:
      matcher: {method: GET, path: /hello}
      response: {statusCode: 200, body: hi}
serverConfig:
  chaos:
    enabled: true
    seed: 7
    global:
      latency: {min: "10ms", max: "20ms", probability: 1.5}
    rules:
      - pathPattern: "^/api"
        probability: 1
        faults:
          - type: eror
            probability: 1
          - type: latency
            probability: 0.5
            config: {min: "-5ms"}
"""


def _compile(tmp_path: Path, text: str) -> dict:
    path = tmp_path / "mocks.yaml"
    path.write_text(text)
    return dict(compile_files([path]).plan)


def test_config_errors_are_positioned_with_go_messages(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        _compile(tmp_path, CONFIG)
    lines = [d.render() for d in info.value.diagnostics if d.severity == "error"]
    file = str(tmp_path / "mocks.yaml")
    assert lines == [
        f"{file}:12:56: serverConfig.chaos.global.latency.probability: "
        "probability must be between 0.0 and 1.0, got 1.5",
        f'{file}:17:19: serverConfig.chaos.rules[0].faults[0].type: unknown fault type "eror" (expected one '
        "of: latency, error, timeout, empty_response, connection_reset, slow_body, corrupt_body, "
        "partial_response, chunked_dribble, circuit_breaker, retry_after, progressive_degradation). "
        "Did you mean 'error'?",
        f"{file}:21:27: serverConfig.chaos.rules[0].faults[1].config.min: delay must not be negative, "
        'got "-5ms"',
    ]


def test_unknown_profile_is_a_positioned_error(tmp_path: Path) -> None:
    text = (
        CONFIG.split("serverConfig:")[0] + "serverConfig:\n  chaos:\n    enabled: true\n    profile: flakey\n"
    )
    with pytest.raises(ConfigError) as info:
        _compile(tmp_path, text)
    (d,) = info.value.diagnostics
    assert (d.line, d.column) == (10, 14)
    assert d.message.startswith(
        'unknown chaos profile "flakey" \u2014 available profiles: degraded, dns-flaky'
    )


def test_valid_config_goes_into_the_plan(tmp_path: Path) -> None:
    text = CONFIG.split("serverConfig:")[0] + (
        "serverConfig:\n  chaos:\n    enabled: true\n    seed: 3\n    rules:\n"
        '      - {pathPattern: "^/hello", probability: 1, faults: [{type: error, probability: 0.5}]}\n'
    )
    plan = _compile(tmp_path, text)
    assert plan["chaos"] == {
        "enabled": True,
        "seed": 3,
        "rules": [
            {
                "pathPattern": "^/hello",
                "methods": [],
                "probability": 1,
                "faults": [{"type": "error", "probability": 0.5, "config": {}}],
            }
        ],
    }


def test_disabled_or_absent_chaos_is_none_in_the_plan(tmp_path: Path) -> None:
    base = CONFIG.split("serverConfig:")[0]
    assert _compile(tmp_path, base)["chaos"] is None
    assert _compile(tmp_path, base + "serverConfig:\n  chaos: {enabled: false}\n")["chaos"] is None


def test_api_shape_flat_fault_keys_join_config_and_explicit_config_wins() -> None:
    spec = from_api(
        {
            "enabled": True,
            "rules": [
                {
                    "pathPattern": "/x",
                    "probability": 1,
                    "faults": [{"type": "circuit_breaker", "tripAfter": 3, "config": {"tripAfter": 5}}],
                }
            ],
        }
    )
    assert spec is not None
    assert spec["rules"][0]["faults"][0]["config"] == {"tripAfter": 5}


def test_api_errors_name_the_field_and_nothing_is_applied() -> None:
    with pytest.raises(ChaosConfigError) as info:
        from_api({"enabled": True, "bandwidth": {"bytesPerSecond": 0, "probability": 1}})
    assert str(info.value) == "bandwidth.bytesPerSecond: bytesPerSecond must be > 0, got 0"
    with pytest.raises(ChaosConfigError) as info:
        from_api({"enabled": True, "rules": [{"pathPattern": "(", "probability": 1}]})
    assert str(info.value).startswith('rules[0].pathPattern: failed to compile rule for pattern "("')


def test_type_errors_and_numeric_durations_are_refused() -> None:
    _, problems = check({"enabled": True, "global": {"latency": {"min": 100}}}, "file")
    assert [(p.loc, p.message) for p in problems] == [
        (("global", "latency", "min"), "expected a string, got a number")
    ]
    _, problems = check({"enabled": "yes"}, "file")
    assert [p.message for p in problems] == [
        "expected true or false, got a string"
    ]  # the wording config files use too (issue 23)


def test_unknown_keys_are_warnings_with_suggestions() -> None:
    spec, problems = check({"enabled": True, "rules": [], "rulez": []}, "file")
    assert spec is not None
    assert [(p.severity, p.message) for p in problems] == [
        ("warning", "unknown chaos key 'rulez' is ignored. Did you mean 'rules'?")
    ]


def test_latency_distribution_parameters_are_checked() -> None:
    _, problems = check({"enabled": True, "latency": {"distribution": "lognormal", "p50": "50ms"}}, "api")
    assert [p.message for p in problems] == ["lognormal latency needs p99"]
    _, problems = check({"enabled": True, "latency": {"distribution": "zipf"}}, "api")
    assert problems[0].message.startswith('unknown latency distribution "zipf"')


def test_profiles_round_trip_in_the_go_api_shape() -> None:
    assert to_api(profile_spec("mobile-3g")) == {
        "enabled": True,
        "latency": {"min": "300ms", "max": "800ms", "probability": 1},
        "errorRate": {"probability": 0.02, "statusCodes": [503]},
        "bandwidth": {"bytesPerSecond": 51200, "probability": 1},
    }


def test_go_durations() -> None:
    assert parse_duration("1h2m3.5s") == 3723.5
    assert parse_duration("1.5ms") == 0.0015
    assert parse_duration("-5ms") == -0.005
    for bad in ("", "5", "5x", "ms", ".s"):
        assert parse_duration(bad) is None, bad


def test_chaos_survives_a_plan_file(tmp_path: Path) -> None:
    from mockd.plan.io import read_plan, write_plan

    text = (
        CONFIG.split("serverConfig:")[0]
        + "serverConfig:\n  chaos:\n    enabled: true\n    profile: offline\n"
    )
    plan = compile_files([_write(tmp_path, text)]).plan
    write_plan(plan, tmp_path / "plan.json")
    assert read_plan(tmp_path / "plan.json").get("chaos") == plan["chaos"]
    assert to_api(plan["chaos"]) == {"enabled": True, "errorRate": {"probability": 1, "statusCodes": [503]}}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mocks.yaml"
    path.write_text(text)
    return path
