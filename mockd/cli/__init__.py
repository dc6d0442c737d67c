"""The `mockd` command line (typer). Translation layer only: parse flags, call compiler/runtime, map errors."""

from mockd.cli.app import app, main

__all__ = ["app", "main"]
