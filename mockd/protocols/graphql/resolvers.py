"""A GraphQL mock's `resolvers` map, read once when the mock is built (protocols-reference §3.1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockd.chaos.durations import parse_duration
from mockd.protocols.registry import ProtocolBuildError


@dataclass(frozen=True, slots=True)
class Resolver:
    """One root field's canned answer: `response`, or `error`, after `delay`, when `match_args` hold."""

    response: Any
    match_args: dict[str, Any]
    delay: float  # seconds
    error: dict[str, Any] | None


def read_resolvers(spec: dict[str, Any]) -> dict[str, Resolver]:
    """`"<Type>.<field>"` -> Resolver; ProtocolBuildError names the field that is wrong."""
    raw = spec.get("resolvers") or {}
    if not isinstance(raw, dict):
        raise ProtocolBuildError("graphql.resolvers", 'expected a map of "Type.field" to resolver')
    out: dict[str, Resolver] = {}
    for key, config in raw.items():
        where = f"graphql.resolvers.{key}"
        if not isinstance(config, dict):
            raise ProtocolBuildError(where, "expected a resolver object (response, match, delay, error)")
        delay_text = config.get("delay") or ""
        delay = 0.0
        if delay_text:
            parsed = parse_duration(str(delay_text))
            if parsed is None or parsed < 0:
                raise ProtocolBuildError(f"{where}.delay", f'invalid duration "{delay_text}" (e.g. "250ms")')
            delay = parsed
        match = config.get("match") or {}
        args = match.get("args") if isinstance(match, dict) else None
        if args is not None and not isinstance(args, dict):
            raise ProtocolBuildError(f"{where}.match.args", "expected a map of argument name to value")
        error = config.get("error")
        if error is not None and not isinstance(error, dict):
            raise ProtocolBuildError(f"{where}.error", "expected an object with message, path, extensions")
        out[key] = Resolver(config.get("response"), dict(args or {}), delay, error)
    return out
