"""Typer application: `mockd start | serve | compile | validate | version`, `mockd stop` (by PID file), and
the admin-API clients `mockd health` and `mockd verify …` (in `client_commands`).

A translation layer only: parse flags, call `mockd.compiler` / `mockd.runtime`, turn `MockdError`s into lines
on stderr and exit code 1. No traceback reaches a user for anything they can fix.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mockd import __version__
from mockd.cli.chaos import chaos_app, start_chaos
from mockd.cli.client_commands import fail, health, verify_app
from mockd.cli.config_command import config_app
from mockd.cli.context_commands import context_app
from mockd.cli.detach import detach as run_detached
from mockd.cli.detach import is_child, take_ready_fd
from mockd.cli.doctor import doctor
from mockd.cli.init_command import init
from mockd.cli.logs import logs
from mockd.cli.mcp_command import mcp
from mockd.cli.mock_commands import add, delete, get, http_app, list_, list_of, update
from mockd.cli.portability import convert, export, import_
from mockd.cli.ports import ports
from mockd.cli.protocol_add import graphql_app, oauth_app, soap_app, websocket_app
from mockd.cli.proxy import proxy_app
from mockd.cli.recordings import recordings_app
from mockd.cli.stateful_commands import stateful_app
from mockd.cli.status import status
from mockd.cli.stop import stop
from mockd.cli.workspace import workspace_app
from mockd.compiler.errors import ConfigError, Diagnostic
from mockd.errors import MockdError
from mockd.plan.io import PlanError
from mockd.runtime import pidfile

if TYPE_CHECKING:
    from mockd.plan.model import CompiledPlan

app = typer.Typer(
    name="mockd",
    help="API mock server for integration and performance testing.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

ConfigFiles = Annotated[
    list[Path],
    typer.Argument(help="Mock collection files (JSON, or YAML by .yaml/.yml extension).", show_default=False),
]


def _fail(lines: list[str]) -> typer.Exit:
    return fail("\n".join(lines))


def _warn(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        typer.echo(d.render(), err=True)


def _config_failure(exc: ConfigError, *, prefix: str) -> typer.Exit:
    """Every diagnostic on its own line (file:line:col: field: message), then one summary line."""
    errors = [d for d in exc.diagnostics if d.severity == "error"]
    lines = [d.render() for d in exc.diagnostics]
    noun = "error" if len(errors) == 1 else "errors"
    lines.append(f"{prefix}: {len(errors)} {noun}")
    return _fail(lines)


def _compile_sources(*, config: list[Path], plan: Path | None, prefix: str) -> CompiledPlan:
    """Shared by `start`, `compile` and `validate`: a CompiledPlan from config files or a plan file.

    The compiler (pydantic, PyYAML) is imported only when there are configs to compile: a `--plan` start
    does without it.
    """
    try:
        if plan is not None:
            from mockd.plan.io import read_plan

            return read_plan(plan)
        from mockd.compiler import compile_files

        result = compile_files(config)
    except ConfigError as exc:
        raise _config_failure(exc, prefix=prefix) from None
    except PlanError as exc:
        raise _fail([str(exc)]) from None
    _warn(result.warnings)
    return result.plan


@app.command()
def start(
    config: Annotated[
        list[Path] | None,
        typer.Option(
            "--config",
            "-c",
            envvar="MOCKD_CONFIG",
            show_default=False,
            help="Config file to load before the ports open (JSON or YAML). Repeat to merge several.",
        ),
    ] = None,
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            envvar="MOCKD_PLAN",
            show_default=False,
            help="Plan written by `mockd compile`: starts without re-parsing or re-validating the sources.",
        ),
    ] = None,
    port: Annotated[
        int, typer.Option("--port", "-p", envvar="MOCKD_PORT", help="Port the mocks are served on.")
    ] = 4280,
    admin_port: Annotated[
        int,
        typer.Option("--admin-port", "-a", envvar="MOCKD_ADMIN_PORT", help="Port of the admin API."),
    ] = 4290,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            envvar="MOCKD_HOST",
            help="Interface to bind both ports to. The default (all interfaces) is what a container needs; "
            "use 127.0.0.1 to keep the server private to this machine.",
        ),
    ] = "0.0.0.0",
    no_auth: Annotated[
        bool,
        typer.Option(
            "--no-auth",
            envvar="MOCKD_NO_AUTH",
            help="Disable admin API keys. Needed when tests reach the admin port from another container.",
        ),
    ] = False,
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key",
            envvar="MOCKD_API_KEY",
            show_default=False,
            help="Admin API key for non-loopback callers (default: a new key per run, printed to stderr).",
        ),
    ] = None,
    max_log_entries: Annotated[
        int,
        typer.Option(
            "--max-log-entries",
            envvar="MOCKD_MAX_LOG_ENTRIES",
            min=0,
            help="Request-log capacity in entries. Verification counts are exact regardless.",
        ),
    ] = 1000,
    max_log_bytes: Annotated[
        int,
        typer.Option(
            "--max-log-bytes",
            envvar="MOCKD_MAX_LOG_BYTES",
            min=0,
            help="Request-log capacity in bytes (bodies, paths, queries plus a fixed charge per entry).",
        ),
    ] = 64 * 1024 * 1024,
    log_body_cap: Annotated[
        int,
        typer.Option(
            "--log-body-cap",
            envvar="MOCKD_LOG_BODY_CAP",
            min=0,
            help="Bytes of each request body kept in the log; longer bodies are kept truncated.",
        ),
    ] = 64 * 1024,
    admin_rate_limit: Annotated[
        float,
        typer.Option(
            "--admin-rate-limit",
            envvar="MOCKD_ADMIN_RATE_LIMIT",
            min=0,
            help="Per-IP admin API limit in requests/second (burst twice that) for non-loopback callers, "
            "like the Go tool's 100/s. 0 (the default) turns it off so no test suite is ever slowed down.",
        ),
    ] = 0,
    body_file_root: Annotated[
        str | None,
        typer.Option(
            "--body-file-root",
            envvar="MOCKD_BODY_FILE_ROOT",
            show_default=False,
            help="Folder that bodyFiles of mocks created over the admin API must lie in (relative ones "
            "resolve against it). Default: the first config file's folder, else the working directory.",
        ),
    ] = None,
    max_body_file_bytes: Annotated[
        int,
        typer.Option(
            "--max-body-file-bytes",
            envvar="MOCKD_MAX_BODY_FILE_BYTES",
            min=0,
            help="Largest bodyFile served; a bigger one answers 502 body_file_error (default 10 MiB).",
        ),
    ] = 10 * 1024 * 1024,
    cors_origins: Annotated[
        str | None,
        typer.Option(
            "--cors-origins",
            envvar="MOCKD_CORS_ORIGINS",
            show_default=False,
            help="Origins a browser may call the mock port from (comma-separated, or '*'). Default: "
            "localhost/127.0.0.1 on any port.",
        ),
    ] = None,
    task_impl: Annotated[
        str,
        typer.Option(
            "--task-impl",
            envvar="MOCKD_TASK_IMPL",
            help="Granian task implementation for the mock port: rust (faster: no asyncio Task per "
            "request; Python 3.11 only, elsewhere asyncio is used) or asyncio.",
        ),
    ] = "rust",
    pid_file: Annotated[
        str,
        typer.Option(
            "--pid-file",
            envvar="MOCKD_PID_FILE",
            help="PID file written once both ports listen, for `mockd stop`; removed on exit. '' for none.",
        ),
    ] = pidfile.DEFAULT_PATH,
    read_timeout: Annotated[
        int,
        typer.Option(
            "--read-timeout",
            envvar="MOCKD_READ_TIMEOUT",
            min=1,
            help="Seconds a connection may take to send its request headers, or stay idle between "
            "requests, before it is closed (both ports). Frees connections that never send anything.",
        ),
    ] = 30,
    log_level: Annotated[
        str,
        typer.Option(
            "--log-level", envvar="MOCKD_LOG_LEVEL", help="Operational log level: debug, info, warn, error."
        ),
    ] = "info",
    chaos_enabled: Annotated[
        bool,
        typer.Option(
            "--chaos-enabled",
            envvar="MOCKD_CHAOS_ENABLED",
            help="Inject faults from --chaos-latency/--chaos-error-rate (replaces the config's chaos).",
        ),
    ] = False,
    chaos_latency: Annotated[
        str | None,
        typer.Option(
            "--chaos-latency",
            envvar="MOCKD_CHAOS_LATENCY",
            show_default=False,
            help='Latency range for every request, e.g. "10ms-100ms" (needs --chaos-enabled).',
        ),
    ] = None,
    chaos_error_rate: Annotated[
        float,
        typer.Option(
            "--chaos-error-rate",
            envvar="MOCKD_CHAOS_ERROR_RATE",
            help="Share of requests answered 500, 0.0-1.0 (needs --chaos-enabled).",
        ),
    ] = 0.0,
    chaos_profile: Annotated[
        str | None,
        typer.Option(
            "--chaos-profile",
            envvar="MOCKD_CHAOS_PROFILE",
            show_default=False,
            help="Start with a built-in chaos profile (`mockd chaos profiles` lists them).",
        ),
    ] = None,
    chaos_seed: Annotated[
        int | None,
        typer.Option(
            "--chaos-seed",
            envvar="MOCKD_CHAOS_SEED",
            show_default=False,
            help="Seed chaos fault selection so a failing CI run can be replayed: the same request "
            "sequence gets the same faults.",
        ),
    ] = None,
    https_port: Annotated[
        int,
        typer.Option(
            "--https-port",
            envvar="MOCKD_HTTPS_PORT",
            min=0,
            help="Also serve the mocks over HTTPS on this port (0: off). Without --tls-cert/--tls-key, a "
            "self-signed certificate for localhost is made for this run.",
        ),
    ] = 0,
    tls_cert: Annotated[
        str | None,
        typer.Option("--tls-cert", show_default=False, help="PEM certificate (chain) for --https-port."),
    ] = None,
    tls_key: Annotated[
        str | None, typer.Option("--tls-key", show_default=False, help="PEM private key for --tls-cert.")
    ] = None,
    tls_auto: Annotated[
        bool, typer.Option("--tls-auto", help="Use a self-signed certificate even if files are given.")
    ] = False,
    auto_cert: Annotated[
        bool,
        typer.Option(
            "--auto-cert/--no-auto-cert",
            envvar="MOCKD_AUTO_CERT",
            help="Make a self-signed certificate when no files are given (--auto-cert=false also works).",
        ),
    ] = True,
    mtls_enabled: Annotated[
        bool, typer.Option("--mtls-enabled", help="Require client certificates on --https-port.")
    ] = False,
    mtls_client_auth: Annotated[
        str,
        typer.Option(
            "--mtls-client-auth", help="Client certificate policy: require-and-verify (supported) or none."
        ),
    ] = "require-and-verify",
    mtls_ca: Annotated[
        str | None,
        typer.Option(
            "--mtls-ca", show_default=False, help="PEM CA that client certificates must be signed by."
        ),
    ] = None,
    mtls_allowed_cns: Annotated[
        str | None,
        typer.Option(
            "--mtls-allowed-cns",
            show_default=False,
            help="Not supported: Granian does not expose the client certificate (use a CA of their own).",
        ),
    ] = None,
    upstream: Annotated[
        str | None,
        typer.Option(
            "--upstream",
            envvar="MOCKD_UPSTREAM",
            show_default=False,
            help="Forward requests no mock matches to this base URL (e.g. http://localhost:8080) and relay "
            "its answer: mock a few endpoints, pass the rest through.",
        ),
    ] = None,
    upstream_connect_timeout: Annotated[
        float,
        typer.Option(
            "--upstream-connect-timeout",
            envvar="MOCKD_UPSTREAM_CONNECT_TIMEOUT",
            min=0.001,
            help="Seconds to connect to --upstream before answering 502 upstream_unreachable.",
        ),
    ] = 2.0,
    upstream_read_timeout: Annotated[
        float,
        typer.Option(
            "--upstream-read-timeout",
            envvar="MOCKD_UPSTREAM_READ_TIMEOUT",
            min=0.001,
            help="Seconds --upstream may stay silent (before its answer, or between body chunks) before "
            "the request answers 504 upstream_timeout.",
        ),
    ] = 30.0,
    record: Annotated[
        bool,
        typer.Option(
            "--record",
            envvar="MOCKD_RECORD",
            help="Record what --upstream (requests no mock matched) and passthrough mocks answered: "
            "GET /recordings lists them, POST /recordings/convert turns them into mocks.",
        ),
    ] = False,
    redact_header: Annotated[
        list[str] | None,
        typer.Option(
            "--redact-header",
            show_default=False,
            help="Header whose value is replaced by [REDACTED] before a recording is kept (repeatable, or "
            "comma-separated), besides Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key.",
        ),
    ] = None,
    redact_field: Annotated[
        list[str] | None,
        typer.Option(
            "--redact-field",
            show_default=False,
            help="JSON member whose value is replaced by [REDACTED] at any depth of recorded bodies "
            "(repeatable, or comma-separated), e.g. password,token.",
        ),
    ] = None,
    record_dir: Annotated[
        str | None,
        typer.Option(
            "--record-dir",
            envvar="MOCKD_RECORD_DIR",
            show_default=False,
            help="With --record, also write each recording to a session folder under this directory (the "
            "Go proxy's layout, read by `mockd recordings`); '' for the default "
            "(~/.local/share/mockd/recordings).",
        ),
    ] = None,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            envvar="MOCKD_WATCH",
            help="Re-read the --config files when they change and swap the new mocks and tables in at once; "
            "a file that fails validation keeps the running set and prints why.",
        ),
    ] = False,
    replay: Annotated[
        str | None,
        typer.Option(
            "--replay",
            envvar="MOCKD_REPLAY",
            show_default=False,
            help="Answer unmatched requests from recordings (a session folder or an export file), in the "
            "order they were recorded; with --upstream --record, only what they cannot answer is forwarded "
            "and recorded.",
        ),
    ] = None,
    data_dir: Annotated[
        str | None,
        typer.Option(
            "--data-dir",
            envvar="MOCKD_DATA_DIR",
            show_default=False,
            help="Keep mocks and stateful data changed at run time in this folder across restarts "
            "('default': the Go tool's $XDG_DATA_HOME/mockd). Without it nothing persists. One server per "
            "folder.",
        ),
    ] = None,
    mcp: Annotated[
        bool,
        typer.Option(
            "--mcp", help="Also serve the MCP server for AI agents over HTTP at /mcp (see `mockd mcp`)."
        ),
    ] = False,
    mcp_port: Annotated[int, typer.Option("--mcp-port", help="Port of the --mcp server.")] = 9091,
    mcp_allow_remote: Annotated[
        bool,
        typer.Option(
            "--mcp-allow-remote", help="Let --mcp listen on every interface (default: 127.0.0.1 only)."
        ),
    ] = False,
    workers: Annotated[
        str,
        typer.Option(
            "--workers",
            envvar="MOCKD_WORKERS",
            help="Processes serving the mock port (a number, or auto: the usable cores). The admin port "
            "and all state stay in the main process; counts, logs and stateful data stay exact "
            "(docs/workers.md).",
        ),
    ] = "1",
    shared_state: Annotated[
        str | None,
        typer.Option(
            "--shared-state",
            envvar="MOCKD_SHARED_STATE",
            show_default=False,
            help="Share mocks, chaos settings, counts and the request log with other mockd replicas through "
            "this Redis or Valkey (redis://host:port[/db]); an admin call on any replica acts on all "
            "(docs/shared-state.md).",
        ),
    ] = None,
    detach: Annotated[
        bool,
        typer.Option(
            "--detach",
            "-d",
            help="Run in the background: returns once both ports listen (exit 1 with the reason if the "
            "server fails to start); output goes to ~/.mockd/daemon.log. Stop it with `mockd stop`.",
        ),
    ] = False,
) -> None:
    """Start the mock server (port 4280) and the admin API (port 4290), in the foreground unless -d."""
    from mockd.runtime.journal import JournalLimits
    from mockd.runtime.options import ServerOptions
    from mockd.runtime.server import serve

    _configure_logging(log_level)
    if task_impl not in ("asyncio", "rust"):
        raise _fail([f"invalid --task-impl {task_impl!r}: expected asyncio or rust"])
    from mockd.runtime.workers import parse_workers

    try:
        worker_count = parse_workers(workers)
    except ValueError as exc:
        raise _fail([str(exc)]) from None
    if worker_count > 1:
        _check_worker_flags(https_port=https_port, upstream=upstream, replay=replay)
    if shared_state is not None:
        _check_shared_state(shared_state, workers=worker_count, data_dir=data_dir)
    if config and plan is not None:
        raise _fail(["--config and --plan cannot be used together: a plan already contains its configs"])
    if watch and not config:
        raise _fail(["--watch needs --config: it re-reads the config files when they change"])
    pid_path = Path(pid_file).expanduser() if pid_file else None
    if detach and not is_child():
        # The parent only starts the child: the child loads the config and reports its own errors.
        if not no_auth and not api_key:
            api_key = _announce_new_key()
        raise run_detached(port=port, admin_port=admin_port, api_key=api_key, pid_file=pid_path)
    if config or plan is not None:
        compiled = _compile_sources(config=config or [], plan=plan, prefix="failed to load config file")
    else:
        from mockd.plan import empty_plan

        compiled = empty_plan()
    chaos_seed = start_chaos(
        compiled, enabled=chaos_enabled, latency=chaos_latency, error_rate=chaos_error_rate,
        profile=chaos_profile, seed=chaos_seed,
    )  # fmt: skip
    from mockd.tls.certs import TLSSetupError
    from mockd.tls.settings import resolve as resolve_tls

    try:
        tls = resolve_tls(
            https_port=https_port, tls_cert=tls_cert, tls_key=tls_key, tls_auto=tls_auto, auto_cert=auto_cert,
            mtls_enabled=mtls_enabled, mtls_client_auth=mtls_client_auth, mtls_ca=mtls_ca,
            mtls_allowed_cns=mtls_allowed_cns,
        )  # fmt: skip
    except TLSSetupError as exc:
        raise _fail([str(exc)]) from None
    if not no_auth and not api_key:
        api_key = _announce_new_key()
    options = ServerOptions(
        host=host,
        port=port,
        admin_port=admin_port,
        no_auth=no_auth,
        api_key=api_key,
        log_level=log_level,
        cors_origins=cors_origins,
        task_impl=task_impl,
        journal=JournalLimits(max_log_entries, max_log_bytes, log_body_cap),
        admin_rate_limit=admin_rate_limit,
        body_file_root=body_file_root,
        max_body_file_bytes=max_body_file_bytes,
        pid_file=pid_path,
        config_file=str(config[0]) if config else str(plan or ""),
        read_timeout=read_timeout,
        chaos_seed=chaos_seed,
        tls=tls,
        upstream=upstream,
        upstream_connect_timeout=upstream_connect_timeout,
        upstream_read_timeout=upstream_read_timeout,
        record=record,
        redact_headers=tuple(redact_header or ()),
        redact_fields=tuple(redact_field or ()),
        record_dir=record_dir,
        replay=replay,
        ready_fd=take_ready_fd() if detach else None,
        shared_state=shared_state,
    )
    if record_dir is not None and not record:
        raise _fail(["--record-dir needs --record"])
    if upstream is not None:
        from mockd.proxy.upstream import check_url

        try:
            check_url(upstream)
        except MockdError as exc:
            raise _fail([str(exc)]) from None
    data = None
    if data_dir:
        from mockd.cli.datadir import merge, open_data_dir

        try:
            data = open_data_dir(data_dir)
        except MockdError as exc:
            raise _fail([str(exc)]) from None
        merge(compiled, data.snapshot)
        options = dataclasses.replace(options, data_dir=data.path)
    background = []
    if mcp:
        background.append(_mcp_job(mcp_port, mcp_allow_remote, admin_port, api_key))
    if watch and config:
        from mockd.cli.watch import config_watcher

        background.append(config_watcher(config))
    try:
        if worker_count > 1:
            from mockd.runtime.workers.serve import serve_workers

            code = serve_workers(compiled, options, worker_count, data=data, background=background)
        else:
            code = serve(compiled, options, data=data, background=background)
    except MockdError as exc:
        raise _fail([str(exc)]) from None
    raise typer.Exit(code=code)


def _mcp_job(
    port: int, allow_remote: bool, admin_port: int, api_key: str | None
) -> Callable[[Any], Awaitable[None]]:
    """`--mcp`: bind the MCP port now (a taken one stops start-up before anything is served)."""
    from mockd.mcp.http import background_job, bind

    try:
        sock = bind(port, allow_remote=allow_remote)
    except OSError as exc:
        raise _fail([f"failed to start MCP server on port {port}: {exc.strerror or exc}"]) from None
    return background_job(sock, f"http://127.0.0.1:{admin_port}", api_key)


def _check_worker_flags(*, https_port: int, upstream: str | None, replay: str | None) -> None:
    """Flags `--workers N` does not serve yet (docs/workers.md): refused, never silently half-served."""
    for given, flag in ((https_port, "--https-port"), (upstream, "--upstream"), (replay, "--replay")):
        if given:
            raise _fail(
                [f"{flag} cannot be used with --workers above 1 yet: use one worker (docs/workers.md)"]
            )


def _check_shared_state(url: str, *, workers: int, data_dir: str | None) -> None:
    """`--shared-state` takes a redis:// URL, and is refused with the flags it does not combine with yet."""
    if not url.startswith(("redis://", "rediss://")):
        raise _fail([f"--shared-state {url!r}: expected redis://host:port[/db] (or rediss:// for TLS)"])
    if workers > 1:
        raise _fail(
            ["--shared-state cannot be used with --workers above 1 yet: run more replicas instead "
             "(docs/shared-state.md)"]
        )  # fmt: skip
    if data_dir:
        raise _fail(
            ["--shared-state cannot be used with --data-dir: the store keeps the state "
             "(docs/shared-state.md)"]
        )  # fmt: skip


def _announce_new_key() -> str:
    """A new admin key for this run, printed to stderr (remote callers need it; loopback ones do not)."""
    from mockd.runtime.admin.security import generate_api_key

    key = generate_api_key()
    typer.echo(f"Admin API key: {key}", err=True)
    typer.echo(
        "  Loopback callers need no key. Set MOCKD_API_KEY or use --no-auth for remote callers.", err=True
    )
    return key


@app.command("compile")
def compile_(
    files: ConfigFiles,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Plan file to write (loaded by `mockd start --plan`). Required unless --explain is given.",
            show_default=False,
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Print the matcher's indexes as trees: which list each route sits in, with its score.",
        ),
    ] = False,
) -> None:
    """Validate config files and compile them into a plan that starts without re-parsing."""
    from mockd.plan.io import write_plan

    if output is None and not explain:
        missing = "mockd compile: missing --output/-o FILE (or --explain to only print the matcher layout)"
        raise _fail([missing])
    plan = _compile_sources(config=files, plan=None, prefix="compile failed")
    if explain:
        from mockd.compiler.explain import explain as explain_plan

        for line in explain_plan(plan):
            typer.echo(line)
    if output is None:
        return
    try:
        write_plan(plan, output)
    except OSError as exc:
        raise _fail([f"cannot write plan {output}: {exc.strerror or exc}"]) from None
    mocks = len(plan["mocks"])
    resources = len(plan["resources"])
    typer.echo(f"compiled {mocks} mocks and {resources} stateful resources into {output}")


@app.command()
def validate(files: ConfigFiles) -> None:
    """Check config files (every error at once, with file:line:column) without writing anything."""
    plan = _compile_sources(config=files, plan=None, prefix="validation failed")
    mocks = len(plan["mocks"])
    resources = len(plan["resources"])
    typer.echo(f"valid: {mocks} mocks and {resources} stateful resources")


@app.command()
def schema() -> None:
    """Print the JSON Schema of config files, for editors (`# yaml-language-server: $schema=FILE`)."""
    from mockd.schema import render  # only this command pays for building it

    typer.echo(render(), nl=False)


@app.command()
def version() -> None:
    """Print the mockd version."""
    typer.echo(f"mockd {__version__}")


# The Go tool's `serve` is `start` plus persistence and cloud options; with a config it keeps mocks in memory,
# which is all this server does, so scripts written for `mockd serve --config …` get the same server.
_SERVE_HELP = "Same as `start`: the Go tool's full-featured server, which here is the only one."
app.command("serve", help=_SERVE_HELP)(start)
app.command()(stop)
app.command()(status)
app.command()(add)
for _kind, _group in (("http", http_app), ("websocket", websocket_app), ("graphql", graphql_app),
                      ("soap", soap_app), ("oauth", oauth_app)):  # fmt: skip
    # The Go CLI's per-protocol aliases: `mockd graphql list|get|delete`.
    _group.command("list")(list_of(_kind))
    _group.command("get")(get)
    _group.command("delete")(delete)
    app.add_typer(_group)
app.command("list")(list_)
app.command()(get)
app.command()(update)
app.command()(logs)
app.command()(ports)
app.command()(doctor)
app.command()(init)
app.add_typer(config_app)
app.add_typer(stateful_app)
app.add_typer(workspace_app)
app.add_typer(context_app)
app.command()(delete)
app.command("remove", hidden=True, help="Alias of delete.")(delete)
app.command("rm", hidden=True, help="Alias of delete.")(delete)
app.command()(health)
app.add_typer(verify_app)
app.add_typer(chaos_app)
app.command("import")(import_)
app.command()(export)
app.command()(convert)
app.add_typer(recordings_app)
app.add_typer(proxy_app)
app.command()(mcp)


def _configure_logging(level: str) -> None:
    levels = {
        "debug": logging.DEBUG,
        "info": logging.INFO,
        "warn": logging.WARNING,
        "warning": logging.WARNING,
        "error": logging.ERROR,
    }
    if level.lower() not in levels:
        raise _fail([f"invalid --log-level {level!r}: expected one of debug, info, warn, error"])
    logging.basicConfig(
        level=levels[level.lower()],
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Granian's own loggers announce the experimental embedded mode at startup; keep them to real problems.
    logging.getLogger("_granian").setLevel(logging.ERROR)
    logging.getLogger("granian").setLevel(logging.ERROR)


def main() -> None:
    """Entry point. Anything not anticipated is a bug: one line and a way to get details, no traceback."""
    try:
        app(prog_name="mockd")  # also when run as `python -m mockd`
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("MOCKD_DEBUG"):
            raise
        typer.echo(f"mockd: internal error: {type(exc).__name__}: {exc}", err=True)
        typer.echo(
            "  This is a bug in mockd. Re-run with MOCKD_DEBUG=1 for the traceback and report it.", err=True
        )
        sys.exit(70)
