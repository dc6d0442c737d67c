"""The Go tool's ten built-in chaos profiles (operations reference §1.6), in the admin API's shape.

Every profile enables chaos with global faults only; `GET /chaos/profiles` lists them by name.
"""

from __future__ import annotations

from typing import Any


def _profile(
    description: str,
    latency: tuple[int, int] | None = None,
    error: tuple[float, list[int]] | None = None,
    bandwidth: int | None = None,
) -> dict[str, Any]:
    config: dict[str, Any] = {"enabled": True}
    if latency is not None:
        config["latency"] = {"min": f"{latency[0]}ms", "max": f"{latency[1]}ms", "probability": 1}
    if error is not None:
        config["errorRate"] = {"probability": error[0], "statusCodes": error[1]}
    if bandwidth is not None:
        config["bandwidth"] = {"bytesPerSecond": bandwidth, "probability": 1}
    return {"description": description, "config": config}


PROFILES: dict[str, dict[str, Any]] = {
    "degraded": _profile("Partially degraded service", (200, 800), (0.05, [503])),
    "dns-flaky": _profile("Intermittent DNS resolution failures", None, (0.1, [503])),
    "flaky": _profile("Unreliable service with random errors", (0, 100), (0.2, [500, 502, 503])),
    "mobile-3g": _profile("Mobile 3G network conditions", (300, 800), (0.02, [503]), 51200),
    "offline": _profile("Service completely down", None, (1.0, [503])),
    "overloaded": _profile(
        "Overloaded server under heavy load", (1000, 5000), (0.15, [500, 502, 503, 504]), 102400
    ),
    "rate-limited": _profile("Rate-limited API", (50, 200), (0.3, [429])),
    "satellite": _profile("Satellite internet simulation", (600, 2000), (0.05, [503]), 20480),
    "slow-api": _profile("Simulates slow upstream API", (500, 2000)),
    "timeout": _profile("Connection timeout simulation", (30000, 30000)),
}


def profile_names() -> list[str]:
    return sorted(PROFILES)


def unknown_profile_message(name: str) -> str:
    """The Go CLI's text for `--chaos-profile` with a name it does not know."""
    return f'unknown chaos profile "{name}" \u2014 available profiles: {", ".join(profile_names())}'
