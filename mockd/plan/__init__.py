"""The plan: the contract between the compiler, the runtime and the Rust matcher.

The compiler produces it (from config files, or one admin-API mock at a time), `mockd compile` writes it to a
file, and the runtime serves from it without knowing anything of YAML, pydantic or the compiler. It imports
only `mockd.gocompat` and `mockd.errors`.

- `model`: the plain-data shapes (`CompiledPlan`, `CompiledMock`, `RouteSpec`, ...) and their builders;
- `io`: plan files (`write_plan`, `read_plan`, `PlanError`);
- `resources`: rules both sides apply to stateful resources (`seed_id_text`, `legacy_routes`).
"""

from mockd.plan.io import PlanError, read_plan, write_plan
from mockd.plan.model import CompiledMock, CompiledPlan, ResourceSpec, RouteSpec, SourceInfo, empty_plan
from mockd.plan.resources import legacy_routes, resource_routes, seed_id_text

__all__ = [
    "CompiledMock",
    "CompiledPlan",
    "PlanError",
    "ResourceSpec",
    "RouteSpec",
    "SourceInfo",
    "empty_plan",
    "legacy_routes",
    "read_plan",
    "resource_routes",
    "seed_id_text",
    "write_plan",
]
