"""`mockd stateful add|list|reset|delete|items`: a running server's stateful tables from a shell
(operations reference §4.8). Output, messages and exit codes follow the Go CLI."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path
from typing import Annotated, Any

import typer

from mockd.cli import table
from mockd.cli.client import DEFAULT_ADMIN_URL, AdminClient, AdminError
from mockd.cli.client_commands import AdminUrl, JsonOutput, fail, print_json

stateful_app = typer.Typer(name="stateful", help="Manage stateful resources (tables) of a running server.",
                           no_args_is_help=True, rich_markup_mode=None)  # fmt: skip

Name = Annotated[str, typer.Argument(help="The resource (table) name.", show_default=False)]
Limit = Annotated[int, typer.Option("--limit", help="Most items to show.")]
Offset = Annotated[int, typer.Option("--offset", help="Skip this many items.")]
Sort = Annotated[str, typer.Option("--sort", help="Sort field.")]
Order = Annotated[str, typer.Option("--order", help="Sort order (asc or desc).")]


def _resource_path(name: str, suffix: str = "") -> str:
    return "/state/resources/" + urllib.parse.quote(name, safe="") + suffix


def _call(
    admin_url: str, method: str, path: str, body: dict | None = None, *, missing: str | None = None
) -> Any:
    try:
        return AdminClient.for_command(admin_url).call(method, path, body)
    except AdminError as exc:
        if exc.status == 404 and missing is not None:
            raise fail(f"stateful resource not found: {missing}") from None
        if exc.status == 409 and body is not None:
            raise fail(f"resource already exists: {body.get('name', '')}") from None
        raise fail(exc.explain()) from None


@stateful_app.command("add")
def add(
    name: Name,
    path: Annotated[
        str, typer.Option("--path", help="Accepted for compatibility; no routes are created.")
    ] = "",
    id_field: Annotated[str, typer.Option("--id-field", help="ID field name (default: id).")] = "",
    id_strategy: Annotated[
        str, typer.Option("--id-strategy", help="uuid, prefix, ulid, sequence or short.")
    ] = "",
    id_prefix: Annotated[
        str, typer.Option("--id-prefix", help="Prefix of generated IDs (prefix strategy).")
    ] = "",
    seed_data: Annotated[str, typer.Option("--seed-data", help="Seed items: a JSON array, or @file.")] = "",
    max_items: Annotated[int, typer.Option("--max-items", help="Most items (0: no limit).")] = 0,
    parent_field: Annotated[
        str, typer.Option("--parent-field", help="Foreign key of nested resources.")
    ] = "",
    response_file: Annotated[str, typer.Option("--response-file", help="JSON/YAML response transform.")] = "",
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Create a stateful resource on the running server."""
    if not name.strip():
        raise fail("resource name cannot be empty")
    cfg: dict[str, Any] = {"name": name}
    for key, value in (("idField", id_field), ("idStrategy", id_strategy), ("idPrefix", id_prefix),
                       ("parentField", parent_field)):  # fmt: skip
        if value:
            cfg[key] = value
    if max_items:
        cfg["maxItems"] = max_items
    if seed_data:
        cfg["seedData"] = _seed(seed_data)
    if response_file:
        cfg["response"] = _response_file(response_file)
    _call(admin_url, "POST", "/state/resources", cfg)
    if as_json:
        out: dict[str, Any] = {"resource": name}
        if id_field:
            out["idField"] = id_field
        out["action"] = "created"
        print_json(out, sort_keys=False)
        return
    typer.echo(f"Created stateful resource: {name}")
    typer.echo("  Access via: extend bindings or protocol integrations (SOAP, GraphQL, gRPC)")
    if id_field:
        typer.echo(f"  ID field: {id_field}")


def _seed(text: str) -> Any:
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text()
        except OSError as exc:
            raise fail(f"invalid --seed-data: reading seed file: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise fail(f"invalid --seed-data: invalid JSON: {exc}") from None
    if not isinstance(data, list):
        raise fail("invalid --seed-data: must be a JSON array of objects")
    return data


def _response_file(path: str) -> Any:
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise fail(f"invalid --response-file: {exc.strerror or exc}") from None
    try:
        import yaml  # type: ignore[import-untyped]  # ships no type information

        return yaml.safe_load(text) if path.endswith((".yaml", ".yml")) else json.loads(text)
    except Exception as exc:
        raise fail(f"invalid --response-file: {exc}") from None


@stateful_app.command("list")
def list_(
    limit: Limit = 100, offset: Offset = 0, sort: Sort = "", order: Order = "",
    admin_url: AdminUrl = DEFAULT_ADMIN_URL, as_json: JsonOutput = False,
) -> None:  # fmt: skip
    """List stateful resources with their item and seed counts."""
    overview = _call(admin_url, "GET", "/state") or {}
    resources = overview.get("resources") or []
    if not overview.get("total"):
        if as_json:
            print_json({"resources": [], "total": 0}, sort_keys=False)
        else:
            typer.echo("No stateful resources configured.")
            typer.echo("\nCreate one with: mockd stateful add <name> [--path /api/<name>]")
        return
    if as_json:
        print_json(overview, sort_keys=False)
        return
    typer.echo(f"Stateful Resources ({overview['total']}):\n")
    rows = [["NAME", "ITEMS", "SEED", "ID FIELD"], ["----", "-----", "----", "--------"]]
    for r in resources:
        rows.append([str(r.get("name", "")), str(r.get("itemCount", 0)), str(r.get("seedCount", 0)),
                     str(r.get("idField") or "id")])  # fmt: skip
    table.echo(rows)
    typer.echo(f"\nTotal items across all resources: {overview.get('totalItems', 0)}")


@stateful_app.command("reset")
def reset(name: Name, admin_url: AdminUrl = DEFAULT_ADMIN_URL, as_json: JsonOutput = False) -> None:
    """Put a resource back to its seed data."""
    _call(admin_url, "POST", _resource_path(name, "/reset"), missing=name)
    if as_json:
        print_json({"resource": name, "action": "reset"}, sort_keys=False)
        return
    typer.echo(f"Reset stateful resource: {name}")
    typer.echo("  All items replaced with seed data.")


@stateful_app.command("delete")
def delete(name: Name, admin_url: AdminUrl = DEFAULT_ADMIN_URL, as_json: JsonOutput = False) -> None:
    """Remove a resource with its items and definition."""
    _call(admin_url, "POST", _resource_path(name, "/unregister"), missing=name)
    if as_json:
        print_json({"resource": name, "action": "deleted"}, sort_keys=False)
        return
    typer.echo(f"Deleted stateful resource: {name}")
    typer.echo("  All items and configuration removed.")


@stateful_app.command("items")
def items(
    name: Name, limit: Limit = 100, offset: Offset = 0, sort: Sort = "", order: Order = "",
    admin_url: AdminUrl = DEFAULT_ADMIN_URL, as_json: JsonOutput = False,
) -> None:  # fmt: skip
    """List a resource's items (paginated)."""
    query = {"limit": str(limit), "offset": str(offset)}
    if sort:
        query["sort"] = sort
    if order:
        query["order"] = order
    path = _resource_path(name, "/items") + "?" + urllib.parse.urlencode(query)
    result = _call(admin_url, "GET", path, missing=name) or {}
    if as_json:
        print_json(result, sort_keys=False)
        return
    meta = result.get("meta") or {}
    data = result.get("data") or []
    typer.echo(f"Items in {name} ({meta.get('total', 0)} total, showing {meta.get('count', 0)}):\n")
    if not data:
        typer.echo("  (no items)")
        return
    for item in data:
        text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        typer.echo(f"  {text}")
    if meta.get("total", 0) > meta.get("offset", 0) + meta.get("count", 0):
        typer.echo(f"\n  Use --offset {meta.get('offset', 0) + meta.get('count', 0)} to see more")
