"""`mockd config`: the effective client/server settings and where each came from (operations reference,
core §6), as the Go tool prints them.

Layers, lowest first: defaults, the global file (`$XDG_CONFIG_HOME/mockd/config.yaml|yml`, else
`~/.config/...`), the local file (`./.mockdrc.yaml|yml`), then the MOCKD_* environment variables. A file
that does not parse is skipped with a warning on stderr, as there; a value out of range is reported, not
fatal.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

from mockd.cli.client_commands import JsonOutput, print_json
from mockd.cli.config_show import show

# key -> default, in the order of the Go tool's CLIConfig struct (which is also its JSON key order).
DEFAULTS: dict[str, Any] = {
    "port": 4280,
    "adminPort": 4290,
    "httpsPort": 0,
    "configFile": "",
    "readTimeout": 30,
    "writeTimeout": 30,
    "adminUrl": "http://localhost:4290",
    "maxLogEntries": 1000,
    "autoCert": True,
    "certFile": "",
    "keyFile": "",
    "verbose": False,
    "json": False,
}
_INTS = ("port", "adminPort", "httpsPort", "readTimeout", "writeTimeout", "maxLogEntries")
_BOOLS = ("autoCert", "verbose", "json")
_STRINGS = ("configFile", "adminUrl", "certFile", "keyFile")
_OMIT_EMPTY = ("configFile", "certFile", "keyFile")  # omitempty in the Go struct
_ENV = {
    "port": "MOCKD_PORT",
    "adminPort": "MOCKD_ADMIN_PORT",
    "adminUrl": "MOCKD_ADMIN_URL",
    "configFile": "MOCKD_CONFIG",
    "httpsPort": "MOCKD_HTTPS_PORT",
    "autoCert": "MOCKD_AUTO_CERT",
    "readTimeout": "MOCKD_READ_TIMEOUT",
    "writeTimeout": "MOCKD_WRITE_TIMEOUT",
    "maxLogEntries": "MOCKD_MAX_LOG_ENTRIES",
    "verbose": "MOCKD_VERBOSE",
}
_LABELS = {
    "default": "  (default)",
    "env": "  (env)",
    "global": "  (global config)",
    "local": "  (local config)",
}
# (label, key) printed in text mode, in the Go tool's order; configFile only when set.
_SHOWN = (
    ("port", "port"), ("adminPort", "adminPort"), ("adminUrl", "adminUrl"), ("httpsPort", "httpsPort"),
    ("configFile", "configFile"), ("readTimeout", "readTimeout"), ("writeTimeout", "writeTimeout"),
    ("maxLogEntries", "maxLogEntries"), ("autoGenerateCert", "autoCert"), ("verbose", "verbose"),
)  # fmt: skip


def global_paths() -> list[Path]:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return [Path(base) / "mockd" / name for name in ("config.yaml", "config.yml")]


def local_paths() -> list[Path]:
    return [Path.cwd() / name for name in (".mockdrc.yaml", ".mockdrc.yml")]


def _first(paths: list[Path]) -> Path | None:
    return next((p for p in paths if p.exists()), None)


def _read_file(path: Path) -> dict[str, Any] | None:
    """The file's recognised keys with values of the right type; None (with a warning) when it won't parse."""
    import yaml  # type: ignore[import-untyped]  # ships no type information

    try:
        data = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        typer.echo(f"Warning: failed to parse config file, skipping: {path}: {exc}", err=True)
        return None
    if not isinstance(data, dict):
        typer.echo(f"Warning: failed to parse config file, skipping: {path}: not a mapping", err=True)
        return None
    found: dict[str, Any] = {}
    for key, value in data.items():
        if key in _INTS and isinstance(value, int) and not isinstance(value, bool) and value != 0:
            found[key] = value  # Go merges only non-zero numbers
        elif key in _STRINGS and isinstance(value, str) and value:
            found[key] = value
        elif key in _BOOLS and isinstance(value, bool):
            found[key] = value  # an explicit false counts, as there
    return found


def _from_env() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, name in _ENV.items():
        value = os.environ.get(name, "")
        if not value:
            continue
        if key in _INTS:
            try:
                found[key] = int(value)
            except ValueError:
                continue  # not a number: ignored, as there
        elif key in _BOOLS:
            found[key] = value in ("true", "1", "yes")
        else:
            found[key] = value
    return found


def load() -> tuple[dict[str, Any], dict[str, str], Path | None, Path | None]:
    """Effective values, the source of each, and the global and local files that were read."""
    values = dict(DEFAULTS)
    sources = {key: "default" for key in DEFAULTS}
    global_file, local_file = _first(global_paths()), _first(local_paths())
    layers: list[tuple[str, dict[str, Any] | None]] = []
    if global_file is not None:
        layers.append(("global", _read_file(global_file)))
    if local_file is not None:
        layers.append(("local", _read_file(local_file)))
    layers.append(("env", _from_env()))
    for source, layer in layers:
        for key, value in (layer or {}).items():
            values[key], sources[key] = value, source
    problem = _out_of_range(values)
    if problem:
        typer.echo(f"Warning: config validation warning: {problem}", err=True)
    return values, sources, global_file, local_file


def _out_of_range(v: dict[str, Any]) -> str | None:
    for key in ("port", "adminPort", "httpsPort"):
        if not 0 <= v[key] <= 65535:
            return f"{key} {v[key]} is out of range (0-65535)"
    for key in ("readTimeout", "writeTimeout"):
        if not 0 <= v[key] <= 3600:
            return f"{key} {v[key]} is out of range (0-3600 seconds)"
    if not 0 <= v["maxLogEntries"] <= 100000:
        return f"maxLogEntries {v['maxLogEntries']} is out of range (0-100000)"
    if v["port"] and v["port"] == v["adminPort"]:
        return f"port and adminPort cannot be the same ({v['port']})"
    return None


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


config_app = typer.Typer(
    name="config",
    help="Show the effective configuration: each value with where it came from (default, file or MOCKD_* "
    "env). `config show` prints a project config with its variables expanded.",
    rich_markup_mode=None,
    invoke_without_command=True,
)
config_app.command("show")(show)


@config_app.callback(invoke_without_command=True)
def config(ctx: typer.Context, as_json: JsonOutput = False) -> None:
    """Show the effective configuration: each value with where it came from (default, file or MOCKD_* env)."""
    if ctx.invoked_subcommand is not None:
        return
    values, sources, global_file, local_file = load()
    if as_json:
        print_json({k: v for k, v in values.items() if k not in _OMIT_EMPTY or v}, sort_keys=False)
        return
    typer.echo("Effective Configuration:\n")
    for label, key in _SHOWN:
        if key == "configFile" and not values[key]:
            continue
        typer.echo(f"  {label + ':':<18} {_text(values[key])}{_LABELS[sources[key]]}")
    typer.echo()
    if global_file is None and local_file is None:
        typer.echo("Sources loaded: (none)")
    else:
        typer.echo("Sources loaded:")
        if global_file is not None:
            typer.echo(f"  • {global_file} (global)")
        if local_file is not None:
            typer.echo(f"  • {local_file} (local)")
    typer.echo("\nSearched:")
    for p in [*global_paths(), *local_paths()]:
        typer.echo(f"  {'✓' if p in (global_file, local_file) else '✗'} {p}")
