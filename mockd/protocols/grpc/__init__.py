"""gRPC mocks (`type: grpc`; protocols-reference §4) on their own ports, served by `grpc.aio` on the mock
server's event loop.

- `proto`: `.proto` files compiled at load by grpcio-tools' protoc into a descriptor pool (no generated code);
- `config`: the `services` block (method configs, variants, delays, matching);
- `calls`: one call of each streaming kind, status codes and google.rpc details, the log record;
- `hub`: the per-port servers, reflection and health;
- `service`: a mock as the runtime holds it.

The mock has no HTTP route (`build` returns None); the runtime hands every enabled gRPC mock's responder to
the hub, grouped by `grpc.port`.
"""

from __future__ import annotations

from typing import Any

from mockd.plan.model import RouteSpec
from mockd.protocols.grpc.config import parse_services
from mockd.protocols.grpc.proto import ProtoError
from mockd.protocols.registry import ProtocolBuildError, ServeEnv


def build(mock: dict[str, Any]) -> tuple[RouteSpec | None, dict[str, Any]]:
    """No HTTP route; the spec is the `grpc` block plus `listenPort`, which the runtime groups mocks by."""
    spec = mock.get("grpc") or {}
    parse_services(spec.get("services"))  # raises ProtocolBuildError for what validation let through
    return None, {"listenPort": spec.get("port"), "grpc": spec}


def check(spec: dict[str, Any], base_dir: str) -> None:
    """The protos compile (file:line:col from protoc otherwise)."""
    from mockd.protocols.grpc.service import compile_spec

    try:
        compile_spec(spec["grpc"], base_dir)
    except ProtoError as e:
        raise ProtocolBuildError(e.field, e.message) from None


def responder(spec: dict[str, Any], env: ServeEnv) -> Any:
    from mockd.protocols.grpc.service import GrpcMock

    try:
        return GrpcMock(spec["grpc"], env)
    except ProtoError as e:
        raise ProtocolBuildError(e.field, e.message) from None
