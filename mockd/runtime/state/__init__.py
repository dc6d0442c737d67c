"""Stateful resources (reference §4): tables of items served over HTTP and managed over the admin API.

Interface used by the rest of the runtime (`mockd.runtime.context.Runtime`):

- `StateStore(rt)`; `load(resources, custom_operations)` installs the plan's resource definitions and seeds;
- `target_for(compiled_mock, counter) -> Target` for mocks whose action is `binding` or `operation`;
- `resource_routes() -> list[(RouteSpec, Target)]` for legacy `basePath` resources (added to the matcher).

Until the stateful engine lands, bound mocks answer 501 and no resource routes exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockd.runtime.targets import Target, UnavailableTarget

if TYPE_CHECKING:
    from mockd.compiler.plan import CompiledMock, ResourceSpec, RouteSpec
    from mockd.runtime.context import Runtime
    from mockd.runtime.journal import Counter


class StateStore:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.resources: list[ResourceSpec] = []

    def load(self, resources: list[ResourceSpec], custom_operations: list[dict]) -> None:
        self.resources = list(resources)

    def target_for(self, compiled: CompiledMock, counter: Counter | None) -> Target:
        kind = compiled["action"]["kind"]
        return UnavailableTarget(compiled["mock"]["id"], counter, f"{kind} mocks are not served yet")

    def resource_routes(self) -> list[tuple[RouteSpec, Target]]:
        return []
