"""GraphQL mocks (`type: graphql`) on the mock port: protocols-reference §3.

`build` checks the mock at compile time (an inline SDL that does not parse is a load error naming its
line and column; resolvers with a bad delay likewise) and routes any method on `graphql.path` to it;
`check` does the same for a `schemaFile` once the compiler knows the config file's folder; `responder`
builds the schema once per route table and answers requests (http.py reads them, execute.py runs them).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from mockd.gocompat import gojson
from mockd.plan.model import route_spec
from mockd.protocols.graphql.execute import Executor, Outcome, args_json
from mockd.protocols.graphql.http import JSON, TransportError, encode_result, error_body, read_operations
from mockd.protocols.graphql.resolvers import read_resolvers
from mockd.protocols.graphql.schema import SchemaLoadError, load_schema
from mockd.protocols.registry import ProtocolBuildError, ServeEnv
from mockd.templates import Context, Template, compile_template

if TYPE_CHECKING:
    from mockd.plan.model import RouteSpec

# Protocol routes answer before HTTP mocks at the same path (reference §0.2), as far as priority can say it.
PROTOCOL_PRIORITY = 1_000_000
TEMPLATE_CACHE = 1024  # compiled response templates kept per GraphQL mock


def build(mock: dict[str, Any]) -> tuple[RouteSpec | None, dict[str, Any]]:
    spec = mock.get("graphql") or {}
    read_resolvers(spec)
    if spec.get("schema"):
        try:
            load_schema(spec["schema"])
        except SchemaLoadError as e:
            raise ProtocolBuildError(
                "graphql.schema", f"invalid GraphQL schema in mock '{mock['id']}': {e}"
            ) from None
    route = route_spec(
        id=mock["id"], name=mock.get("name") or None, path=spec["path"], priority=PROTOCOL_PRIORITY
    )
    return route, {
        "path": spec["path"],
        "schema": spec.get("schema") or "",
        "schemaFile": spec.get("schemaFile") or "",
        "introspection": spec.get("introspection") is True,
        "resolvers": spec.get("resolvers") or {},
    }


def _read_file(spec: dict[str, Any], base_dir: str) -> str:
    path = os.path.join(base_dir, spec["schemaFile"])
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise ProtocolBuildError(
            "graphql.schemaFile", f"failed to read schema file {spec['schemaFile']}: {reason}"
        ) from None


def check(spec: dict[str, Any], base_dir: str) -> None:
    """Load-time check of what `build` could not see: the schema file, resolved against `base_dir`."""
    if spec["schemaFile"]:
        try:
            load_schema(_read_file(spec, base_dir))
        except SchemaLoadError as e:
            message = f"invalid GraphQL schema in {spec['schemaFile']}: {e}"
            raise ProtocolBuildError("graphql.schemaFile", message) from None


class GraphQLResponder:
    """Answers one GraphQL mock's requests; the schema is built once, when the route table is."""

    def __init__(self, spec: dict[str, Any], env: ServeEnv) -> None:
        self.env = env
        self.broken: str | None = None
        self.executor: Executor | None = None
        try:
            sdl = spec["schema"] or _read_file(spec, env.base_dir)
            schema = load_schema(sdl)
            self.executor = Executor(schema, read_resolvers(spec), spec["introspection"])
        except (SchemaLoadError, ProtocolBuildError) as e:
            self.broken = (
                f"failed to parse GraphQL schema: {e}"  # file changed since load: say so per request
            )
        self._templates: dict[str, Template] = {}

    async def respond(self, req: Any, proto: Any) -> int:
        if req.method == "OPTIONS":
            proto.response_bytes(200, [], b"")
            return 200
        if self.executor is None:
            proto.response_bytes(500, JSON, error_body(self.broken or "schema unavailable"))
            return 500
        try:
            content_type = req.headers.get("content-type") or ""
            operations, batch = read_operations(req.method, req.query, content_type, req.body)
        except TransportError as e:
            proto.response_bytes(e.status, JSON, error_body(e.message))
            return e.status

        def render(text: str, args: dict[str, Any]) -> str:
            template = self._templates.get(text)
            if template is None:
                if len(self._templates) >= TEMPLATE_CACHE:  # texts vary with {{args.x}}: stay bounded
                    self._templates.clear()
                template = self._templates[text] = compile_template(text)
            header = req.headers.get

            def headers(name: str) -> str | None:
                return "application/json" if name == "content-type" else header(name)

            return template.render(Context(req.method, req.path, req.query, headers, args_json(args)))

        results: list[Outcome] = []
        for op in operations:
            results.append(await self.executor.run(op["query"], op["operationName"], op["variables"], render))
        if self.env.note is not None:
            first = results[0]
            self.env.note(req, {
                "protocol": "graphql",
                "graphql": {
                    "operationType": first.operation_type,
                    "operationName": first.operation_name,
                    "variables": first.variables,
                    "hasErrors": first.error_count > 0,
                    "errorCount": first.error_count,
                }
            })  # fmt: skip
        bodies = [encode_result(r.body) for r in results]
        proto.response_bytes(200, JSON, gojson.encode(bodies if batch else bodies[0]))
        return 200


def responder(spec: dict[str, Any], env: ServeEnv) -> GraphQLResponder:
    return GraphQLResponder(spec, env)
