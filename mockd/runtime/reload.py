"""Swap in a new compile of the config files while the server runs (`start --watch`).

Only what came from the config files is replaced: mocks and stateful resources created over the admin API
(source < 0) stay as they are, after the config's mocks as at start-up. The mock set changes in one
`MockStore.editing` step, so a request sees the old set or the new one, never a mix and never a gap. A
table whose definition is unchanged keeps its items; a changed one is registered again from its new
definition (its seed), a removed one is dropped. Verification counters follow mock ids, so an edited mock
keeps its count and a removed one loses it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mockd.runtime.state.resource import table_key

if TYPE_CHECKING:
    from mockd.plan.model import CompiledPlan, ResourceSpec
    from mockd.runtime.world import Runtime


@dataclass
class ReloadSummary:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    tables_added: list[str] = field(default_factory=list)
    tables_changed: list[str] = field(default_factory=list)
    tables_removed: list[str] = field(default_factory=list)
    chaos_changed: bool = False

    def describe(self) -> str:
        """One log line: what changed, by name (`no changes` when the files changed only in form)."""
        parts = []
        for label, names in (
            ("added", self.added), ("changed", self.changed), ("removed", self.removed),
        ):  # fmt: skip
            if names:
                parts.append(f"mocks {label}: {', '.join(names)}")
        for label, names in (
            ("added", self.tables_added), ("changed", self.tables_changed), ("removed", self.tables_removed),
        ):  # fmt: skip
            if names:
                parts.append(f"tables {label}: {', '.join(names)}")
        if self.chaos_changed:
            parts.append("chaos settings changed")
        return "; ".join(parts) or "no changes"


def _definition(spec: ResourceSpec) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if k != "source"}


async def reload_config(rt: Runtime, plan: CompiledPlan) -> ReloadSummary:
    summary = ReloadSummary()
    rt.sources = list(plan["sources"])
    _swap_tables(rt, plan["resources"], summary)
    for config in plan["customOperations"]:
        rt.state.register_operation(config)  # by name: an edited operation replaces its old self
    new = {c["mock"]["id"]: c for c in plan["mocks"]}
    now = time.time()
    async with rt.store.editing() as edit:
        old = dict(edit.mocks)
        from_config = [m for m in old.values() if m.compiled["source"] >= 0]
        admin_made = [m for m in old.values() if m.compiled["source"] < 0]
        edit.remove_where(lambda m: True)
        for mock_id, compiled in new.items():
            before = old.get(mock_id)
            if before is None or before.compiled["source"] < 0:
                summary.added.append(mock_id)
                edit.put(compiled, now, now)
            elif before.compiled["mock"] != compiled["mock"]:
                summary.changed.append(mock_id)
                edit.put(compiled, before.created_at, now)
            else:
                edit.put(compiled, before.created_at, before.updated_at)
        for stored in admin_made:
            if stored.id not in new:
                edit.mocks[stored.id] = stored
        summary.removed = [m.id for m in from_config if m.id not in new]
        edit.changed = True
    for mock_id in summary.removed:
        rt.journal.forget(mock_id)
    if plan.get("chaos") != rt.config_chaos:
        summary.chaos_changed = True
        rt.config_chaos = plan.get("chaos")
        rt.set_chaos(rt.config_chaos)
    return summary


def _swap_tables(rt: Runtime, specs: list[ResourceSpec], summary: ReloadSummary) -> None:
    state = rt.state
    wanted = {table_key(s.get("workspace", ""), s["name"]): s for s in specs}  # keyed as the store keys them
    for key, resource in list(state.tables.items()):
        if resource.spec["source"] < 0:
            continue  # created over the admin API: not the config's to change
        spec = wanted.get(key)
        if spec is None:
            state.unregister(key)
            summary.tables_removed.append(resource.name)
        elif _definition(spec) != _definition(resource.spec):
            state.unregister(key)
            state.register_resource(spec)
            summary.tables_changed.append(resource.name)
    for key, spec in wanted.items():
        if key not in state.tables and state.register_resource(spec):
            summary.tables_added.append(spec["name"])
