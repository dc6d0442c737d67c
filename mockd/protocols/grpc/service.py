"""One `type: grpc` mock as the runtime holds it: its compiled protos and parsed method configs.

It is the mock's responder in the protocol seam, but it never answers HTTP (the mock has no route): the
gRPC hub serves it on its port.
"""

from __future__ import annotations

from typing import Any

from mockd.protocols.grpc.config import MethodConfig, parse_services
from mockd.protocols.grpc.proto import ProtoSet, compile_protos
from mockd.protocols.registry import ServeEnv


def compile_spec(spec: dict[str, Any], base_dir: str) -> ProtoSet:
    return compile_protos(
        proto_file=spec.get("protoFile") or "",
        proto_files=spec.get("protoFiles") or [],
        content=spec.get("protoContent") or "",
        import_paths=spec.get("importPaths") or [],
        base_dir=base_dir,
    )


class GrpcMock:
    __slots__ = ("configs", "env", "port", "protos", "reflection")

    def __init__(self, spec: dict[str, Any], env: ServeEnv) -> None:
        self.env = env
        self.port: int = spec["port"]
        self.reflection = bool(spec.get("reflection"))
        self.configs: dict[str, dict[str, MethodConfig]] = parse_services(spec.get("services"))
        self.protos = compile_spec(spec, env.base_dir)

    async def respond(self, req: Any, proto: Any) -> int:
        """Never reached (no HTTP route); answers like an unserved mock if it ever were."""
        proto.response_bytes(404, [("content-type", "text/plain")], b"gRPC mocks are served on their port")
        return 404
