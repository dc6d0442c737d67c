"""Builders for complete route dicts (every RouteSpec key), shared by the matcher tests."""

from typing import Any


def route(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "m",
        "name": None,
        "method": None,
        "path": None,
        "pathPattern": None,
        "strict": False,
        "headers": [],
        "query": [],
        "bodyEquals": None,
        "bodyContains": None,
        "bodyPattern": None,
        "bodyJsonPath": [],
        "priority": 0,
        "tier": 0,
        "captures": False,
    }
    unknown = set(fields) - set(base)
    assert not unknown, unknown
    base.update(fields)
    return base
