"""What request handlers and custom operations need from the state store, as a structural type.

`serve.py` and `operations.py` are imported by `registry.py` (which builds their targets and operations), so
they name the store by this protocol instead of importing `StateStore` back: the dependency runs one way,
registry -> serve/operations -> tables (which imports neither).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

T = TypeVar("T")

if TYPE_CHECKING:
    from mockd.runtime.cors import CorsPolicy
    from mockd.runtime.state.resource import Resource


class CustomOperation(Protocol):
    """A registered custom operation (`operations.Operation`)."""

    def execute(self, state: Tables, data: dict[str, Any]) -> dict[str, Any]: ...


class StoreUnavailable(Exception):
    """`--shared-state`: the store the tables live in cannot be reached; the request answers 503."""


class Guard(Protocol):
    """`--shared-state` (`mockd.runtime.shared.tables.SharedTables.guard`): runs a request's synchronous
    table code on items in step with the store, and writes what it changed before returning."""

    def __call__(self, handle: Callable[[], T], *, write: bool) -> Awaitable[T]: ...


class Durable(Protocol):
    """`--data-dir` (`mockd.runtime.persist.Persister`): how a request that changed a table waits for disk;
    or `--shared-state` (`mockd.runtime.shared.tables.SharedTables`), which guards every request instead."""

    changes: int  # incremented by every item change: compared around a request's handling

    @property
    def guard(self) -> Guard | None:
        """None for `--data-dir`: the request runs, then waits for `flush` if it changed something."""
        ...

    async def flush(self) -> None:
        """Return once every change made so far is committed (raises when the write failed)."""
        ...


class Tables(Protocol):
    """The tables one request sees: the store itself (default workspace), or a workspace's view of it."""

    @property
    def cors(self) -> CorsPolicy | None:
        """Legacy resource routes answer preflights with it."""
        ...

    @property
    def durable(self) -> Durable | None:
        """None without `--data-dir`: the reply is sent without waiting for anything."""
        ...

    def get(self, name: str) -> Resource | None:
        """The table named `name`, or None."""
        ...

    def need(self, name: str) -> Resource:
        """The table named `name`; a `StateError` 404 when it is absent."""
        ...

    def operation(self, name: str) -> CustomOperation | None:
        """The custom operation named `name`, or None."""
        ...

    def expand(self, resource: Resource, view: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        """`view` with the relationship `fields` replaced by the related items."""
        ...
