"""`mockd add websocket|graphql|soap|oauth` and the per-protocol forms `mockd websocket add`, `mockd
graphql add`, `mockd soap add`, `mockd oauth add`: build one protocol mock from flags and create it over the
admin API, with the Go CLI's messages, output and exit codes (its `buildWebSocketMock`, `buildGraphQLMock`,
`buildSOAPMock`, `buildOAuthMock` and `outputResult`).

The Go CLI opens an interactive form when the per-protocol form is run without its main flags; here the
command always runs from its flags (a missing one is the same error `mockd add` gives), so it never waits
on a terminal. A SOAP mock added on the path of an existing one is merged into it, as in the Go CLI.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from mockd.cli.client import DEFAULT_ADMIN_URL, AdminClient, AdminError, mock_path
from mockd.cli.client_commands import AdminUrl, JsonOutput, fail, print_json

KINDS = ("websocket", "graphql", "soap", "oauth")
_BIND_ACTIONS = ("list", "get", "create", "update", "patch", "delete", "custom")


def _usage(kind: str, example: str) -> str:
    return f"\n\nUsage: mockd add --type {kind} {example} [flags]\n\nRun 'mockd add --help' for more options"


def build_websocket(name: str, path: str, message: str, echo: bool) -> dict[str, Any]:
    if not path:
        raise fail("--path is required for WebSocket mocks" + _usage("websocket", "--path /ws/endpoint"))
    ws: dict[str, Any] = {"path": path}
    if echo:
        ws["echoMode"] = True
    if message:
        try:
            value = json.loads(message)
        except ValueError as e:
            raise fail(f"invalid --message: not JSON ({e})") from None
        ws["defaultResponse"] = {"type": "json", "value": value}
    return _mock("websocket", name, ws)


def build_graphql(name: str, path: str, operation: str, op_type: str, response: str) -> dict[str, Any]:
    if not operation:
        raise fail("--operation is required for GraphQL mocks" + _usage("graphql", "--operation getUser"))
    op_type = op_type.lower()
    if op_type not in ("query", "mutation"):
        raise fail(f"invalid --op-type: {op_type} (must be 'query' or 'mutation')")
    resolver: dict[str, Any] = {}
    if response:
        try:
            resolver["response"] = json.loads(response)
        except ValueError as e:
            raise fail(f"invalid JSON response: {e}") from None
    # A minimal schema with a JSON scalar, so any response shape is served (the Go CLI's schema).
    if op_type == "query":
        schema = f"scalar JSON\n\ntype Query {{\n  {operation}: JSON\n}}\n"
    else:
        schema = (
            "scalar JSON\n\ntype Query {\n  _empty: String\n}\n\n"
            f"type Mutation {{\n  {operation}: JSON\n}}\n"
        )
    spec = {"path": path or "/graphql", "schema": schema,
            "resolvers": {f"{op_type.capitalize()}.{operation}": resolver}}  # fmt: skip
    return _mock("graphql", name, spec)


def build_soap(name: str, path: str, operation: str, soap_action: str, response: str, table: str,
               bind: str) -> dict[str, Any]:  # fmt: skip
    if not operation:
        raise fail("--operation is required for SOAP mocks" + _usage("soap", "--operation GetWeather"))
    if bool(table) != bool(bind):
        raise fail("--table and --bind must be used together")
    if bind and bind not in _BIND_ACTIONS:
        raise fail(f'invalid --bind "{bind}": must be one of {", ".join(_BIND_ACTIONS)}')
    op: dict[str, Any] = {"response": response}
    if soap_action:
        op["soapAction"] = soap_action
    if table:
        op["statefulBinding"] = {"table": table, "action": bind}
    return _mock("soap", name, {"path": path or "/soap", "operations": {operation: op}})


def build_oauth(name: str, issuer: str, client_id: str, client_secret: str, user: str,
                password: str) -> dict[str, Any]:  # fmt: skip
    spec = {
        "issuer": issuer or "http://localhost:4280",
        "tokenExpiry": "1h",
        "refreshExpiry": "7d",
        "defaultScopes": ["openid", "profile", "email"],
        "clients": [{
            "clientId": client_id, "clientSecret": client_secret,
            "redirectUris": ["http://localhost:3000/callback"],
            "grantTypes": ["authorization_code", "client_credentials", "refresh_token", "password"],
        }],
        "users": [{"username": user, "password": password,
                   "claims": {"sub": user, "email": f"{user}@example.com", "name": user}}],
    }  # fmt: skip
    return _mock("oauth", name or "OAuth Mock", spec)


def _mock(kind: str, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    mock: dict[str, Any] = {"type": kind, "enabled": True, kind: spec}
    return {"name": name, **mock} if name else mock


def submit(admin_url: str, mock: dict[str, Any], allow_duplicate: bool, as_json: bool) -> None:
    """Create `mock` (a SOAP mock on an existing SOAP mock's path is merged into it) and print the result."""
    client = AdminClient.for_command(admin_url)
    kind = mock["type"]
    try:
        if kind == "soap" and not allow_duplicate and _merge_soap(client, mock, as_json):
            return
        reply = client.call("POST", "/mocks", mock)
    except AdminError as exc:
        raise fail(exc.explain()) from None
    saved = reply.get("mock", reply) if isinstance(reply, dict) else {}
    print_created(saved if isinstance(saved, dict) else {}, kind, as_json)


def _merge_soap(client: AdminClient, mock: dict[str, Any], as_json: bool) -> bool:
    """The Go CLI's `mergeSOAPIfExists`: add the new operation to the SOAP mock already on this path."""
    path = mock["soap"]["path"]
    reply = client.call("GET", "/mocks")
    mocks = reply.get("mocks") if isinstance(reply, dict) else None
    existing = next((m for m in mocks or [] if isinstance(m, dict) and m.get("type") == "soap"
                     and (m.get("soap") or {}).get("path") == path), None)  # fmt: skip
    if existing is None:
        return False
    mock_id = str(existing["id"])
    current = client.call("GET", mock_path(mock_id, ""))
    if not isinstance(current, dict) or not isinstance(current.get("soap"), dict):
        return False
    operations = dict(current["soap"].get("operations") or {})
    added = [op for op in mock["soap"]["operations"] if op not in operations]
    operations.update(mock["soap"]["operations"])
    current["soap"] = {**current["soap"], "operations": operations}
    try:
        client.call("PUT", mock_path(mock_id, ""), current)
    except AdminError as exc:
        raise fail(f"failed to update mock: {exc.explain()}") from None
    total = sorted(operations)
    if as_json:
        out: dict[str, Any] = {"id": mock_id, "type": "soap", "action": "merged", "path": path}
        if added:
            out["addedOperations"] = added
        if total:
            out["totalOperations"] = total
        print_json(out, sort_keys=False)
        return True
    typer.echo(f"Merged into mock: {mock_id}\n  Type: soap")
    if added:
        typer.echo("  Added:\n" + "".join(f"    - {op}\n" for op in added), nl=False)
    if total:
        typer.echo("  Total operations:\n" + "".join(f"    - {op}\n" for op in total), nl=False)
    return True


def print_created(saved: dict[str, Any], kind: str, as_json: bool) -> None:
    """The Go CLI's `outputResult` / `outputJSONResult` for a created protocol mock."""
    spec = saved.get(kind) or {}
    head = {"id": saved.get("id", ""), "type": saved.get("type", ""), "action": "created"}
    lines = [f"Created mock: {head['id']}", f"  Type: {head['type']}"]
    out: dict[str, Any]
    if kind == "websocket":
        echo = spec.get("echoMode") is True
        out = {**head, "path": spec.get("path", ""), "echo": echo}
        lines.append(f"  Path: {spec.get('path', '')}")
        if echo:
            lines.append("  Echo: enabled")
    elif kind == "graphql":
        ops = list(spec.get("resolvers") or {})
        out = {**head, "path": spec.get("path", ""), "operations": ops or None}
        lines += [f"  Path: {spec.get('path', '')}", *(f"  Operation: {op}" for op in ops)]
    elif kind == "soap":
        operations = spec.get("operations") or {}
        actions = [
            c["soapAction"] for c in operations.values() if isinstance(c, dict) and c.get("soapAction")
        ]
        out = {**head, "path": spec.get("path", ""), "operations": list(operations) or None}
        if actions:
            out["soapActions"] = actions
        lines.append(f"  Path: {spec.get('path', '')}")
        for op, cfg in operations.items():
            lines.append(f"  Operation: {op}")
            if isinstance(cfg, dict) and cfg.get("soapAction"):
                lines.append(f"  SOAPAction: {cfg['soapAction']}")
    else:
        clients = spec.get("clients") or [{}]
        users = spec.get("users") or [{}]
        out = {**head, "issuer": spec.get("issuer", "")}
        if clients[0].get("clientId"):
            out["clientId"] = clients[0]["clientId"]
        if users[0].get("username"):
            out["username"] = users[0]["username"]
        lines.append(f"  Issuer: {spec.get('issuer', '')}")
        if spec.get("clients"):
            lines.append(f"  Client ID: {clients[0].get('clientId', '')}")
        if spec.get("users"):
            lines.append(f"  User: {users[0].get('username', '')}")
    if as_json:
        print_json(out, sort_keys=False)
    else:
        typer.echo("\n".join(lines))


# ------------------------------------------------------------------------- the per-protocol forms

Path_ = Annotated[str, typer.Option("--path", help="Endpoint path.")]
Response = Annotated[str, typer.Option("--response", help="Response (JSON for graphql, XML for soap).")]
Table = Annotated[str, typer.Option("--table", help="Bind to this stateful table (with --bind).")]
Bind = Annotated[str, typer.Option("--bind", help="list, get, create, update, patch, delete or custom.")]


def _group(kind: str, text: str) -> typer.Typer:
    return typer.Typer(name=kind, help=text, no_args_is_help=True, rich_markup_mode=None)


websocket_app = _group("websocket", "WebSocket mocks: `mockd websocket add` is `mockd add websocket`.")
graphql_app = _group("graphql", "GraphQL mocks: `mockd graphql add` is `mockd add graphql`.")
soap_app = _group("soap", "SOAP mocks: `mockd soap add` is `mockd add soap`.")
oauth_app = _group("oauth", "OAuth/OIDC provider mocks: `mockd oauth add` is `mockd add oauth`.")


@websocket_app.command("add")
def websocket_add(
    path: Path_ = "",
    message: Annotated[str, typer.Option("--message", help="Default response message (JSON).")] = "",
    echo: Annotated[bool, typer.Option("--echo", help="Enable echo mode.")] = False,
    name: Annotated[str, typer.Option("--name", help="Mock display name.")] = "",
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Add a new WebSocket mock endpoint."""
    submit(admin_url, build_websocket(name, path, message, echo), False, as_json)


@graphql_app.command("add")
def graphql_add(
    path: Path_ = "",
    operation: Annotated[str, typer.Option("--operation", help="Operation name.")] = "",
    op_type: Annotated[
        str, typer.Option("--op-type", help="GraphQL operation type (query/mutation).")
    ] = "query",
    mutation: Annotated[
        bool, typer.Option("--mutation", help="A Mutation resolver instead of Query.")
    ] = False,
    response: Response = "",
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Add a new GraphQL mock endpoint."""
    mock = build_graphql("", path, operation, "mutation" if mutation else op_type, response)
    submit(admin_url, mock, False, as_json)


@soap_app.command("add")
def soap_add(
    path: Path_ = "",
    action: Annotated[str, typer.Option("--action", help="SOAP operation (action) name.")] = "",
    response: Response = "",
    table: Table = "",
    bind: Bind = "",
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Add a new SOAP mock endpoint (merged into the SOAP mock already on its path)."""
    submit(admin_url, build_soap("", path, action, "", response, table, bind), False, as_json)


@oauth_app.command("add")
def oauth_add(
    issuer: Annotated[str, typer.Option("--issuer", help="Issuer URL (default http://localhost:4280).")] = "",
    client_id: Annotated[str, typer.Option("--client-id", help="OAuth client ID.")] = "test-client",
    client_secret: Annotated[
        str, typer.Option("--client-secret", help="OAuth client secret.")
    ] = "test-secret",
    oauth_user: Annotated[str, typer.Option("--oauth-user", help="Test username.")] = "testuser",
    oauth_password: Annotated[str, typer.Option("--oauth-password", help="Test password.")] = "password",
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Add a new OAuth/OIDC mock provider."""
    mock = build_oauth("", issuer, client_id, client_secret, oauth_user, oauth_password)
    submit(admin_url, mock, False, as_json)


def build_sse(events: list[str], delay_ms: int, template: str, repeat: int, keepalive: int) -> dict[str, Any]:
    """The `http.sse` block of `mockd add --sse` (the Go CLI's `buildSSEConfig`): each `--sse-event` is
    `type:data` (data parsed as JSON when it is JSON) or bare data of a `message` event, split at the first
    colon as the Go CLI splits it; `--sse-repeat` 0 repeats forever and N > 1 N times (a template
    generator)."""
    lifecycle: dict[str, Any] = {"termination": {"type": "complete"}}
    if keepalive > 0:
        lifecycle["keepaliveInterval"] = keepalive
    cfg: dict[str, Any] = {"timing": {"fixedDelay": delay_ms}, "lifecycle": lifecycle}
    if template:
        return {"template": template, **cfg}
    if not events:
        return {"events": [{"type": "message", "data": {"status": "connected"}}], **cfg}
    parsed: list[dict[str, Any]] = []
    for raw in events:
        kind, sep, data = raw.partition(":")
        if not sep:
            parsed.append({"type": "message", "data": raw})
            continue
        try:
            parsed.append({"type": kind, "data": json.loads(data)})
        except ValueError:
            parsed.append({"type": kind, "data": data})
    if repeat == 0 or repeat > 1:
        generator = {
            "type": "template",
            "template": {"events": parsed, **({"repeat": repeat} if repeat else {})},
        }
        return {"generator": generator, **cfg}
    return {"events": parsed, **cfg}
