"""Golden files for what a human reads: the full multi-error output of a broken YAML and JSON config.

Regenerate with `MOCKD_UPDATE_GOLDEN=1 pytest tests/compiler/test_golden.py` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mockd.compiler import ConfigError, compile_files

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("name", ["broken.yaml", "broken.json"])
def test_rendered_diagnostics_match_golden(name):
    # style point 16: every error at once, each as file:line:col: field.path: message (Go's wording)
    with pytest.raises(ConfigError) as info:
        compile_files([GOLDEN / name], env={})
    rendered = "\n".join(d.render().replace(f"{GOLDEN}/", "") for d in info.value.diagnostics) + "\n"
    expected = GOLDEN / f"{name}.txt"
    if os.environ.get("MOCKD_UPDATE_GOLDEN"):
        expected.write_text(rendered)
    assert rendered == expected.read_text()
