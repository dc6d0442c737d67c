"""`mockd add` (and `mockd http add`), `list`, `get`, `delete`: manage a running server's mocks from a shell
(reference §6.5, operations reference §4.1-4.4). Output, messages and exit codes follow the Go CLI; `--json`
prints what it prints.

`add` builds HTTP mocks here and websocket, graphql, soap and oauth mocks in `protocol_add`. The Go tool's
grpc and mqtt mocks are served, but `add` does not build them yet: it names the admin route instead.
"""

from __future__ import annotations

import sys
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from mockd.cli import contexts, table
from mockd.cli.client import DEFAULT_ADMIN_URL, AdminClient, AdminError, mock_path
from mockd.cli.client_commands import AdminUrl, JsonOutput, fail, print_json
from mockd.cli.protocol_add import (
    KINDS,
    build_graphql,
    build_oauth,
    build_soap,
    build_sse,
    build_websocket,
    submit,
)

_VALID_TYPES = ("http", "websocket", "graphql", "grpc", "mqtt", "soap", "oauth")
_BIND_ACTIONS = ("list", "get", "create", "update", "patch", "delete", "custom")

http_app = typer.Typer(name="http", help="HTTP mocks: `mockd http add` is `mockd add http`.",
                       no_args_is_help=True, rich_markup_mode=None)  # fmt: skip


def _client(admin_url: str) -> AdminClient:
    return AdminClient.for_command(admin_url)


def _connection_failure(exc: AdminError) -> typer.Exit:
    return fail(exc.explain())


def not_found(kind: str, ident: str) -> typer.Exit:
    return fail(
        f"Error: {kind} not found: {ident}\n\nSuggestions:\n  • Check the ID with: mockd list\n"
        "  • Verify you're connected to the right server"
    )


def _in_workspace(path: str) -> str:
    """`path` with `?workspaceId=` of the selected workspace (MOCKD_WORKSPACE, else `mockd workspace use`)."""
    ws = contexts.selected_workspace()
    return f"{path}?workspaceId={urllib.parse.quote(ws, safe='')}" if ws else path


def list_mocks(client: AdminClient) -> list[dict]:
    """The selected workspace's mocks (every mock when it is the default workspace, as the Go tool)."""
    reply = client.call("GET", _in_workspace("/mocks"))
    mocks = reply.get("mocks") if isinstance(reply, dict) else None
    return [m for m in mocks or [] if isinstance(m, dict)]


def details(m: dict) -> tuple[str, str, int]:
    """Path, method and status as the Go CLI shows a mock of each type (`extractMockDetails`)."""
    kind = m.get("type") or "http"
    path, method, status = "", "", 0
    if kind == "http":
        http = m.get("http") or {}
        matcher = http.get("matcher") or {}
        path = matcher.get("path") or matcher.get("pathPattern") or ""
        method = matcher.get("method") or ""
        response = http.get("response") or {}
        status = response.get("statusCode") or 0
    elif kind == "websocket":
        path, method = (m.get("websocket") or {}).get("path", ""), "WS"
    elif kind == "graphql":
        path, method = (m.get("graphql") or {}).get("path", ""), "GQL"
    elif kind == "grpc":
        port = (m.get("grpc") or {}).get("port") or 0
        path, method = (f":{port}" if port > 0 else ""), "gRPC"
    elif kind == "mqtt":
        path, method = f":{(m.get('mqtt') or {}).get('port') or 0}", "MQTT"
    elif kind == "soap":
        path, method = (m.get("soap") or {}).get("path", ""), "SOAP"
    return str(path), str(method), int(status) if isinstance(status, int) else 0


def _pairs(values: list[str], seps: str, what: str, expected: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for raw in values:
        cut = min((i for i in (raw.find(s) for s in seps) if i > 0), default=-1)
        if cut <= 0:
            raise fail(f"invalid {what} format: {raw} (expected {expected})")
        out[raw[:cut].strip()] = raw[cut + 1 :].strip()
    return out


Repeat = Annotated[list[str] | None, typer.Option(show_default=False)]


def add(
    mock_type_arg: Annotated[
        str | None, typer.Argument(metavar="[TYPE]", help="Mock type (http).", show_default=False)
    ] = None,
    mock_type: Annotated[
        str, typer.Option("--type", "-t", help="Mock type (http, websocket, graphql, soap, oauth).")
    ] = "http",
    name: Annotated[str, typer.Option("--name", "-n", help="Mock display name.")] = "",
    method: Annotated[str, typer.Option("--method", "-m", help="HTTP method to match.")] = "GET",
    path: Annotated[str, typer.Option("--path", help="URL path to match.")] = "",
    status: Annotated[int, typer.Option("--status", "-s", help="Response status code.")] = 200,
    body: Annotated[str, typer.Option("--body", "-b", help="Response body.")] = "",
    body_file: Annotated[
        str, typer.Option("--body-file", help="Read the response body from this file.")
    ] = "",
    header: Annotated[
        list[str] | None,
        typer.Option("--header", "-H", help="Response header key:value (repeat).", show_default=False),
    ] = None,
    match_header: Annotated[
        list[str] | None,
        typer.Option(
            "--match-header", show_default=False, help="Required request header key:value (repeat)."
        ),
    ] = None,
    match_query: Annotated[
        list[str] | None,
        typer.Option(
            "--match-query",
            show_default=False,
            help="Required query parameter key=value or key:value (repeat).",
        ),
    ] = None,
    match_body_contains: Annotated[
        str, typer.Option("--match-body-contains", help="Match requests whose body contains this string.")
    ] = "",
    path_pattern: Annotated[str, typer.Option("--path-pattern", help="Regex path (instead of --path).")] = "",
    priority: Annotated[int, typer.Option("--priority", help="Mock priority (higher wins ties).")] = 0,
    delay: Annotated[int, typer.Option("--delay", help="Response delay in milliseconds.")] = 0,
    allow_duplicate: Annotated[
        bool,
        typer.Option(
            "--allow-duplicate", help="Create a new mock even if one exists on the same method and path."
        ),
    ] = False,
    table_name: Annotated[
        str, typer.Option("--table", help="Bind to this stateful table (with --bind).")
    ] = "",
    bind: Annotated[
        str, typer.Option("--bind", help="list, get, create, update, patch, delete or custom.")
    ] = "",
    operation: Annotated[
        str,
        typer.Option("--operation", help="Operation (graphql, soap; custom operation for --bind custom)."),
    ] = "",
    action_alias: Annotated[
        str, typer.Option("--action", help="SOAP action name (alias of --operation).")
    ] = "",
    message: Annotated[
        str, typer.Option("--message", help="Default response message (JSON), websocket.")
    ] = "",
    echo: Annotated[bool, typer.Option("--echo", help="Enable echo mode (websocket).")] = False,
    op_type: Annotated[
        str, typer.Option("--op-type", help="GraphQL operation type (query/mutation).")
    ] = "query",
    mutation: Annotated[bool, typer.Option("--mutation", help="A Mutation resolver (graphql).")] = False,
    response: Annotated[str, typer.Option("--response", help="Response: JSON (graphql) or XML (soap).")] = "",
    soap_action: Annotated[str, typer.Option("--soap-action", help="SOAPAction header value (soap).")] = "",
    issuer: Annotated[
        str, typer.Option("--issuer", help="OAuth issuer URL (default http://localhost:4280).")
    ] = "",
    client_id: Annotated[str, typer.Option("--client-id", help="OAuth client ID.")] = "test-client",
    client_secret: Annotated[
        str, typer.Option("--client-secret", help="OAuth client secret.")
    ] = "test-secret",
    oauth_user: Annotated[str, typer.Option("--oauth-user", help="OAuth test username.")] = "testuser",
    oauth_password: Annotated[
        str, typer.Option("--oauth-password", help="OAuth test password.")
    ] = "password",
    stateful_operation: Annotated[
        str, typer.Option("--stateful-operation", help="Answer with this custom stateful operation.")
    ] = "",
    sse: Annotated[bool, typer.Option("--sse", help="Stream Server-Sent Events.")] = False,
    sse_event: Annotated[
        list[str] | None,
        typer.Option("--sse-event", show_default=False, help="SSE event type:data or just data (repeat)."),
    ] = None,
    sse_delay: Annotated[int, typer.Option("--sse-delay", help="Delay between SSE events in ms.")] = 100,
    sse_template: Annotated[
        str, typer.Option("--sse-template", help="SSE template: openai, notification.")
    ] = "",
    sse_repeat: Annotated[int, typer.Option("--sse-repeat", help="Repeat the SSE events (0 = forever).")] = 1,
    sse_keepalive: Annotated[
        int, typer.Option("--sse-keepalive", help="SSE keepalive interval (0 = off).")
    ] = 0,
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Add a mock to the running server (an HTTP mock updates the one on the same method and path)."""
    kind = (mock_type_arg if mock_type_arg and mock_type == "http" else mock_type).lower()
    if kind not in _VALID_TYPES:
        raise fail(
            f"invalid mock type: {mock_type_arg or mock_type}\n\nValid types: {', '.join(_VALID_TYPES)}"
        )
    operation = operation or action_alias
    if table_name and kind not in ("http", "soap"):
        raise fail(f"--table/--bind is supported for http and soap mocks, not {kind}")
    if kind in KINDS:
        if path and path_pattern:
            raise fail("--path and --path-pattern are mutually exclusive")
        if kind == "websocket":
            mock = build_websocket(name, path, message, echo)
        elif kind == "graphql":
            mock = build_graphql(name, path, operation, "mutation" if mutation else op_type, response)
        elif kind == "soap":
            mock = build_soap(name, path, operation, soap_action, response, table_name, bind)
        else:
            mock = build_oauth(name, issuer, client_id, client_secret, oauth_user, oauth_password)
        submit(admin_url, mock, allow_duplicate, as_json)
        return
    if kind != "http":
        raise fail(f"mockd add {kind} is not implemented yet: create {kind} mocks with POST /mocks "
                   f'(a mock with "type": "{kind}") or in a config file')  # fmt: skip
    if path and path_pattern:
        raise fail("--path and --path-pattern are mutually exclusive")
    mock = _build_http(
        name=name, path=path, method=method, status=status, body=body, body_file=body_file,
        headers=header or [], match_headers=match_header or [], match_queries=match_query or [],
        body_contains=match_body_contains,
        path_pattern=path_pattern, priority=priority, delay=delay, table_name=table_name, bind=bind,
        operation=operation, stateful_operation=stateful_operation,
        sse=build_sse(sse_event or [], sse_delay, sse_template, sse_repeat, sse_keepalive)
        if sse or sse_event or sse_template else None,
    )  # fmt: skip
    client = _client(admin_url)
    try:
        existing = None
        if not allow_duplicate:
            matcher = mock["http"]["matcher"]
            existing = _same_route(list_mocks(client), matcher["method"], matcher.get("path", ""))
        if existing is not None:
            try:
                reply = client.call("PUT", mock_path(existing, ""), {**mock, "id": existing})
            except AdminError as exc:
                raise fail(f"failed to update mock: {exc.explain()}") from None
            action = "updated"
        else:
            reply = client.call("POST", _in_workspace("/mocks"), mock)
            action = "created"
        saved = reply.get("mock", reply) if isinstance(reply, dict) else {}
    except AdminError as exc:
        raise _connection_failure(exc) from None
    _print_added(saved if isinstance(saved, dict) else {}, action, as_json)


def _same_route(mocks: list[dict], method: str, path: str) -> str | None:
    """The id of an HTTP mock on the same method and path (the Go CLI's upsert rule)."""
    for m in mocks:
        matcher = (m.get("http") or {}).get("matcher") or {}
        if (
            (m.get("type") or "http") == "http"
            and matcher.get("method") == method
            and matcher.get("path") == path
        ):
            return str(m["id"])
    return None


def _build_http(*, name: str, path: str, method: str, status: int, body: str, body_file: str,
                headers: list[str], match_headers: list[str], match_queries: list[str], body_contains: str,
                path_pattern: str, priority: int, delay: int, table_name: str, bind: str, operation: str,
                stateful_operation: str, sse: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """The Go CLI's `buildHTTPMock`, with its messages, in the admin API's mock shape."""
    if not path and not path_pattern:
        raise fail("--path or --path-pattern is required for HTTP mocks\n\nUsage: mockd add --path "
                   "/api/endpoint [flags]\n\nRun 'mockd add --help' for more options")  # fmt: skip
    if bool(table_name) != bool(bind):
        raise fail("--table and --bind must be used together\n\nUsage: mockd add http --path /api/users "
                   "--table users --bind list")  # fmt: skip
    if bind:
        if bind not in _BIND_ACTIONS:
            raise fail(f'invalid --bind value "{bind}": must be one of {", ".join(_BIND_ACTIONS)}')
        if body or body_file:
            raise fail("--table/--bind and --body/--body-file are mutually exclusive (the table provides the "
                       "response)")  # fmt: skip
        if sse is not None:
            raise fail("--table/--bind and --sse are mutually exclusive")
        if stateful_operation:
            raise fail("--table/--bind and --stateful-operation are mutually exclusive")
    if stateful_operation and sse is not None:
        raise fail("--stateful-operation and --sse are mutually exclusive")
    if stateful_operation and (body or body_file):
        raise fail("--stateful-operation and --body/--body-file are mutually exclusive (the operation result "
                   "becomes the response)")  # fmt: skip
    if body_file:
        try:
            body = Path(body_file).read_text()
        except OSError as exc:
            raise fail(f"failed to read body file: open {body_file}: {exc.strerror or exc}") from None
    resp_headers = _pairs(headers, ":", "header", "key:value")
    req_headers = _pairs(match_headers, ":", "match-header", "key:value")
    queries = _pairs(match_queries, "=:", "match-query", "key=value or key:value")
    matcher: dict[str, Any] = {"method": method.upper(), "path": path}
    http: dict[str, Any] = {"priority": priority, "matcher": matcher}
    if table_name:
        binding = {"table": table_name, "action": bind}
        if bind == "custom":
            if not operation:
                usage = (
                    "mockd add http --path /api/users/{id}/verify --table users --bind custom --operation X"
                )
                raise fail(f"--operation is required when using --bind custom\n\nUsage: {usage}")
            binding["operation"] = operation
        http["statefulBinding"] = binding
    elif stateful_operation:
        http["statefulOperation"] = stateful_operation
    elif sse is not None:
        http["sse"] = sse
    else:
        response: dict[str, Any] = {"statusCode": status, "body": body, "delayMs": delay}
        if resp_headers:
            response["headers"] = resp_headers
        http["response"] = response
    if req_headers:
        matcher["headers"] = req_headers
    if queries:
        matcher["queryParams"] = queries
    if body_contains:
        matcher["bodyContains"] = body_contains
    if path_pattern:
        matcher["pathPattern"] = path_pattern
        del matcher["path"]
    mock: dict[str, Any] = {"type": "http", "enabled": True, "http": http}
    if name:
        mock = {"name": name, **mock}
    return mock


def _print_added(saved: dict, action: str, as_json: bool) -> None:
    http = saved.get("http") or {}
    matcher = http.get("matcher") or {}
    binding = http.get("statefulBinding") or {}
    response = http.get("response")
    if as_json:
        out: dict[str, Any] = {"id": saved.get("id", ""), "type": saved.get("type", ""), "action": action}
        out["method"] = matcher.get("method", "")
        out["path"] = matcher.get("path", "")
        status = (response or {}).get("statusCode") or 0
        if status:
            out["statusCode"] = status
        op = binding.get("operation") or http.get("statefulOperation") or ""
        if op:
            out["statefulOperation"] = op
        if binding.get("table"):
            out["table"] = binding["table"]
        if binding.get("action"):
            out["bind"] = binding["action"]
        print_json(out, sort_keys=False)
        return
    typer.echo(f"{'Updated' if action == 'updated' else 'Created'} mock: {saved.get('id', '')}")
    typer.echo(f"  Type: {saved.get('type', '')}")
    typer.echo(f"  Method: {matcher.get('method', '')}")
    typer.echo(f"  Path:   {matcher.get('path', '')}")
    if binding:
        typer.echo(f"  Table: {binding.get('table', '')}")
        typer.echo(f"  Bind:  {binding.get('action', '')}")
        if binding.get("operation"):
            typer.echo(f"  Operation: {binding['operation']}")
    elif http.get("statefulOperation"):
        typer.echo(f"  Operation: {http['statefulOperation']}")
    elif response is not None:
        typer.echo(f"  Status: {response.get('statusCode', 0)}")


http_app.command("add")(add)


def list_(
    args: Annotated[list[str] | None, typer.Argument(hidden=True, show_default=False)] = None,
    mock_type: Annotated[str, typer.Option("--type", "-t", help="Only mocks of this type.")] = "",
    no_truncate: Annotated[
        bool, typer.Option("--no-truncate", "-w", help="Show full IDs and paths.")
    ] = False,
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """List the running server's mocks: ID, TYPE, PATH, METHOD, STATUS, ENABLED."""
    if args:
        raise fail(f"unexpected arguments: [{' '.join(args)}]")
    try:
        mocks = list_mocks(_client(admin_url))
    except AdminError as exc:
        raise _connection_failure(exc) from None
    if mock_type:
        mocks = [m for m in mocks if (m.get("type") or "") == mock_type.lower()]
    if as_json:
        summaries = []
        for m in mocks:
            path, method, status = details(m)
            s: dict[str, Any] = {"id": m.get("id", "")}
            if m.get("name"):
                s["name"] = m["name"]
            s["type"] = m.get("type", "")
            for key, value in (("path", path), ("method", method), ("status", status)):
                if value:
                    s[key] = value
            s["enabled"] = m.get("enabled") is not False
            summaries.append(s)
        print_json(summaries, sort_keys=False)
        return
    if not mocks:
        typer.echo("No mocks configured")
        return
    rows = [["ID", "TYPE", "PATH", "METHOD", "STATUS", "ENABLED"]]
    for m in mocks:
        path, method, status = details(m)
        mock_id = str(m.get("id", ""))
        if not no_truncate:
            mock_id = mock_id[:17] + "..." if len(mock_id) > 20 else mock_id
            path = path[:22] + "..." if len(path) > 25 else path
        enabled = "true" if m.get("enabled") is not False else "false"
        rows.append(
            [mock_id, m.get("type") or "http", path, method, str(status) if status > 0 else "-", enabled]
        )
    table.echo(rows)


def list_of(kind: str) -> Callable[..., None]:
    """`mockd <kind> list`: the Go CLI's per-protocol alias of `mockd list --type <kind>`."""

    def list_kind(admin_url: AdminUrl = DEFAULT_ADMIN_URL, as_json: JsonOutput = False) -> None:
        list_(None, kind, False, admin_url, as_json)

    list_kind.__doc__ = f"List {kind} mocks (`mockd list --type {kind}`)."
    return list_kind


def get(
    mock_id: Annotated[str | None, typer.Argument(metavar="MOCK_ID", show_default=False)] = None,
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Show one mock of the running server."""
    if not mock_id:
        raise fail(
            "mock ID is required\n\nUsage: mockd get <mock-id>\n\nRun 'mockd get --help' for more options"
        )
    try:
        m = _client(admin_url).call("GET", mock_path(mock_id, ""))
    except AdminError as exc:
        if exc.status == 404:
            raise not_found("mock", mock_id) from None
        raise _connection_failure(exc) from None
    if as_json:
        print_json(m)
        return
    http = m.get("http") or {}
    matcher = http.get("matcher")
    response = http.get("response")
    typer.echo(f"Mock: {m.get('id', '')}")
    if m.get("name"):
        typer.echo(f"  Name:     {m['name']}")
    if matcher is not None:
        typer.echo(f"  Method:   {matcher.get('method', '')}")
        typer.echo(f"  Path:     {matcher.get('path', '')}")
    if response is not None:
        typer.echo(f"  Status:   {response.get('statusCode', 0)}")
    typer.echo(f"  Enabled:  {'false' if m.get('enabled') is False else 'true'}")
    typer.echo(f"  Priority: {http.get('priority', 0)}")
    for title, block in (("Headers", (response or {}).get("headers")), ("Match Headers", (matcher or {}).get(
            "headers")), ("Match Query", (matcher or {}).get("queryParams"))):  # fmt: skip
        if block:
            typer.echo(f"  {title}:")
            for key, value in block.items():
                typer.echo(f"    {key}: {value}")
    body = (response or {}).get("body")
    if isinstance(body, str) and body:
        typer.echo("  Body:")
        typer.echo(f"    {body[:500] + '...(truncated)' if len(body) > 500 else body}")
    delay = (response or {}).get("delayMs") or 0
    if delay > 0:
        typer.echo(f"  Delay:    {delay}ms")


def delete(
    mock_id: Annotated[
        str | None,
        typer.Argument(metavar="[MOCK_ID]", help="Mock ID or unique ID prefix.", show_default=False),
    ] = None,
    path: Annotated[str, typer.Option("--path", help="Delete mocks on this exact path.")] = "",
    method: Annotated[str, typer.Option("--method", help="With --path: only this method.")] = "",
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Skip the confirmation prompt.")] = False,
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Delete mocks by ID, unique ID prefix, or path."""
    client = _client(admin_url)
    try:
        if path:
            _delete_by_path(client, path, method.upper(), yes, as_json)
            return
        if not mock_id:
            raise fail("mock ID or --path is required\n\nUsage: mockd delete <mock-id>\n       mockd delete "
                       "--path /api/hello\n\nRun 'mockd delete --help' for more options")  # fmt: skip
        try:
            client.call("DELETE", mock_path(mock_id, ""))
        except AdminError as exc:
            if exc.status != 404:
                raise
            _delete_by_prefix(client, mock_id, as_json)
            return
    except AdminError as exc:
        raise _connection_failure(exc) from None
    if as_json:
        print_json({"deleted": True, "id": mock_id})
    else:
        typer.echo(f"Deleted mock: {mock_id}")


def _delete_one(client: AdminClient, m: dict, path: str, as_json: bool) -> None:
    try:
        client.call("DELETE", mock_path(str(m["id"]), ""))
    except AdminError as exc:
        raise fail(f"failed to delete mock: {exc.explain()}") from None
    _, method, status = details(m)
    if as_json:
        print_json({"deleted": True, "id": m["id"], "method": method, "path": path, "statusCode": status})
    else:
        typer.echo(f"Deleted mock: {m['id']} ({method} {path} → {status})")


def _delete_by_prefix(client: AdminClient, prefix: str, as_json: bool) -> None:
    matches = [m for m in list_mocks(client) if str(m.get("id", "")).startswith(prefix)]
    if not matches:
        raise not_found("mock", prefix)
    if len(matches) == 1:
        _delete_one(client, matches[0], details(matches[0])[0], as_json)
        return
    lines = [f"Ambiguous ID prefix '{prefix}' matches {len(matches)} mocks:", ""]
    for m in matches:
        p, meth, status = details(m)
        lines.append(f"  {m['id']}  {meth} {p} → {status}" if status > 0 else f"  {m['id']}  {meth} {p}")
    lines += ["", "Provide a longer prefix to narrow down the match."]
    typer.echo("\n".join(lines), err=True)
    raise fail(f"ambiguous ID prefix: {prefix}")


def _delete_by_path(client: AdminClient, path: str, method: str, yes: bool, as_json: bool) -> None:
    matches = [
        m for m in list_mocks(client) if details(m)[0] == path and (not method or details(m)[1] == method)
    ]
    if not matches:
        raise fail(
            f"no mocks found matching {method} {path}" if method else f"no mocks found matching path: {path}"
        )
    if len(matches) == 1:
        _delete_one(client, matches[0], path, as_json)
        return
    typer.echo(f"Found {len(matches)} mocks matching {path}:\n")
    for m in matches:
        _, meth, status = details(m)
        typer.echo(f"  {m['id']}  {meth} {path} → {status}" if status > 0 else f"  {m['id']}  {meth} {path}")
    typer.echo("")
    if not yes:
        typer.echo(f"Delete all {len(matches)} mocks? [y/N]: ", nl=False)
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes"):
            typer.echo("Cancelled")
            return
    deleted = []
    for m in matches:
        try:
            client.call("DELETE", mock_path(str(m["id"]), ""))
        except AdminError as exc:
            typer.echo(f"warning: failed to delete {m['id']}: {exc.message}", err=True)
            continue
        deleted.append(m["id"])
    if as_json:
        print_json({"count": len(deleted), "deleted": True, "ids": deleted})
    else:
        typer.echo(f"Deleted {len(deleted)} mock(s)")


def update(
    mock_id: Annotated[str, typer.Argument(metavar="ID", help="The mock to change.", show_default=False)],
    body: Annotated[str, typer.Option("--body", "-b", help="Response body.")] = "",
    body_file: Annotated[
        str, typer.Option("--body-file", help="Read the response body from this file.")
    ] = "",
    status: Annotated[
        int | None, typer.Option("--status", "-s", help="Response status code.", show_default=False)
    ] = None,
    header: Annotated[
        list[str] | None,
        typer.Option(
            "--header",
            "-H",
            show_default=False,
            help="Response header key:value (repeat; replaces the headers).",
        ),
    ] = None,
    delay: Annotated[
        int | None, typer.Option("--delay", help="Response delay in milliseconds.", show_default=False)
    ] = None,
    table_name: Annotated[
        str, typer.Option("--table", help="Bind to this stateful table (with --bind).")
    ] = "",
    bind: Annotated[
        str, typer.Option("--bind", help="list, get, create, update, patch, delete or custom.")
    ] = "",
    operation: Annotated[str, typer.Option("--operation", help="Custom operation for --bind custom.")] = "",
    name: Annotated[str, typer.Option("--name", "-n", help="Mock display name.")] = "",
    enabled: Annotated[str, typer.Option("--enabled", help="true or false.")] = "",
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Change fields of a mock (PATCH): only the flags given are changed."""
    patch: dict[str, Any] = {}
    if name:
        patch["name"] = name
    if enabled:
        if enabled not in ("true", "false"):
            raise fail(f"--enabled must be 'true' or 'false', got \"{enabled}\"")
        patch["enabled"] = enabled == "true"
    http: dict[str, Any] = {}
    if table_name or bind:
        if bool(table_name) != bool(bind):
            raise fail("--table and --bind must be used together")
        actions = ("list", "get", "create", "update", "delete", "custom", "patch")
        if bind not in actions:
            raise fail(f'invalid --bind value "{bind}": must be one of {", ".join(actions)}')
        binding: dict[str, Any] = {"table": table_name, "action": bind}
        if operation:
            binding["operation"] = operation
        http.update(statefulBinding=binding, response=None, sse=None, statefulOperation=None)
    response: dict[str, Any] = {}
    if body_file:
        try:
            body = Path(body_file).read_text()
        except OSError as exc:
            raise fail(f"failed to read body file: open {body_file}: {exc.strerror or exc}") from None
    if body:
        response["body"] = body
    if status is not None and status > 0:
        response["statusCode"] = status
    if delay is not None:
        response["delayMs"] = delay
    if header:
        response["headers"] = _pairs(header, ":", "header", "key:value")
    if response:
        http["response"] = response
    if http:
        patch["http"] = http
    if not patch:
        raise fail("no update flags specified\n\nUsage: mockd update <id> [flags]\n"
                   "Run 'mockd update --help' for available flags")  # fmt: skip
    try:
        reply = _client(admin_url).call("PATCH", mock_path(mock_id, ""), patch)
    except AdminError as exc:
        raise _connection_failure(exc) from None
    saved = reply.get("mock", reply) if isinstance(reply, dict) else {}
    if as_json:
        print_json({"id": saved.get("id", mock_id), "action": "updated"}, sort_keys=False)
        return
    typer.echo(f"Updated mock: {saved.get('id', mock_id)}")
    spec = saved.get("http") or {}
    matcher = spec.get("matcher")
    if matcher is not None:
        typer.echo(f"  {matcher.get('method', '')} {matcher.get('path', '')}")
    if spec.get("statefulBinding"):
        typer.echo(f"  Table: {spec['statefulBinding'].get('table', '')}")
        typer.echo(f"  Bind:  {spec['statefulBinding'].get('action', '')}")
    elif spec.get("response") is not None:
        typer.echo(f"  Status: {spec['response'].get('statusCode', 0)}")
