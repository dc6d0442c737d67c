"""gRPC servers on their own ports: one `grpc.aio` server per port, on the mock server's event loop.

Every enabled `type: grpc` mock names a port; the mocks that share a port share its server. A server's
handler looks its mocks up at call time, so a mock added to, changed on or removed from a running port is
served from the next call without rebinding (calls in flight finish with the config they started with).
Reflection (`grpc.reflection.v1alpha` and `v1`, same messages) and health (`grpc.health.v1`) are served on
every port; reflection lists only the services of mocks with `reflection: true`.

A port is bound when its first mock arrives and closed when its last one goes. Binding happens before the
change is committed (see `sync`), so a busy port refuses the change and leaves everything as it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import grpc
from google.protobuf import descriptor_pool
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection, reflection_pb2, reflection_pb2_grpc

from mockd.protocols.grpc import calls
from mockd.protocols.grpc.calls import Call, CallFailed, CallHeaders, CallRecord
from mockd.protocols.registry import PortUnavailableError

if TYPE_CHECKING:
    from mockd.protocols.grpc.service import GrpcMock

log = logging.getLogger("mockd")
REFLECTION_V1 = "grpc.reflection.v1.ServerReflection"
_INTERNAL_SERVICES = (reflection.SERVICE_NAME, REFLECTION_V1, health.SERVICE_NAME)


@dataclass(frozen=True, slots=True)
class Served:
    """One enabled gRPC mock on a port. `token` comes back with each of its call records (the runtime's
    target, which counts the call)."""

    mock_id: str
    mock: GrpcMock
    token: Any


Recorder = Callable[[CallRecord, Any], None]


class _Port:
    """One listening port: its server, the mocks it serves now, its reflection and health services."""

    def __init__(self, port: int, host: str, recorder: Recorder) -> None:
        self.port = port
        self.entries: tuple[Served, ...] = ()
        self.recorder = recorder
        self.server = grpc.aio.server(options=[("grpc.so_reuseport", 0)])
        self.reflection = reflection.aio.ReflectionServicer([], pool=descriptor_pool.DescriptorPool())
        self.health = health.aio.HealthServicer()
        reflection_handler = grpc.stream_stream_rpc_method_handler(
            self.reflection.ServerReflectionInfo,
            request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
            response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString,
        )
        # v1 and v1alpha have the same messages: one servicer answers both names.
        v1 = grpc.method_handlers_generic_handler(REFLECTION_V1, {"ServerReflectionInfo": reflection_handler})
        self.server.add_generic_rpc_handlers((v1,))
        reflection_pb2_grpc.add_ServerReflectionServicer_to_server(self.reflection, self.server)
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        self.server.add_generic_rpc_handlers((_MockHandler(self),))
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        try:
            bound = self.server.add_insecure_port(address)
        except RuntimeError:
            bound = 0
        if bound != port:
            raise PortUnavailableError(port, "gRPC")

    async def start(self) -> None:
        await self.server.start()

    async def set_entries(self, entries: tuple[Served, ...]) -> None:
        self.entries = entries
        pool = descriptor_pool.DescriptorPool()
        added: set[str] = set()
        names: list[str] = []
        for e in entries:
            for f in e.mock.protos.files:
                if f.name not in added:
                    added.add(f.name)
                    with contextlib.suppress(TypeError, KeyError):  # a clashing definition stays out
                        pool.Add(f)
            if e.mock.reflection:
                names.extend(s for s in e.mock.protos.services if s not in names)
        # The servicer keeps these two attributes and reads them per request: replacing them is the update.
        self.reflection._service_names = tuple(sorted([*names, *_INTERNAL_SERVICES[:2]]))
        self.reflection._pool = pool
        await self.health.set("", health_pb2.HealthCheckResponse.SERVING)
        for e in entries:
            for s in e.mock.protos.services:
                await self.health.set(s, health_pb2.HealthCheckResponse.SERVING)

    async def stop(self) -> None:
        await self.server.stop(None)


def _split(full: str) -> tuple[str, str]:
    service, _, method = full.lstrip("/").rpartition("/")
    return service, method


class _MockHandler(grpc.GenericRpcHandler):
    """Every method path not taken by reflection or health: the port's mocks, looked up per call."""

    def __init__(self, port: _Port) -> None:
        self.port = port

    def service(self, handler_call_details: grpc.HandlerCallDetails) -> grpc.RpcMethodHandler | None:
        service, name = _split(handler_call_details.method)  # type: ignore[attr-defined]
        entries = self.port.entries
        defining = [e for e in entries if service in e.mock.protos.services]
        if not defining:
            return self._refuse(service, name, f"service {service} not found")
        method = defining[0].mock.protos.services[service].get(name)
        if method is None:
            return self._refuse(service, name, f"method {name} not found")
        for e in defining:
            cfg = e.mock.configs.get(service, {}).get(name)
            if cfg is not None and name in e.mock.protos.services[service]:
                return self._handler(e, service, e.mock.protos.services[service][name], cfg)
        return self._refuse(service, name, f"no mock configured for {service}/{name}")

    def _refuse(self, service: str, name: str, message: str) -> grpc.RpcMethodHandler:
        """UNIMPLEMENTED with the Go tool's message; a stream handler, so it fits any client kind."""
        recorder = self.port.recorder

        async def refuse(requests: Any, context: grpc.aio.ServicerContext) -> None:
            _, pairs = calls.metadata_of(context)
            peer = (context.peer() or "").removeprefix("ipv4:").removeprefix("ipv6:")
            record = CallRecord(method=name, path=f"/{service}/{name}", headers=CallHeaders(pairs),
                                client=peer, started=time.time(), code=12, code_name="UNIMPLEMENTED",
                                message=message)  # fmt: skip
            record.grpc = {"service": service, "methodName": name, "streamType": "unknown",
                           "statusCode": "UNIMPLEMENTED", "statusMessage": message}  # fmt: skip
            recorder(record, None)
            await context.abort(grpc.StatusCode.UNIMPLEMENTED, message)

        return grpc.stream_stream_rpc_method_handler(refuse)

    def _handler(self, entry: Served, service: str, method: Any, cfg: Any) -> grpc.RpcMethodHandler:
        recorder = self.port.recorder
        kind = method.kind

        def begin(context: Any) -> Call:
            return Call(service, method, cfg, context)

        def end(call: Call, cancelled: bool) -> None:
            recorder(call.finish(cancelled), entry.token)

        if kind == "unary" or kind == "client_stream":
            run = calls.unary if kind == "unary" else calls.client_stream

            async def single(arg: Any, context: Any) -> bytes | None:
                call = begin(context)
                cancelled = False
                try:
                    return await run(call, arg)  # type: ignore[arg-type]
                except CallFailed as exc:
                    await call.fail(exc)
                    return None
                except asyncio.CancelledError:
                    cancelled = True
                    raise
                finally:
                    end(call, cancelled)

            if kind == "unary":
                return grpc.unary_unary_rpc_method_handler(single)
            return grpc.stream_unary_rpc_method_handler(single)

        stream = calls.server_stream if kind == "server_stream" else calls.bidi

        async def many(arg: Any, context: Any) -> Any:
            call = begin(context)
            cancelled = False
            try:
                async for out in stream(call, arg):  # type: ignore[arg-type]
                    yield out
            except CallFailed as exc:
                await call.fail(exc)
            except asyncio.CancelledError:
                cancelled = True
                raise
            finally:
                end(call, cancelled)

        if kind == "server_stream":
            return grpc.unary_stream_rpc_method_handler(many)
        return grpc.stream_stream_rpc_method_handler(many)


class GrpcHub:
    """The gRPC ports of one server process."""

    def __init__(self, host: str, recorder: Recorder) -> None:
        self.host = host
        self.recorder = recorder
        self.ports: dict[int, _Port] = {}
        self._lock = asyncio.Lock()

    def listening(self) -> list[int]:
        return sorted(self.ports)

    async def sync(self, wanted: Mapping[int, Sequence[Served]]) -> None:
        """Serve exactly `wanted` (port -> its mocks in store order). New ports are bound first; if one is
        taken, the ones bound by this call are closed again and PortUnavailableError is raised, leaving the
        running ports as they were."""
        async with self._lock:
            fresh: dict[int, _Port] = {}
            try:
                for port in wanted:
                    if port not in self.ports:
                        fresh[port] = _Port(port, self.host, self.recorder)
            except PortUnavailableError:
                for p in fresh.values():
                    await p.stop()
                raise
            for port, p in fresh.items():
                await p.start()
                self.ports[port] = p
            for port, entries in wanted.items():
                await self.ports[port].set_entries(tuple(entries))
            for port in [p for p in self.ports if p not in wanted]:
                await self.ports.pop(port).stop()

    async def close(self) -> None:
        async with self._lock:
            for p in self.ports.values():
                await p.stop()
            self.ports.clear()
