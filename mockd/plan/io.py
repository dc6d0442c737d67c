"""Plan files: `mockd compile` writes one, `mockd start --plan` reads it without re-parsing the configs.

A plan is only valid for the mockd that wrote it (the shapes and the matcher behind them change between
versions), so reading refuses a plan from another mockd version or plan format, and says how to rebuild it:
the plan records its source files for exactly that. `baseDir` is stored relative to the plan file, so a plan
moved together with its configs (a repository checkout, a container image) still finds its body files.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import stat
from pathlib import Path
from typing import Any

import orjson

from mockd import __version__
from mockd.errors import MockdError
from mockd.plan.model import PLAN_FORMAT, PLAN_KIND, CompiledPlan


class PlanError(MockdError):
    """A plan file that this mockd cannot use (another version, not a plan, damaged)."""


def write_plan(plan: CompiledPlan, path: str | os.PathLike[str]) -> None:
    """Write `plan` as JSON (header keys first). Raises OSError when the file cannot be written."""
    target = Path(path)
    plan_dir = target.resolve().parent
    sources = []
    for source in plan["sources"]:
        base = source["baseDir"]
        with contextlib.suppress(ValueError):  # another drive on Windows: keep it absolute
            base = os.path.relpath(base, plan_dir)
        sources.append({**source, "baseDir": base})
    header = {"kind": PLAN_KIND, "planFormat": plan["planFormat"], "mockdVersion": plan["mockdVersion"]}
    body = {k: v for k, v in plan.items() if k not in header}
    body["sources"] = sources
    data = orjson.dumps({**header, **body}, option=orjson.OPT_NON_STR_KEYS)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def _rebuild_command(plan: dict[str, Any], path: str) -> str:
    sources = [s.get("path", "?") for s in plan.get("sources", []) if isinstance(s, dict)]
    return shlex.join(["mockd", "compile", *sources, "-o", path])


def read_plan(path: str | os.PathLike[str]) -> CompiledPlan:
    """Load a plan written by this mockd; `PlanError` for anything else, with the command to rebuild it."""
    name = os.fspath(path)
    try:
        if not stat.S_ISREG(os.stat(name).st_mode):  # a device or FIFO would be read, or block, for ever
            raise PlanError(f"{name} is not a regular file, so not a mockd plan")
        raw = Path(name).read_bytes()
    except FileNotFoundError:
        raise PlanError(f"plan file not found: {name}") from None
    except OSError as exc:
        raise PlanError(f"cannot read plan {name}: {exc.strerror or exc}") from None
    try:
        plan = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise PlanError(f"{name} is not a mockd plan (not JSON: {exc})") from None
    if not isinstance(plan, dict) or plan.get("kind") != PLAN_KIND:
        raise PlanError(f'{name} is not a mockd plan (no "kind": "{PLAN_KIND}" header)')
    version, fmt = plan.get("mockdVersion"), plan.get("planFormat")
    if version != __version__ or fmt != PLAN_FORMAT:
        raise PlanError(
            f"{name} was compiled by mockd {version} (plan format {fmt}); this is mockd {__version__} "
            f"(plan format {PLAN_FORMAT}) and only reads its own plans. Rebuild it with: "
            f"{_rebuild_command(plan, name)}"
        )
    for key in ("sources", "mocks", "resources", "customOperations", "warnings"):
        if not isinstance(plan.get(key), list):
            raise PlanError(
                f'{name} is damaged: "{key}" is missing. Rebuild it with: {_rebuild_command(plan, name)}'
            )
    plan_dir = Path(name).resolve().parent
    for source in plan["sources"]:
        source["baseDir"] = os.path.normpath(os.path.join(plan_dir, source["baseDir"]))
    for mock in plan["mocks"]:
        restore_pairs(mock)
    return plan  # type: ignore[return-value]


def restore_pairs(mock: dict[str, Any]) -> None:
    """JSON has no tuples: restore, in place, the (name, value) pairs the runtime unpacks in a compiled mock
    read back from JSON (a plan file, or the shared-state store of `start --shared-state`)."""
    route = mock.get("route")
    if route is not None:
        for key in ("headers", "query", "bodyJsonPath"):
            route[key] = [tuple(item) for item in route[key]]
    action = mock.get("action") or {}
    if action.get("kind") == "response":
        action["response"]["headers"] = [tuple(h) for h in action["response"]["headers"]]
