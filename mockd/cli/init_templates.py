"""The starter configs `mockd init` writes (operations reference §4.6).

Two kinds, as in the Go tool: project templates (`minimal`, `full`, `api`, and what `--defaults` and the
wizard produce) are built as data in the Go `mockd up` project shape, so the same file serves both tools;
protocol templates (`default`, `crud`, ...) are ready-written YAML mock collections. Each is our own
wording of the same starter; every one passes `mockd validate` (tests/cli/test_init_config.py).
"""

from __future__ import annotations

from typing import Any

JSON = {"Content-Type": "application/json"}

# id -> (description, YAML text). Listed in the Go tool's order; `--template list` prints them this way.
PROTOCOL_TEMPLATES: dict[str, tuple[str, str]] = {
    "default": (
        "Basic HTTP mocks (hello, echo, health)",
        """# mockd init --template default: three HTTP mocks to start from.
# Start: mockd start --config mockd.yaml    Try: curl http://localhost:4280/hello
version: "1.0"
mocks:
  - id: default-hello-world
    name: Hello World
    type: http
    http:
      matcher: {method: GET, path: /hello}
      response:
        statusCode: 200
        headers: {Content-Type: application/json}
        body: '{"message": "Hello from mockd!", "timestamp": "{{now}}"}'
  - id: default-echo
    name: Echo
    type: http
    http:
      matcher: {method: POST, path: '/echo/{id}'}
      response:
        statusCode: 200
        headers: {Content-Type: application/json}
        body: >-
          {"id": "{{request.pathParam.id}}", "received": {{request.rawBody}},
          "method": "{{request.method}}"}
  - id: default-health-check
    name: Health Check
    type: http
    http:
      matcher: {method: GET, path: /health}
      response:
        statusCode: 200
        headers: {Content-Type: application/json}
        body: '{"status": "ok", "timestamp": "{{timestamp}}"}'
""",
    ),
    "crud": (
        "Full REST CRUD API for resources",
        """# mockd init --template crud: list, create, read, update and delete of /api/resources.
# Start: mockd start --config mockd.yaml    Try: curl http://localhost:4280/api/resources
version: "1.0"
mocks:
  - id: crud-list-resources
    name: List Resources
    type: http
    http:
      matcher: {method: GET, path: /api/resources}
      response:
        statusCode: 200
        headers: {Content-Type: application/json}
        body: >-
          {"data": [{"id": "res_001", "name": "First"}, {"id": "res_002", "name": "Second"}],
          "meta": {"total": 2}}
  - id: crud-create-resource
    name: Create Resource
    type: http
    http:
      matcher: {method: POST, path: /api/resources}
      response:
        statusCode: 201
        headers: {Content-Type: application/json}
        body: '{"id": "res_{{uuid}}", "name": "{{request.body.name}}", "createdAt": "{{now}}"}'
  - id: crud-get-resource
    name: Get Resource
    type: http
    http:
      matcher: {method: GET, path: '/api/resources/{id}'}
      response:
        statusCode: 200
        headers: {Content-Type: application/json}
        body: '{"id": "{{request.pathParam.id}}", "name": "First"}'
  - id: crud-update-resource
    name: Update Resource
    type: http
    http:
      matcher: {method: PUT, path: '/api/resources/{id}'}
      response:
        statusCode: 200
        headers: {Content-Type: application/json}
        body: '{"id": "{{request.pathParam.id}}", "name": "{{request.body.name}}", "updatedAt": "{{now}}"}'
  - id: crud-delete-resource
    name: Delete Resource
    type: http
    http:
      matcher: {method: DELETE, path: '/api/resources/{id}'}
      response:
        statusCode: 204
""",
    ),
    "websocket-chat": (
        "Chat room WebSocket endpoint with echo",
        """# mockd init --template websocket-chat: a chat room that echoes and answers "ping".
# Start: mockd start --config mockd.yaml    Try: websocat ws://localhost:4280/ws/chat
version: "1.0"
mocks:
  - id: ws-websocket-chat
    name: Chat Room
    type: websocket
    websocket:
      path: /ws/chat
      echoMode: true
      matchers:
        - match: {type: exact, value: ping}
          response: {type: text, value: pong}
        - match: {type: json, path: $.type, value: join}
          response:
            type: json
            value: {type: joined, message: Welcome to the chat room!}
""",
    ),
    "graphql-api": (
        "GraphQL API with User CRUD resolvers",
        """# mockd init --template graphql-api: users over GraphQL, with introspection for tools.
# Start: mockd start --config mockd.yaml
# Try:   curl localhost:4280/graphql -H 'Content-Type: application/json' -d '{"query":"{ users { id } }"}'
version: "1.0"
mocks:
  - id: graphql-graphql-api
    name: GraphQL API
    type: graphql
    graphql:
      path: /graphql
      introspection: true
      schema: |
        type Query {
          users: [User!]!
          user(id: ID!): User
        }
        type Mutation {
          createUser(name: String!, email: String!): User!
          deleteUser(id: ID!): Boolean!
        }
        type User {
          id: ID!
          name: String!
          email: String!
        }
      resolvers:
        Query.users:
          response:
            - {id: "1", name: Alice, email: alice@example.com}
            - {id: "2", name: Bob, email: bob@example.com}
        Query.user:
          response: {id: "1", name: Alice, email: alice@example.com}
        Mutation.createUser:
          response: {id: "3", name: Carol, email: carol@example.com}
        Mutation.deleteUser:
          response: true
""",
    ),
    "grpc-service": (
        "gRPC Greeter service with reflection",
        """# mockd init --template grpc-service: a Greeter service on port 50051, with reflection.
# Start: mockd start --config mockd.yaml    Try: grpcurl -plaintext localhost:50051 list
version: "1.0"
mocks:
  - id: grpc-grpc-greeter
    name: Greeter Service
    type: grpc
    grpc:
      port: 50051
      reflection: true
      protoContent: |
        syntax = "proto3";
        package helloworld;
        service Greeter {
          rpc SayHello (HelloRequest) returns (HelloReply) {}
        }
        message HelloRequest {
          string name = 1;
        }
        message HelloReply {
          string message = 1;
        }
      services:
        helloworld.Greeter:
          methods:
            SayHello:
              response: {message: "Hello, World!"}
""",
    ),
    "mqtt-iot": (
        "MQTT broker with IoT sensor topics",
        """# mockd init --template mqtt-iot: a broker on port 1883 publishing sensor readings.
# Start: mockd start --config mockd.yaml    Try: mosquitto_sub -p 1883 -t 'sensors/#'
version: "1.0"
mocks:
  - id: mqtt-mqtt-iot-broker
    name: IoT MQTT Broker
    type: mqtt
    mqtt:
      port: 1883
      topics:
        - topic: sensors/temperature
          qos: 1
          retain: true
          messages:
            - payload: '{"deviceId": "temp_001", "value": 21.5, "unit": "celsius"}'
              interval: 5s
              repeat: true
""",
    ),
}

# id -> description of the project templates, printed after the protocol list.
PROJECT_TEMPLATES = {
    "minimal": "Just admin + engine + one health mock",
    "full": "Admin + engine + workspace + sample mocks",
    "api": "REST API mocking with CRUD examples",
}

PROJECT_HEADER = """# mockd.yaml
# Generated by: mockd init
# Start: mockd start --config mockd.yaml   (the Go tool: mockd up)
# Try:   curl http://localhost:4280/health

"""


def _mock(
    mock_id: str, method: str, path: str, status: int, body: str, *, typed: bool = True
) -> dict[str, Any]:
    matcher: dict[str, Any] = {"method": method, "path": path} if method else {"path": path}
    response: dict[str, Any] = {"statusCode": status}
    if typed:
        response["headers"] = dict(JSON)
    if body:
        response["body"] = body
    http = {"matcher": matcher, "response": response}
    return {"id": mock_id, "workspace": "default", "type": "http", "http": http}


HEALTH = '{"status": "ok"}'


def project(*, admin_port: int = 4290, http_port: int = 4280, https_port: int | None = None,
            auth: str = "none", description: str = "",
            mocks: list[dict[str, Any]] | None = None) -> dict[str, Any]:  # fmt: skip
    """A project config in the Go `mockd up` shape: one admin `local`, one engine `default`, one workspace."""
    engine: dict[str, Any] = {"name": "default", "httpPort": http_port}
    if https_port is not None:
        engine["httpsPort"] = https_port
    engine["admin"] = "local"
    if https_port is not None:
        engine["tls"] = {"enabled": True, "autoGenerateCert": True}
    workspace: dict[str, Any] = {"name": "default"}
    if description:
        workspace["description"] = description
    workspace["engines"] = ["default"]
    return {
        "version": "1.0",
        "admins": [{"name": "local", "port": admin_port, "auth": {"type": auth}}],
        "engines": [engine],
        "workspaces": [workspace],
        "mocks": mocks if mocks is not None else [_mock("health", "", "/health", 200, HEALTH, typed=False)],
    }


def project_template(name: str) -> dict[str, Any] | None:
    """The named project template, or None when there is none by that name."""
    name = name.lower()
    health = _mock("health", "", "/health", 200, HEALTH)
    if name == "minimal":
        return project()
    if name == "full":
        return project(description="Default workspace for development", mocks=[
            health,
            _mock("hello", "GET", "/hello", 200, '{"message": "Hello from mockd!"}'),
            _mock("echo", "POST", "/echo", 200, '{"received": {{request.rawBody}}}'),
        ])  # fmt: skip
    if name == "api":
        user = '"name": "{{request.body.name}}", "email": "{{request.body.email}}"'
        return project(description="REST API mocking workspace", mocks=[
            health,
            _mock("users-list", "GET", "/api/users", 200,
                  '{"users": [{"id": 1, "name": "Alice", "email": "alice@example.com"}, '
                  '{"id": 2, "name": "Bob", "email": "bob@example.com"}]}'),
            _mock("users-get", "GET", "/api/users/{id}", 200,
                  '{"id": "{{request.pathParam.id}}", "name": "Alice", "email": "alice@example.com"}'),
            _mock("users-create", "POST", "/api/users", 201, '{"id": 3, ' + user + "}"),
            _mock("users-update", "PUT", "/api/users/{id}", 200,
                  '{"id": "{{request.pathParam.id}}", ' + user + "}"),
            _mock("users-delete", "DELETE", "/api/users/{id}", 204, ""),
        ])  # fmt: skip
    return None
