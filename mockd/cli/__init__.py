"""The `mockd` command line (typer): parse flags, call the compiler or runtime, map their errors."""

from mockd.cli.app import app, main

__all__ = ["app", "main"]
