"""Client commands that talk to a running server's admin API: `mockd health` and `mockd verify …`.

They exist for shell-driven CI (reference §6, T1): `mockd health` as a readiness probe, and
`mockd verify check ID --exactly 1` as an assertion that exits 1 on failure. Output and exit codes follow
the Go CLI; `--json` prints the admin API's reply instead of prose.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from mockd.cli.client import DEFAULT_ADMIN_URL, AdminClient, AdminError, mock_path, parse_timestamp

AdminUrl = Annotated[
    str,
    typer.Option(
        "--admin-url",
        envvar="MOCKD_ADMIN_URL",
        help="Admin API base URL (default: the current context's). The key, when one is needed, comes from "
        "MOCKD_API_KEY, else the context's token (loopback callers need none).",
    ),
]
JsonOutput = Annotated[bool, typer.Option("--json", help="Print the result as JSON instead of text.")]
MockId = Annotated[str, typer.Argument(help="The mock's id.", show_default=False)]

verify_app = typer.Typer(
    name="verify",
    help="Verify mock call counts and inspect invocations (exit 1 when a check fails).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def fail(message: str) -> typer.Exit:
    """The message on stderr and exit code 1, as the Go CLI reports every client-side error."""
    typer.echo(message, err=True)
    return typer.Exit(code=1)


def print_json(value: Any, *, sort_keys: bool = True) -> None:
    """As Go's encoder with two-space indent: `<>&` escaped, UTF-8 kept, and map keys sorted (`sort_keys`
    False for what Go prints from a struct, in field order)."""
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    typer.echo(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _call(admin_url: str, what: str, method: str, path: str, body: dict | None = None,
          not_found: str | None = None) -> Any:  # fmt: skip
    try:
        return AdminClient.for_command(admin_url).call(method, path, body, not_found=not_found)
    except AdminError as exc:
        raise fail(f"{what}: {exc.explain()}") from None


def health(admin_url: AdminUrl = DEFAULT_ADMIN_URL, as_json: JsonOutput = False) -> None:
    """Check that the server's admin API is up: prints `healthy` (exit 0) or why not (exit 1)."""
    try:
        AdminClient.for_command(admin_url).call("GET", "/health")
    except AdminError as exc:
        if as_json:
            print_json({"status": "unhealthy", "adminUrl": admin_url, "error": exc.message}, sort_keys=False)
        else:
            typer.echo(f"unhealthy: {exc.explain()}", err=True)
        raise fail("server is not healthy") from None
    if as_json:
        print_json({"status": "healthy", "adminUrl": admin_url}, sort_keys=False)
    else:
        typer.echo("healthy")


@verify_app.command("status")
def status(mock_id: MockId, admin_url: AdminUrl = DEFAULT_ADMIN_URL, as_json: JsonOutput = False) -> None:
    """Show a mock's call count and when it was last called."""
    data = _call(admin_url, "failed to get verification status", "GET", mock_path(mock_id, "/verify"),
                 not_found=f"mock not found: {mock_id}")  # fmt: skip
    if as_json:
        print_json(data)
        return
    typer.echo(f"Mock: {mock_id}")
    typer.echo(f"  Call count: {_int(data.get('callCount'))}")
    last = data.get("lastCalledAt")
    if isinstance(last, str) and last:
        when = parse_timestamp(last)
        typer.echo(f"  Last called: {when.strftime('%Y-%m-%d %H:%M:%S') if when else last}")
    else:
        typer.echo("  Last called: never")


@verify_app.command("check")
def check(
    mock_id: MockId,
    exactly: Annotated[int | None, typer.Option("--exactly", help="Called exactly N times.")] = None,
    at_least: Annotated[int | None, typer.Option("--at-least", help="Called at least N times.")] = None,
    at_most: Annotated[int | None, typer.Option("--at-most", help="Called at most N times.")] = None,
    never: Annotated[bool, typer.Option("--never", help="Never called.")] = False,
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Assert a mock's call count: prints PASS (exit 0) or FAIL (exit 1), for CI scripts."""
    criteria: dict[str, Any] = {}
    if never:
        criteria["never"] = True
    for key, value in (("exactly", exactly), ("atLeast", at_least), ("atMost", at_most)):
        if value is not None:
            criteria[key] = value
    if not criteria:
        raise fail("at least one assertion flag is required (--exactly, --at-least, --at-most, --never)")
    data = _call(admin_url, "failed to verify mock", "POST", mock_path(mock_id, "/verify"), criteria,
                 not_found=f"mock not found: {mock_id}")  # fmt: skip
    passed = data.get("passed") is True
    if as_json:
        print_json(data)
    elif passed:
        typer.echo(f"PASS: {_text(data.get('message'))} (called {_int(data.get('actual'))} time(s))")
    else:
        typer.echo(f"FAIL: {_text(data.get('message'))}")
    if not passed:
        raise fail("verification failed")


@verify_app.command("invocations")
def invocations(
    mock_id: MockId, admin_url: AdminUrl = DEFAULT_ADMIN_URL, as_json: JsonOutput = False
) -> None:
    """List the requests a mock answered, newest first, with their bodies."""
    data = _call(admin_url, "failed to list invocations", "GET", mock_path(mock_id, "/invocations"),
                 not_found=f"mock not found: {mock_id}")  # fmt: skip
    if as_json:
        print_json(data)
        return
    count = _int(data.get("count"))
    typer.echo(f"Mock: {mock_id} ({count} invocation(s))\n")
    for i, inv in enumerate(data.get("invocations") or [], start=1):
        if not isinstance(inv, dict):
            continue
        ts = _text(inv.get("timestamp"))
        when = parse_timestamp(ts)
        shown = when.strftime("%H:%M:%S.") + f"{when.microsecond // 1000:03d}" if when else ts
        typer.echo(f"  [{i}] {shown} {_text(inv.get('method'))} {_text(inv.get('path'))} at {mock_id}")
        body = inv.get("body")
        if isinstance(body, str) and body:
            typer.echo(f"      Body: {body[:120] + '...' if len(body) > 120 else body}")
    if count == 0:
        typer.echo("  No invocations recorded.")


@verify_app.command("reset")
def reset(
    mock_id: Annotated[
        str | None, typer.Argument(help="Only this mock (default: all).", show_default=False)
    ] = None,
    all_mocks: Annotated[bool, typer.Option("--all", help="Clear verification data for every mock.")] = False,
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Clear call counts and invocation history (one mock, or all): use between tests."""
    if all_mocks or mock_id is None:
        _call(admin_url, "failed to reset verification", "DELETE", "/verify")
        if as_json:
            print_json({"message": "All verification data cleared"})
        else:
            typer.echo("All verification data cleared")
        return
    what, missing = f"failed to reset verification for {mock_id}", f"mock not found: {mock_id}"
    _call(admin_url, what, "DELETE", mock_path(mock_id, "/invocations"), not_found=missing)
    if as_json:
        print_json({"message": "Verification data cleared", "mockId": mock_id})
    else:
        typer.echo(f"Verification data cleared for mock: {mock_id}")


def _int(value: Any) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
