"""What every importer receives and returns."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# What a spec promises for one operation: status ("200", "default", "2XX") -> media type -> JSON schema
# (inlined, or None when the spec gives none).
Contract = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Source:
    """One file to convert: its bytes, the name messages use, and its path on disk (anchors `$ref`s)."""

    data: bytes
    name: str
    path: str = ""
    url: str = ""  # fetched from here (anchors its relative `$ref`s, which are fetched too)
    seed: int = 0  # generated bodies: same seed, same bytes
    example: str = ""  # OpenAPI named example to prefer where an operation offers several
    validate: bool = False  # OpenAPI: requests are checked against the operation's parameters and body
    # Called as progress(done, total) after each operation of a large spec (the CLI draws a bar with it).
    progress: Callable[[int, int], None] | None = None


@dataclass
class Converted:
    """Mocks in the Go tool's config shape (plain dicts, ready for the compiler), plus what was left out."""

    format: str
    mocks: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    name: str = ""
    # OpenAPI only: the contract of the operation at (METHOD, path), worked out when asked for.
    contract: Callable[[str, str], Contract | None] | None = None


def stable_id(prefix: str, *parts: str) -> str:
    """`<prefix>_<16 hex>` derived from the parts: the Go tool's id shape, the same on every run."""
    return f"{prefix}_{hashlib.sha256(chr(0).join(parts).encode()).hexdigest()[:16]}"


def http_mock(
    mock_id: str,
    name: str,
    matcher: dict[str, Any],
    response: dict[str, Any],
    *,
    operation_id: str = "",
    priority: int = 0,
) -> dict[str, Any]:
    mock: dict[str, Any] = {"id": mock_id, "type": "http", "name": name, "enabled": True}
    if operation_id:
        mock["operationId"] = operation_id
    http: dict[str, Any] = {"matcher": matcher, "response": response}
    if priority:
        http["priority"] = priority
    mock["http"] = http
    return mock
