"""`mockd chaos enable|disable|status|profiles|apply` (the Go CLI's five), and `start`'s chaos flags.

The subcommands talk to a running server's `/chaos` admin routes; their text, `--json` output and error lines
follow the Go CLI (operations reference §1.10), including its quirks: `enable -p RE` sends a rule without
faults, which makes matching paths chaos-free, and `status` prints only the enabled line and the rules.
"""

from __future__ import annotations

import random
import urllib.parse
from typing import TYPE_CHECKING, Annotated, Any

import typer

from mockd.chaos.durations import parse_duration
from mockd.chaos.profiles import PROFILES, unknown_profile_message
from mockd.cli.client import DEFAULT_ADMIN_URL
from mockd.cli.client_commands import AdminUrl, JsonOutput, _call, fail, print_json

if TYPE_CHECKING:
    from mockd.chaos.spec import ChaosSpec
    from mockd.plan.model import CompiledPlan

chaos_app = typer.Typer(
    name="chaos",
    help="Manage chaos injection for fault testing.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def parse_latency_range(text: str) -> tuple[str, str]:
    """The Go CLI's `10ms-100ms` reading: split on `-`; one value is both ends; bare numbers get `ms`."""
    parts = text.split("-")
    if len(parts) == 2:
        return _normalise(parts[0]), _normalise(parts[1])
    value = _normalise(text)
    return value, value


def _normalise(text: str) -> str:
    text = text.strip()
    if not text or parse_duration(text) is not None:
        return text
    return text + "ms"


def _pct(value: Any, digits: int) -> str:
    return f"{float(value or 0) * 100:.{digits}f}%"


def start_chaos(
    plan: CompiledPlan, *, enabled: bool, latency: str | None, error_rate: float, profile: str | None,
    seed: int | None,
) -> int | None:  # fmt: skip
    """`start`'s chaos: the flags' config replaces the plan's (as in the Go tool), printing the Go CLI's
    lines; an unknown profile or a profile with other chaos flags exits 1. Returns the `--chaos-seed` to
    run with: when chaos is on and nothing seeds it, a fresh seed, printed so the run can be replayed."""
    flagged = _flag_chaos(enabled=enabled, latency=latency, error_rate=error_rate, profile=profile)
    if flagged is not None:
        plan["chaos"] = flagged
    spec = plan.get("chaos")
    if spec and spec["enabled"] and seed is None and spec.get("seed") is None:
        seed = random.SystemRandom().randrange(1, 2**31)
        typer.echo(f"Chaos seed: {seed} (replay this run's faults with --chaos-seed {seed})", err=True)
    return seed


def _flag_chaos(
    *, enabled: bool, latency: str | None, error_rate: float, profile: str | None
) -> ChaosSpec | None:
    """The chaos spec `start` flags ask for (None: none asked for, the config's applies)."""
    from mockd.chaos.model import ChaosConfigError, from_api, render_loc

    if profile is not None:
        if enabled or latency or error_rate:
            raise fail(
                "--chaos-profile cannot be combined with --chaos-enabled, --chaos-latency, or "
                "--chaos-error-rate"
            )
        if profile not in PROFILES:
            raise fail(unknown_profile_message(profile))
        config: dict[str, Any] = dict(PROFILES[profile]["config"])
        message = f'Chaos profile "{profile}" applied'
    elif enabled:  # --chaos-latency / --chaos-error-rate without --chaos-enabled are ignored, as in Go
        config = {"enabled": True}
        if latency:
            lo, hi = parse_latency_range(latency)
            config["latency"] = {"min": lo, "max": hi, "probability": 1.0}
        if error_rate > 0:
            config["errorRate"] = {"probability": error_rate, "defaultCode": 500}
        message = "Chaos injection enabled"
    else:
        return None
    try:
        spec = from_api(config)
    except ChaosConfigError as exc:
        p = exc.problems[0]
        raise fail(f"invalid chaos flags: {render_loc(p.loc)}: {p.message}") from None
    typer.echo(message)
    return spec


@chaos_app.command("enable")
def enable(
    latency: Annotated[
        str, typer.Option("--latency", "-l", help='Add random latency (e.g., "10ms-100ms").')
    ] = "",
    error_rate: Annotated[float, typer.Option("--error-rate", "-e", help="Error rate (0.0-1.0).")] = 0.0,
    error_code: Annotated[int, typer.Option("--error-code", help="HTTP error code to return.")] = 500,
    path: Annotated[
        str, typer.Option("--path", "-p", help="Path pattern (regex) for a rule; see docs/chaos.md.")
    ] = "",
    probability: Annotated[
        float, typer.Option("--probability", help="Probability of applying chaos (0.0-1.0).")
    ] = 1.0,
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Enable chaos injection with the given latency and/or error rate."""
    if not latency and error_rate <= 0:
        raise fail("at least --latency or --error-rate must be specified")
    config: dict[str, Any] = {"enabled": True}
    if latency:
        lo, hi = parse_latency_range(latency)
        config["latency"] = {"min": lo, "max": hi, "probability": probability}
    if error_rate > 0:
        config["errorRate"] = {"probability": error_rate, "defaultCode": error_code}
    if path:
        config["rules"] = [{"pathPattern": path, "probability": probability}]
    _call(admin_url, "failed to enable chaos", "PUT", "/chaos", config)
    if as_json:
        print_json({"config": config, "enabled": True})
        return
    typer.echo("Chaos injection enabled")
    if latency:
        typer.echo(f"  Latency: {latency}")
    if error_rate > 0:
        typer.echo(f"  Error rate: {_pct(error_rate, 1)} (HTTP {error_code})")
    if path:
        typer.echo(f"  Path pattern: {path}")


@chaos_app.command("disable")
def disable(admin_url: AdminUrl = DEFAULT_ADMIN_URL, as_json: JsonOutput = False) -> None:
    """Disable chaos injection (its statistics and fault state are dropped)."""
    _call(admin_url, "failed to disable chaos", "PUT", "/chaos", {"enabled": False})
    if as_json:
        print_json({"enabled": False})
    else:
        typer.echo("Chaos injection disabled")


@chaos_app.command("status")
def status(admin_url: AdminUrl = DEFAULT_ADMIN_URL, as_json: JsonOutput = False) -> None:
    """Show the chaos configuration in force."""
    config = _call(admin_url, "failed to get chaos status", "GET", "/chaos")
    if as_json:
        print_json(config)
        return
    if not isinstance(config, dict) or not config.get("enabled"):
        typer.echo("Chaos injection: disabled")
        return
    typer.echo("Chaos injection: enabled")
    rules = config.get("rules") or []
    if rules:
        typer.echo("  Rules:")
        for rule in rules:
            pattern, chance = rule.get("pathPattern", ""), _pct(rule.get("probability"), 0)
            typer.echo(f"    - {pattern} ({chance} probability)")


@chaos_app.command("profiles")
def profiles(admin_url: AdminUrl = DEFAULT_ADMIN_URL, as_json: JsonOutput = False) -> None:
    """List the built-in chaos profiles."""
    listed = _call(admin_url, "failed to list chaos profiles", "GET", "/chaos/profiles")
    if as_json:
        print_json(listed)
        return
    typer.echo("Available chaos profiles:")
    typer.echo("")
    for p in listed or []:
        typer.echo(f"  {p['name']:<15} {p['description']}")
    typer.echo("")
    typer.echo("Apply a profile with: mockd chaos apply <profile-name>")


@chaos_app.command("apply")
def apply(
    name: Annotated[
        str, typer.Argument(help="Profile name (see `mockd chaos profiles`).", show_default=False)
    ],
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Apply a named chaos profile."""
    quoted = urllib.parse.quote(name, safe="")
    profile = _call(admin_url, "failed to get chaos profile", "GET", f"/chaos/profiles/{quoted}")
    _call(admin_url, "failed to apply chaos profile", "POST", f"/chaos/profiles/{quoted}/apply")
    if as_json:
        print_json({"applied": True, "config": profile["config"], "profile": name})
        return
    typer.echo(f"Applied chaos profile: {name}")
    typer.echo(f"  {profile['description']}")
    typer.echo("")
    cfg = profile.get("config") or {}
    if isinstance(cfg.get("latency"), dict):
        typer.echo(f"  Latency: {cfg['latency'].get('min', '')} - {cfg['latency'].get('max', '')}")
    if isinstance(cfg.get("errorRate"), dict):
        er = cfg["errorRate"]
        typer.echo(f"  Error rate: {_pct(er.get('probability'), 0)}")
        if er.get("statusCodes"):
            typer.echo("  Error codes: " + ", ".join(str(int(c)) for c in er["statusCodes"]))
    if isinstance(cfg.get("bandwidth"), dict):
        bps = float(cfg["bandwidth"].get("bytesPerSecond") or 0)
        typer.echo(f"  Bandwidth: {bps / 1024:.0f} KB/s" if bps >= 1024 else f"  Bandwidth: {bps:.0f} B/s")
    typer.echo("")
    typer.echo("Disable with: mockd chaos disable")
