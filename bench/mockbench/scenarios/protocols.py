"""Scenario 12: issue 16's figures: what loading protocol mocks costs a static mock, and a GraphQL query's
throughput against a static mock on the same server.

Two servers answer the same static mock; one of them also has one GraphQL, SOAP, OAuth, WebSocket and SSE
mock loaded. Protocol mocks are routes like any other (their modules are imported only when such a mock is
loaded), so the static mock's ratio should be ~1 (target >= 0.98x). The GraphQL subject posts one small
query with a variable to the loaded server.
"""

from __future__ import annotations

import json
from typing import Any

from mockbench import fixtures
from mockbench.context import Context
from mockbench.measure import Comparison, Subject
from mockbench.scenarios.common import check, check_all, timed
from mockbench.wrk import Workload

GRAPHQL_QUERY = json.dumps(
    {"query": "query U($id: ID!) { user(id: $id) { id name } }", "variables": {"id": "1"}}
)


def protocol_mocks() -> list[dict[str, Any]]:
    return [
        {"id": "gql", "type": "graphql", "graphql": {
            "path": "/graphql",
            "schema": "type Query { user(id: ID!): User } type User { id: ID! name: String }",
            "resolvers": {"Query.user": {"response": {"id": "{{args.id}}", "name": "Ada"}}}}},
        {"id": "soap", "type": "soap", "soap": {
            "path": "/soap", "operations": {"Ping": {"soapAction": "urn:ping", "response": "<Pong/>"}}}},
        {"id": "idp", "type": "oauth", "oauth": {
            "issuer": "http://127.0.0.1/oauth",
            "clients": [{"clientId": "svc", "clientSecret": "s", "grantTypes": ["client_credentials"]}]}},
        {"id": "ws", "type": "websocket", "websocket": {"path": "/ws"}},
        {"id": "sse", "type": "http", "http": {"matcher": {"method": "GET", "path": "/events"},
                                               "sse": {"events": [{"type": "tick", "data": "x"}]}}},
    ]  # fmt: skip


def run(ctx: Context) -> dict[str, Any]:
    static = [fixtures.mock("static", fixtures.HIT_PATH)]
    plain = ctx.mockd("mockd-static-only", fixtures.collection(static))
    loaded = ctx.mockd("mockd-protocols", fixtures.collection(static + protocol_mocks()))
    w = Workload(fixtures.HIT_PATH)
    gql = Workload(
        "/graphql", method="POST", headers=(("Content-Type", "application/json"),), body=GRAPHQL_QUERY
    )
    subjects = [
        Subject("plain", "static mock, nothing else loaded", plain, w),
        Subject("loaded", "static mock, one of each protocol loaded", loaded, w),
        Subject("graphql", "GraphQL query with a variable, same server", loaded, gql),
    ]
    check_all(subjects[:2], 200, fixtures.body("static").encode(), strict={"plain", "loaded"})
    problem = check(subjects[2], 200, b'{"data":{"user":{"id":"1","name":"Ada"}}}')
    if problem:
        raise RuntimeError("wrong answer before timing: " + problem)
    comparisons = [
        Comparison(
            "loaded/plain", "static mock with protocols loaded ÷ without (throughput)", "loaded", "plain"
        ),
        Comparison(
            "loaded/plain p99",
            "static mock with protocols loaded ÷ without (p99)",
            "loaded",
            "plain",
            "p99_ms",
        ),
        Comparison(
            "graphql/static", "GraphQL query ÷ static mock, same server (throughput)", "graphql", "loaded"
        ),
    ]
    return timed(ctx.settings, subjects, comparisons)
