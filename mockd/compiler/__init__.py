"""The config compiler: config files (or one admin-API mock) in, the plain data of `mockd.plan` out.

It knows nothing of HTTP serving; the runtime never needs YAML or pydantic. Public API:

- `compile_files(paths) -> CompileResult(plan, warnings)`, raising `ConfigError` with every problem;
- `compile_mock(data, *, id_style, source=-1) -> CompiledMock`, raising `MockValidationError` (admin API);
- `compile_resource(data) -> ResourceSpec` (admin `POST /state/resources`), `compile_operation(data)`
  (admin `POST /state/operations`);
- `generate_id(type, style)`: a fresh mock id in the Go tool's config or admin style;
- `mock_json_schema()`: the JSON Schema of one mock (the dashboard's editor).

The pipeline shows in the folders: `decode/` (file to data and positions), `check/` (validation with the Go
tool's messages), `build/` (routes, resources, ids), then `compile.py` assembles the plan. Plan files and the
rules the runtime shares with the compiler are in `mockd.plan`.
"""

from mockd.compiler.build.ids import generate_id
from mockd.compiler.compile import (
    CompileResult,
    compile_files,
    compile_mock,
    compile_operation,
    compile_resource,
)
from mockd.compiler.errors import ConfigError, Diagnostic, MockValidationError
from mockd.compiler.schema import mock_json_schema

__all__ = [
    "CompileResult",
    "ConfigError",
    "Diagnostic",
    "MockValidationError",
    "compile_files",
    "compile_mock",
    "compile_operation",
    "compile_resource",
    "generate_id",
    "mock_json_schema",
]
