"""docs/cli.md and docs/errors.md are generated from the code; a stale page fails here (regenerate with
`python docs/gen_reference.py`)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_reference_pages_are_up_to_date() -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "gen_reference.py"), "--check"],
        capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr


def test_every_command_is_documented() -> None:
    # A new command must be added to docs/gen_reference.py's COMMANDS, or docs/cli.md silently omits it.
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        from gen_reference import COMMANDS
    finally:
        sys.path.remove(str(ROOT / "docs"))
    import typer.main

    from mockd.cli.app import app

    group = typer.main.get_group(app)
    listed: set[str] = set()

    def walk(prefix: str, commands: dict) -> None:  # groups nest (`mockd proxy ca generate`)
        for name, command in commands.items():
            listed.add(prefix + name)
            walk(prefix + name + " ", getattr(command, "commands", {}))

    walk("", group.commands)
    assert listed == set(COMMANDS)
