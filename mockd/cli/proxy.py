"""`mockd proxy start` (a forward proxy that records, in the foreground) and `mockd proxy ca generate|export`
(operations reference §2.7). Recordings go to a session folder as they are made (the Go proxy's layout,
read by `mockd recordings` and `mockd start --replay`), redacted first.
"""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from typing import Annotated

import typer

from mockd.cli.client_commands import fail
from mockd.errors import MockdError

proxy_app = typer.Typer(
    name="proxy",
    help="Forward proxy that records traffic (HTTP, and HTTPS with a CA).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
ca_app = typer.Typer(
    name="ca", help="The proxy's certificate authority.", no_args_is_help=True, rich_markup_mode=None
)
proxy_app.add_typer(ca_app)

CaPath = Annotated[str, typer.Option("--ca-path", help="Folder of ca.crt and ca.key.")]


def _globs(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for item in values or [] for v in item.split(",") if v.strip())


@proxy_app.command("start")
def start(
    port: Annotated[int, typer.Option("-p", "--port", help="Port to listen on.")] = 8888,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    mode: Annotated[str, typer.Option("-m", "--mode", help="record or passthrough.")] = "record",
    session: Annotated[str, typer.Option("-s", "--session", help="Session name.")] = "default",
    recordings_dir: Annotated[
        Path | None,
        typer.Option(
            "--recordings-dir",
            show_default=False,
            help="Base folder of sessions (default ~/.local/share/mockd/recordings).",
        ),
    ] = None,
    ca_path: Annotated[
        str,
        typer.Option(
            "--ca-path",
            help="CA folder: enables HTTPS interception (created "
            "if missing). Without it, CONNECT is a blind tunnel.",
        ),
    ] = "",
    include: Annotated[
        list[str] | None, typer.Option("--include", help="Record only these path globs.")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Never record these path globs.")
    ] = None,
    include_hosts: Annotated[
        list[str] | None, typer.Option("--include-hosts", help="Record only these hosts.")
    ] = None,
    exclude_hosts: Annotated[
        list[str] | None, typer.Option("--exclude-hosts", help="Never record these hosts.")
    ] = None,
    redact_header: Annotated[
        list[str] | None,
        typer.Option(
            "--redact-header",
            show_default=False,
            help="Extra header to redact before storing (Authorization, cookies always).",
        ),
    ] = None,
    redact_field: Annotated[
        list[str] | None,
        typer.Option(
            "--redact-field",
            show_default=False,
            help="JSON member whose value is redacted before storing, at any depth.",
        ),
    ] = None,
) -> None:
    """Run the forward proxy until Ctrl+C, writing each recording to a session folder."""
    from mockd.proxy.ca import CertificateAuthority
    from mockd.proxy.filters import Filters
    from mockd.proxy.forward import ForwardProxy, ProxySettings
    from mockd.recording import disk
    from mockd.recording.redact import RedactionRules
    from mockd.recording.store import RecordingStore

    if mode not in ("record", "passthrough"):
        raise fail(f"invalid mode: {mode} (must be 'record' or 'passthrough')")
    try:
        ca = CertificateAuthority.ensure(Path(ca_path)) if ca_path else None
    except MockdError as exc:
        raise fail(str(exc)) from None
    base = recordings_dir.expanduser() if recordings_dir is not None else disk.default_base()
    filters = Filters(_globs(include), _globs(exclude), _globs(include_hosts), _globs(exclude_hosts))
    store = RecordingStore(RedactionRules.build(redact_header, redact_field), session)
    settings = ProxySettings(mode=mode, filters=filters)

    async def run() -> None:
        proxy = ForwardProxy(settings, store, ca, log=lambda line: typer.echo(line))
        try:
            bound = await proxy.start(host, port)
        except OSError as exc:
            raise fail(f"failed to listen on port {port}: {exc.strerror}") from None
        writer = disk.SessionWriter(base, session, port=bound, mode=mode)
        store.on_add = writer.add
        typer.echo(f"Proxy server running on http://localhost:{bound}")
        typer.echo(f"Mode: {mode}")
        typer.echo(f"Session: {writer.dir.name}")
        typer.echo(f"Recordings: {writer.dir}")
        if ca is not None:
            typer.echo(f"CA certificate: {ca.cert_path}")
        typer.echo("Press Ctrl+C to stop")
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await proxy.close()
        writer.close()
        typer.echo("Proxy stopped")
        typer.echo(f"Requests: {proxy.count}, recorded: {writer.meta['recordingCount']} in {writer.dir}")

    asyncio.run(run())


@ca_app.command("generate")
def ca_generate(ca_path: CaPath = "") -> None:
    """Generate a new CA (replacing any in the folder)."""
    from mockd.proxy.ca import CertificateAuthority, generate

    if not ca_path:
        raise fail("--ca-path is required")
    try:
        generate(Path(ca_path))
        info = CertificateAuthority(Path(ca_path)).info()
    except MockdError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"CA certificate generated: {info['path']}")
    typer.echo(f"Fingerprint: {info['fingerprint']}")
    typer.echo(f"Expires: {info['expiresAt']}")


@ca_app.command("export")
def ca_export(
    ca_path: CaPath = "",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default stdout).")
    ] = None,
) -> None:
    """Print the CA certificate (PEM) for clients to trust, or write it to a file."""
    if not ca_path:
        raise fail("--ca-path is required")
    cert = Path(ca_path) / "ca.crt"
    if not cert.is_file():
        raise fail(f"CA certificate not found: {cert}")
    pem = cert.read_bytes()
    if output is None:
        typer.echo(pem.decode(), nl=False)
    else:
        output.write_bytes(pem)
        output.chmod(0o644)
        typer.echo(f"CA certificate written to {output}", err=True)
