"""`mockd import`, `mockd export` and `mockd convert` (imports-exports §6), through `mockd.imports`.

`import` converts on this side, as the Go CLI does, and posts the result to the server's `POST /config`
(all or nothing there); `--dry-run` never contacts the server. `export` reads `GET /config` and writes it as
a mockd collection or OpenAPI. `convert` is offline: any importable file in, a mockd config (or OpenAPI
with `--to openapi`) out, so a spec can be checked into a repository as plain mocks.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml  # type: ignore[import-untyped]

from mockd.cli.client import DEFAULT_ADMIN_URL, AdminClient, AdminError
from mockd.cli.client_commands import AdminUrl, JsonOutput, fail, print_json
from mockd.cli.progress import Progress
from mockd.imports import Converted, ImportFailure, Source, convert_source
from mockd.imports.export import openapi_json, openapi_yaml, to_openapi
from mockd.imports.source import pretty

FormatOption = Annotated[
    str,
    typer.Option("-f", "--format", show_default=False,
                 help="Force the input format (mockd, openapi, postman, har, wiremock, curl, mockoon, "
                 "insomnia, wsdl) instead of detecting it."),
]  # fmt: skip


def _convert(source: str, fmt: str) -> tuple[Converted, str]:
    """(conversion, what to call the source): a file, a `curl ...` command, or stdin (`-` or nothing)."""
    if source.startswith("curl") and len(source) > 4 and not os.path.isfile(source):
        data, name, shown = source.encode(), "curl-command", source
    elif source in ("", "-"):
        if sys.stdin.isatty():
            raise fail("no input provided: pass a file, a curl command, or pipe the file on stdin")
        data, name, shown = sys.stdin.buffer.read(), "stdin", "stdin"
        if not data.strip():
            raise fail("stdin is empty — nothing to import")
    else:
        path = Path(source)
        if not path.is_file():
            raise fail(f"file not found: {source}")
        data, name, shown = path.read_bytes(), path.name, source
    progress = Progress(name)
    file = str(Path(source).resolve()) if name not in ("stdin", "curl-command") else ""
    try:
        converted = convert_source(Source(data, name, file, progress=progress), fmt=fmt)
    except ImportFailure as exc:
        raise fail(f"import failed: {exc.render()}") from None
    finally:
        progress.finish()
    for warning in converted.warnings:
        typer.echo(f"warning: {warning}", err=True)
    return converted, shown


def import_(
    source: Annotated[str, typer.Argument(
        help="File or directory to import, a quoted `curl ...` command, or `-` for stdin.",
        show_default=False)] = "-",
    fmt: FormatOption = "",
    replace: Annotated[bool, typer.Option("--replace", help="Remove the server's mocks first.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print what would be imported; contact no server.")] = False,
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:  # fmt: skip
    """Convert a file (OpenAPI, Swagger, Postman, HAR, WireMock, cURL, Mockoon, Insomnia, WSDL, mockd) and
    load its mocks into a running server."""
    if source not in ("", "-") and Path(source).is_dir():
        _import_directory(Path(source), admin_url, as_json)
        return
    converted, shown = _convert(source, fmt)
    if dry_run:
        if as_json:
            print_json({"count": len(converted.mocks), "dryRun": True, "format": converted.format,
                        "mocks": [_row(m) for m in converted.mocks]})  # fmt: skip
            return
        typer.echo(f"Parsed {len(converted.mocks)} mocks from {shown} (format: {converted.format})")
        typer.echo("\nDry run - mocks would be imported:")
        for m in converted.mocks:
            row = _row(m)
            typer.echo(
                f"  • {row['method'] or '???'} {row['path'] or '???'} ({row.get('name') or row.get('id')})"
            )
        return
    collection = {"version": "1.0", "mocks": converted.mocks}
    try:
        result = AdminClient.for_command(admin_url).call(
            "POST", "/config", {"replace": replace, "config": collection}
        )
    except AdminError as exc:
        raise fail(exc.explain()) from None
    if as_json:
        print_json({"format": converted.format, "imported": result.get("imported", 0), "replace": replace,
                    "total": result.get("total", 0)})  # fmt: skip
        return
    typer.echo(f"Parsed {len(converted.mocks)} mocks from {shown} (format: {converted.format})")
    typer.echo(f"Imported {result.get('imported', 0)} mocks to server")
    if replace:
        typer.echo(f"Total mocks: {result.get('total', 0)}")


def _import_directory(folder: Path, admin_url: str, as_json: bool) -> None:
    """Go's directory mode: every .json/.yaml/.yml below `folder`, each detected and posted on its own; a
    file that fails is listed and the others still load (exit 0)."""
    files = sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".json", ".yaml", ".yml")
    )
    if not files:
        raise fail(f"no .json, .yaml, or .yml files found in {folder}")
    client = AdminClient.for_command(admin_url)
    imported, errors = 0, []
    for path in files:
        try:
            converted = convert_source(Source(path.read_bytes(), path.name, str(path.resolve())))
            result = client.call("POST", "/config", {"replace": False, "config": {"mocks": converted.mocks}})
            imported += int(result.get("imported", 0))
        except ImportFailure as exc:
            errors.append((path, exc.render()))
        except AdminError as exc:
            if exc.code == "connection_error":
                raise fail(exc.explain()) from None
            errors.append((path, exc.message))
    if as_json:
        print_json({"errors": [f"{p}: {e}" for p, e in errors], "files": len(files), "imported": imported,
                    "source": str(folder)})  # fmt: skip
        return
    typer.echo(f"Imported {imported} mocks from {len(files)} files in {folder}")
    if errors:
        typer.echo(f"\n{len(errors)} files had errors:")
        for path, message in errors:
            typer.echo(f"  • {path}: {message}")


def _row(mock: dict[str, Any]) -> dict[str, Any]:
    matcher = (mock.get("http") or {}).get("matcher") or {}
    row = {k: mock[k] for k in ("id", "name") if mock.get(k)}
    return {
        **row,
        "method": matcher.get("method", ""),
        "path": matcher.get("path") or matcher.get("pathPattern", ""),
    }


def _write(doc: Any, output: Path | None, *, openapi: bool, yaml_out: bool) -> bytes:
    if openapi:
        return openapi_yaml(doc) if yaml_out else openapi_json(doc)
    if yaml_out:
        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True).encode()
    return (pretty(doc) + "\n").encode()


def export(
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write to this file (default stdout).")] = None,
    name: Annotated[str, typer.Option("-n", "--name", help="Collection name.")] = "exported-config",
    fmt: Annotated[str, typer.Option("-f", "--format", help="mockd (or json, yaml) or openapi.")] = "mockd",
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
) -> None:  # fmt: skip
    """Export a running server's mocks as a mockd config or an OpenAPI document (YAML on stdout; with -o,
    JSON unless the file ends in .yaml/.yml)."""
    kind = fmt.strip().lower()
    if kind not in ("mockd", "native", "json", "yaml", "yml", "openapi", "swagger", "oas"):
        raise fail(f"invalid format: {fmt}\nSupported formats: mockd, openapi")
    try:
        config = AdminClient.for_command(admin_url).call("GET", f"/config?name={name}")
    except AdminError as exc:
        raise fail(exc.explain()) from None
    openapi = kind in ("openapi", "swagger", "oas")
    doc = to_openapi(config.get("mocks") or [], name) if openapi else config
    if kind == "json":
        yaml_out = False
    elif kind in ("yaml", "yml"):
        yaml_out = True
    else:
        yaml_out = output is None or output.suffix.lower() in (".yaml", ".yml")
    data = _write(doc, output, openapi=openapi, yaml_out=yaml_out)
    if output is None:
        sys.stdout.buffer.write(data)
        return
    output.write_bytes(data)
    count = len(config.get("mocks") or [])
    typer.echo(f"Exported {count} mocks to {output} (format: {'openapi' if openapi else 'mockd'})")


def convert(
    source: Annotated[str, typer.Argument(
        help="File to convert (any importable format).", show_default=False)],
    output: Annotated[Path, typer.Argument(
        help="Where to write: .yaml/.yml for YAML, else JSON.", show_default=False)],
    fmt: FormatOption = "",
    to: Annotated[str, typer.Option(
        "--to", help="mockd (a config `mockd start -c` loads) or openapi.")] = "mockd",
) -> None:  # fmt: skip
    """Convert a file offline into a mockd config (or an OpenAPI document), without a server."""
    if to not in ("mockd", "openapi"):
        raise fail(f"invalid --to: {to} (expected mockd or openapi)")
    converted, shown = _convert(source, fmt)
    name = converted.name or Path(source).stem
    doc = (
        to_openapi(converted.mocks, name)
        if to == "openapi"
        else {"version": "1.0", "name": name, "mocks": converted.mocks}
    )
    yaml_out = output.suffix.lower() in (".yaml", ".yml")
    output.write_bytes(_write(doc, output, openapi=to == "openapi", yaml_out=yaml_out))
    typer.echo(
        f"Converted {len(converted.mocks)} mocks from {shown} (format: {converted.format}) to {output}"
    )
