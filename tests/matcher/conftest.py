"""Hypothesis profiles for the matcher tests: MOCKD_HYPOTHESIS_PROFILE=ci (default) or slow."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=False
)
settings.register_profile(
    "slow", max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

MATCHER_PROFILE = settings.get_profile(os.environ.get("MOCKD_HYPOTHESIS_PROFILE", "ci"))
