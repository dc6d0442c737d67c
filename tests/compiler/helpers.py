"""Tiny harness for compiler tests: write a config into a temp dir, compile it, look at the outcome."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from mockd.compiler import CompileResult, ConfigError, compile_files


def write(tmp_path: Path, text: str, name: str = "mocks.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def compile_text(
    tmp_path: Path, text: str, name: str = "mocks.yaml", env: dict[str, str] | None = None
) -> CompileResult:
    return compile_files([write(tmp_path, text, name)], env=env or {})


def problems(
    tmp_path: Path, text: str, name: str = "mocks.yaml", env: dict[str, str] | None = None
) -> list[str]:
    """Rendered diagnostics, errors and warnings, without the temp dir (`mocks.yaml:3:9: loc: message`)."""
    try:
        result = compile_text(tmp_path, text, name, env)
    except ConfigError as exc:
        diags = exc.diagnostics
    else:
        diags = result.warnings
    return [d.render().replace(f"{tmp_path}/", "") for d in diags]


def only_mock(tmp_path: Path, text: str, name: str = "mocks.yaml") -> dict[str, Any]:
    """The single compiled mock of a config."""
    plan = compile_text(tmp_path, text, name).plan
    assert len(plan["mocks"]) == 1
    return plan["mocks"][0]  # type: ignore[return-value]
