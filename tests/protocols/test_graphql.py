"""GraphQL mocks served on the mock port, driven by the `gql` client library (protocols-reference §3)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.requests import RequestsHTTPTransport
from graphql import GraphQLSchema

from tests.harness import MockdProcess, request, run_cli

CONFIG = textwrap.dedent(
    """
    version: "1.0"
    mocks:
      - id: users-api
        type: graphql
        graphql:
          path: /graphql
          introspection: true
          schema: |
            type Query {
              user(id: ID!): User
              users: [User!]!
            }
            type Mutation { deleteUser(id: ID!): Boolean }
            type User { id: ID! name: String email: String }
          resolvers:
            Query.user:
              match: {args: {id: "1"}}
              response: {id: "{{args.id}}", name: Ada, email: a@x}
            Query.users:
              response: [{id: "1", name: Ada}, {id: "2", name: Bob}]
            Mutation.deleteUser:
              error: {message: forbidden, extensions: {code: FORBIDDEN}}
      - id: closed
        type: graphql
        graphql:
          path: /closed
          schema: "type Query { ping: String }"
          resolvers:
            Query.ping: {response: pong}
    """
)


@pytest.fixture
def server(tmp_path: Path, mockd_server: Callable[..., MockdProcess]) -> MockdProcess:
    config = tmp_path / "mockd.yaml"
    config.write_text(CONFIG)
    return mockd_server("--config", str(config))


def _client(server: MockdProcess, path: str = "/graphql", fetch_schema: bool = False) -> Client:
    transport = RequestsHTTPTransport(url=server.url + path, timeout=10)
    return Client(transport=transport, fetch_schema_from_transport=fetch_schema)


def _post(server: MockdProcess, path: str, payload: object) -> tuple[int, bytes]:
    reply = request(
        server.url + path, method="POST", body=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    return reply.status, reply.body


def test_query_with_variables_matches_args_and_prunes(server: MockdProcess) -> None:
    with _client(server) as session:
        query = gql("query GetUser($i: ID!) { user(id: $i) { name id } }")
        query.variable_values = {"i": 1}
        assert session.execute(query) == {"user": {"id": "1", "name": "Ada"}}
        query.variable_values = {"i": 2}
        assert session.execute(query) == {"user": None}
        listed = session.execute(gql("{ users { name } all: users { id } }"))
    assert listed == {"users": [{"name": "Ada"}, {"name": "Bob"}], "all": [{"id": "1"}, {"id": "2"}]}


def test_wire_bytes_are_sorted_and_newline_terminated(server: MockdProcess) -> None:
    status, body = _post(server, "/graphql", {"query": "{ user(id: 1) { name id __typename } }"})
    assert status == 200
    assert body == b'{"data":{"user":{"__typename":"User","id":"1","name":"Ada"}}}\n'


def test_resolver_error_has_graphql_shape(server: MockdProcess) -> None:
    with _client(server) as session, pytest.raises(TransportQueryError) as info:
        session.execute(gql('mutation { deleteUser(id: "1") }'))
    assert info.value.errors == [
        {"message": "forbidden", "path": ["deleteUser"], "extensions": {"code": "FORBIDDEN"}}
    ]
    assert info.value.data == {"deleteUser": None}


def test_introspection_lets_the_client_load_the_schema(server: MockdProcess) -> None:
    client = _client(server, fetch_schema=True)
    with client as session:
        assert session.execute(gql("{ users { id } }")) == {"users": [{"id": "1"}, {"id": "2"}]}
    assert isinstance(client.schema, GraphQLSchema)
    assert sorted(client.schema.query_type.fields) == ["user", "users"]  # type: ignore[union-attr]
    assert "deleteUser" in client.schema.mutation_type.fields  # type: ignore[union-attr]


def test_introspection_disabled_by_default(server: MockdProcess) -> None:
    status, body = _post(server, "/closed", {"query": "{ __schema { queryType { name } } }"})
    assert (status, json.loads(body)) == (
        200,
        {
            "errors": [
                {"message": "introspection is disabled", "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}
            ]
        },
    )
    with _client(server, "/closed") as session:
        assert session.execute(gql("{ ping }")) == {"ping": "pong"}


def test_syntax_error_and_unknown_field_are_graphql_errors(server: MockdProcess) -> None:
    status, body = _post(server, "/graphql", {"query": "{ user(id: 1) { name "})
    assert status == 200
    assert json.loads(body) == {
        "errors": [{
            "message": "parse error: Syntax Error: Expected Name, found <EOF>. (line 1:22)",
            "extensions": {"code": "GRAPHQL_PARSE_FAILED"},
        }]
    }  # fmt: skip
    with _client(server) as session, pytest.raises(TransportQueryError) as info:
        session.execute(gql("{ nope }"))
    assert info.value.errors[0]["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}  # type: ignore[index]


def test_operation_name_get_batch_and_transport_errors(server: MockdProcess) -> None:
    doc = "query A { users { id } } query B { user(id: 1) { email } }"
    assert json.loads(_post(server, "/graphql", {"query": doc, "operationName": "B"})[1]) == {
        "data": {"user": {"email": "a@x"}}
    }
    assert json.loads(_post(server, "/graphql", {"query": doc, "operationName": "C"})[1]) == {
        "errors": [
            {"message": 'operation "C" not found', "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}
        ]
    }
    got = request(server.url + "/graphql?query=%7Busers%7Bname%7D%7D")
    assert (got.status, got.body) == (200, b'{"data":{"users":[{"name":"Ada"},{"name":"Bob"}]}}\n')
    _, body = _post(server, "/graphql", [{"query": "{ users { id } }"}, {"query": "{ user(id: 3) { id } }"}])
    assert json.loads(body) == [{"data": {"users": [{"id": "1"}, {"id": "2"}]}}, {"data": {"user": None}}]
    bad = request(
        server.url + "/graphql",
        method="POST",
        body=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert (bad.status, json.loads(bad.body)) == (
        400,
        {
            "errors": [
                {"message": "invalid JSON request body", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
            ]
        },
    )
    assert request(server.url + "/graphql", method="DELETE").status == 405


def test_invalid_sdl_is_a_load_error_with_position(tmp_path: Path) -> None:
    config = tmp_path / "mockd.yaml"
    config.write_text(
        'version: "1.0"\nmocks:\n  - id: bad-gql\n    type: graphql\n    graphql:\n      path: /g\n'
        "      schema: |\n        type Query {\n          user(id: ID!): Usr\n        }\n"
    )
    out = run_cli("compile", str(config), "-o", str(tmp_path / "plan.json"))
    assert out.returncode == 1
    assert (
        f"{config}:7:15: mocks[0].graphql.schema: invalid GraphQL schema in mock 'bad-gql': "
        "SDL line 2:18: Unknown type 'Usr'."
    ) in out.stderr
    assert "Traceback" not in out.stderr


def test_invalid_schema_file_is_a_load_error(tmp_path: Path) -> None:
    (tmp_path / "schema.graphql").write_text("type Query {\n  a: Int\n  b(\n}\n")
    config = tmp_path / "mockd.yaml"
    config.write_text(
        'version: "1.0"\nmocks:\n  - id: g\n    type: graphql\n    graphql:\n      path: /g\n'
        "      schemaFile: schema.graphql\n"
    )
    out = run_cli("compile", str(config), "-o", str(tmp_path / "plan.json"))
    assert out.returncode == 1
    assert (
        "mocks[0].graphql.schemaFile: invalid GraphQL schema in schema.graphql: "
        "SDL line 4:1: Syntax Error: Expected Name, found '}'."
    ) in out.stderr


def test_requests_are_logged_with_operation_detail_and_counted(server: MockdProcess) -> None:
    _post(
        server, "/graphql", {"query": "query GetUser($i: ID!) { user(id: $i) { id } }", "variables": {"i": 1}}
    )
    _post(server, "/graphql", {"query": 'mutation Drop { deleteUser(id: "1") }'})
    log = json.loads(request(server.admin + "/requests?protocol=graphql").body)
    assert [(e["protocol"], e["matchedMockId"], e["graphql"]) for e in log["requests"]] == [
        ("graphql", "users-api", {"operationType": "mutation", "operationName": "Drop", "variables": {},
                                  "hasErrors": True, "errorCount": 1}),
        ("graphql", "users-api", {"operationType": "query", "operationName": "GetUser", "variables": {"i": 1},
                                  "hasErrors": False, "errorCount": 0}),
    ]  # fmt: skip
    mutations = json.loads(request(server.admin + "/requests?graphqlOpType=mutation").body)
    assert [e["graphql"]["operationName"] for e in mutations["requests"]] == ["Drop"]
    assert json.loads(request(server.admin + "/requests?protocol=http").body)["requests"] == []
    calls = json.loads(request(server.admin + "/mocks/users-api/invocations").body)
    assert calls["total"] == 2
    assert [c["graphql"]["operationName"] for c in calls["invocations"]] == [
        "Drop",
        "GetUser",
    ]  # newest first
    verified = request(server.admin + "/mocks/users-api/verify", method="POST", body={"exactly": 2})
    assert json.loads(verified.body)["passed"] is True
