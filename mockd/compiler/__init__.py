"""The config compiler: config files (or one admin-API mock) in, the plain data of `plan.py` out.

It knows nothing of HTTP serving; the runtime never needs YAML or pydantic. Public API:

- `compile_files(paths) -> CompileResult(plan, warnings)`, raising `ConfigError` with every problem;
- `compile_mock(data, *, id_style, source=-1) -> CompiledMock`, raising `MockValidationError` (admin API);
- `compile_resource(data) -> ResourceSpec` (admin `POST /state/resources`), `compile_operation(data)`
  (admin `POST /state/operations`), `resource_routes(resource)` for the routes of one legacy `basePath`
  resource and `legacy_routes(resources)` for all of them in matcher order;
- `write_plan(plan, path)`, `read_plan(path)` (raising `PlanError`), `empty_plan()`.
"""

from mockd.compiler.compile import (
    CompileResult,
    compile_files,
    compile_mock,
    compile_operation,
    compile_resource,
)
from mockd.compiler.errors import ConfigError, Diagnostic, MockdError, MockValidationError, PlanError
from mockd.compiler.normalise import legacy_routes, resource_routes, seed_id_text
from mockd.compiler.plan import empty_plan
from mockd.compiler.planio import read_plan, write_plan

__all__ = [
    "CompileResult",
    "ConfigError",
    "Diagnostic",
    "MockValidationError",
    "MockdError",
    "PlanError",
    "compile_files",
    "compile_mock",
    "compile_operation",
    "compile_resource",
    "empty_plan",
    "legacy_routes",
    "read_plan",
    "resource_routes",
    "seed_id_text",
    "write_plan",
]
