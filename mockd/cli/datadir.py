"""`start --data-dir`: open the directory and put what it holds into the plan before the server loads it.

Merge rule (the Go tool's, for `start --config`): the config is loaded first and wins. A stored mock whose id
a config mock also has is replaced by the config's; the other stored mocks follow the config's, in the order
they were created. Stored resource definitions are added unless a config resource has the name (in the same
workspace). Table items
are put back by the runtime once the tables exist (mockd/runtime/persist.py).

Stored mocks are kept as the admin API shows them and compiled again here, so a data dir outlives plan
format changes; one that no longer compiles is skipped with a warning naming it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockd.persistence import DataDir, default_data_dir

if TYPE_CHECKING:
    from mockd.persistence import Snapshot
    from mockd.plan.model import CompiledPlan, ResourceSpec

log = logging.getLogger("mockd.persistence")

DEFAULT = "default"


def resolve(value: str) -> Path:
    """`default` is the Go tool's location ($XDG_DATA_HOME/mockd, else ~/.local/share/mockd)."""
    return default_data_dir() if value == DEFAULT else Path(value).expanduser()


def open_data_dir(value: str) -> DataDir:
    """Lock and open the directory; raises `PersistenceError` with the reason."""
    return DataDir.open(resolve(value))


def merge(plan: CompiledPlan, snapshot: Snapshot) -> int:
    """Add the stored mocks and resource definitions the config does not define; returns how many mocks."""
    from mockd.compiler import MockValidationError, compile_mock

    taken = {c["mock"]["id"] for c in plan["mocks"]}
    added = 0
    for row in snapshot.mocks:
        mock: Any = row.get("mock") if isinstance(row, dict) else None
        if not isinstance(mock, dict) or mock.get("id") in taken:
            continue
        try:
            compiled = compile_mock(mock, id_style="admin", require_type=True)
        except MockValidationError as exc:
            log.warning("stored mock %r no longer loads and is skipped: %s", mock.get("id"), exc)
            continue
        plan["mocks"].append(compiled)
        taken.add(compiled["mock"]["id"])
        added += 1
    keys: set[tuple[Any, Any]] = {(r.get("workspace", ""), r["name"]) for r in plan["resources"]}
    for spec in snapshot.resources:
        if not isinstance(spec, dict):
            continue
        key = (spec.get("workspace", ""), spec.get("name"))
        if key not in keys:
            stored: ResourceSpec = spec  # type: ignore[assignment]  # written from a ResourceSpec
            plan["resources"].append(stored)
            keys.add(key)
    return added
