"""The stored document of a `--shared-state` group: the mock set (compiled, in order, with timestamps) and
the chaos settings, as one JSON value written with its version in one script (keys.PUBLISH_STATE).

JSON rather than pickle: the store is a network service, and a pickle read from it could run code. The
compiled form is the plan's own plain data (`mockd compile` writes it as JSON too), so every replica of the
same mockd version reads it back exactly (`restore_pairs` turns JSON's lists back into the runtime's pairs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from mockd.plan.io import restore_pairs
from mockd.runtime.store import StoredMock

if TYPE_CHECKING:
    from mockd.plan.model import CompiledMock
    from mockd.runtime.world import Runtime


def chaos_of(rt: Runtime) -> dict[str, Any] | None:
    """The chaos settings in force (spec and seed), or None when chaos is off."""
    chaos = rt.chaos
    if chaos is None:
        return None
    return {"spec": chaos.spec, "seed": chaos.seed}


def encode(rt: Runtime) -> bytes:
    """The runtime's mock set and chaos settings as the stored document."""
    mocks = [{"compiled": m.compiled, "createdAt": m.created_at, "updatedAt": m.updated_at} for m in rt.store]
    return orjson.dumps({"mocks": mocks, "chaos": chaos_of(rt)}, option=orjson.OPT_NON_STR_KEYS)


def decode(raw: bytes) -> dict[str, Any]:
    doc = orjson.loads(raw)
    for item in doc["mocks"]:
        restore_pairs(item["compiled"])
    return doc


async def install(rt: Runtime, doc: dict[str, Any]) -> None:
    """Make the runtime serve `doc`: the mock set is swapped in through the store's atomic edit path (an
    unchanged mock keeps its target, so its counter and open streams), and chaos is replaced only when its
    settings changed (a replacement restarts the injector's stats)."""
    store = rt.store
    async with store.editing() as edit:
        current = edit.mocks
        fresh: dict[str, StoredMock] = {}
        for item in doc["mocks"]:
            compiled: CompiledMock = item["compiled"]
            mock_id = compiled["mock"]["id"]
            old = current.get(mock_id)
            if old is not None and old.compiled == compiled and old.updated_at == item["updatedAt"]:
                fresh[mock_id] = old
            else:
                target = rt.make_target(compiled)
                fresh[mock_id] = StoredMock(compiled, target, item["createdAt"], item["updatedAt"])
        if list(fresh) != list(current) or any(fresh[k] is not current[k] for k in fresh):
            edit.mocks = fresh
            edit.changed = True
    chaos = doc.get("chaos")
    if chaos != chaos_of(rt):
        if chaos is None:
            rt.set_chaos(None)
        else:
            rt.set_chaos(chaos["spec"], seed=chaos["seed"])
