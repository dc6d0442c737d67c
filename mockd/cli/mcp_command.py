"""`mockd mcp`: the MCP server on stdio for AI agents (reference §8.1), acting on a running server's
admin API.

Only flag parsing and logging set-up live here; the server is `mockd.mcp` (imported when the command
runs, so other commands never load the MCP SDK). Logs go to stderr: stdout carries the protocol.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Annotated

import typer

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING, "warning": logging.WARNING,
           "error": logging.ERROR}  # fmt: skip


def mcp(
    admin_url: Annotated[
        str | None,
        typer.Option(
            "--admin-url",
            show_default=False,
            help="Admin API to act on (used as given; no server is started).",
        ),
    ] = None,
    data_dir: Annotated[
        str | None,
        typer.Option(
            "--data-dir",
            show_default=False,
            help="Project data directory: use, or start, the project's server (ports 14280/14290).",
        ),
    ] = None,
    config: Annotated[
        str | None,
        typer.Option("--config", show_default=False, help="Config file for a server this command starts."),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option("--port", show_default=False, help="Mock port of a server this command starts."),
    ] = None,
    admin_port: Annotated[
        int | None,
        typer.Option("--admin-port", show_default=False, help="Admin port of a server this command starts."),
    ] = None,
    log_level: Annotated[
        str, typer.Option("--log-level", help="Log level on stderr: debug, info, warn, error.")
    ] = "warn",
) -> None:
    """Serve the Model Context Protocol on stdin/stdout (one JSON-RPC message per line) for AI agents.

    Without --admin-url, a mockd server is found (MOCKD_ADMIN_URL, the current context, localhost:4290) or
    started in the background."""
    level = _LEVELS.get(log_level.lower())
    if level is None:
        typer.echo(f"invalid --log-level {log_level!r}: expected one of debug, info, warn, error", err=True)
        raise typer.Exit(code=1)
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    import anyio

    from mockd.mcp.server import run_stdio
    from mockd.mcp.session import Session
    from mockd.mcp.target import resolve

    target = resolve(admin_url=admin_url, data_dir=data_dir, config=config, port=port, admin_port=admin_port)
    session = Session(
        target.admin_url, target.context_name, target.workspace, os.environ.get("MOCKD_API_KEY")
    )
    anyio.run(run_stdio, session, target.start_args)
