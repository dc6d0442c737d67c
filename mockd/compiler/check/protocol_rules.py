"""Go's checks for the parts mockd keeps verbatim but does not serve yet: other protocols, SSE, chunked.

These mocks are accepted (with a warning that they are not served) so a config that loads in the Go tool loads
here; but one the Go tool *refuses* must be refused here too, with the same message, so these checks mirror
`pkg/mock/validator.go`. The specs are plain dicts (we do not model them), read with Go's zero values for
missing keys; a GraphQL inline schema is not parsed (the Go tool also rejects an unparsable one).
"""

from __future__ import annotations

import posixpath
from typing import Any, Protocol

from mockd.compiler.check.paths import unsafe_path
from mockd.compiler.models import Mock
from mockd.gocompat.positions import Path


class MockValidator(Protocol):
    """Where these checks report: `mock_rules.MockValidator` (kept structural so the two modules do not
    import each other)."""

    path: Path

    def error(self, go_field: str, message: str, slug: str, where: Path, *, at_key: bool = False) -> None: ...


_STATEFUL_ACTIONS = ("get", "list", "create", "update", "patch", "delete", "custom")


def _str(d: Any, key: str) -> str:
    value = d.get(key) if isinstance(d, dict) else None
    return value if isinstance(value, str) else ""


def _int(d: Any, key: str) -> int:
    value = d.get(key) if isinstance(d, dict) else None
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _bool(d: Any, key: str) -> bool:
    return isinstance(d, dict) and d.get(key) is True


def _list(d: Any, key: str) -> list[Any]:
    value = d.get(key) if isinstance(d, dict) else None
    return value if isinstance(value, list) else []


def _dict(d: Any, key: str) -> dict[str, Any] | None:
    value = d.get(key) if isinstance(d, dict) else None
    return value if isinstance(value, dict) else None


def _path_spec(spec: Any, name: str, base: Path, v: MockValidator) -> bool:
    """The `path` checks shared by websocket, graphql and soap; False when the path is unusable."""
    path = _str(spec, "path")
    if not path:
        v.error(f"{name}.path", "path is required", "path_required", (*base, "path"))
        return False
    if not path.startswith("/"):
        v.error(f"{name}.path", "path must start with /", "invalid_path", (*base, "path"))
        return False
    return True


def validate_protocol(m: Mock, v: MockValidator) -> None:
    name = m.type
    spec = getattr(m, name)
    base = (*v.path, name)
    labels = {
        "websocket": "WebSocket",
        "graphql": "GraphQL",
        "grpc": "gRPC",
        "soap": "SOAP",
        "mqtt": "MQTT",
        "oauth": "OAuth",
    }
    if spec is None:
        v.error(name, f"{name} spec is required for {labels[name]} mocks", f"{name}_required", base)
        return
    {
        "websocket": _websocket,
        "graphql": _graphql,
        "grpc": _grpc,
        "soap": _soap,
        "mqtt": _mqtt,
        "oauth": _oauth,
    }[name](spec, base, v)


def _websocket(spec: dict[str, Any], base: Path, v: MockValidator) -> None:
    _path_spec(spec, "websocket", base, v)


def _graphql(spec: dict[str, Any], base: Path, v: MockValidator) -> None:
    if not _path_spec(spec, "graphql", base, v):
        return
    schema, schema_file = _str(spec, "schema"), _str(spec, "schemaFile")
    if not schema and not schema_file:
        v.error("graphql", "one of schema or schemaFile is required", "schema_required", base)
    elif schema and schema_file:
        v.error("graphql", "cannot specify both schema and schemaFile", "schema_conflict", base)
    elif schema_file and unsafe_path(schema_file):
        v.error("graphql.schemaFile", "path cannot contain '..'", "unsafe_path", (*base, "schemaFile"))


def _grpc(spec: dict[str, Any], base: Path, v: MockValidator) -> None:
    port = _int(spec, "port")
    if port <= 0 or port > 65535:
        v.error("grpc.port", "port must be between 1 and 65535", "invalid_port", (*base, "port"))
        return
    proto_file, proto_files, content = (
        _str(spec, "protoFile"),
        _list(spec, "protoFiles"),
        _str(spec, "protoContent"),
    )
    if not proto_file and not proto_files and not content:
        v.error("grpc", "one of protoFile, protoFiles, or protoContent is required", "proto_required", base)
        return
    if content and proto_files:
        v.error("grpc", "cannot specify protoContent together with protoFiles", "proto_conflict", base)
        return
    if proto_file and proto_files:
        v.error("grpc", "cannot specify both protoFile and protoFiles", "proto_conflict", base)
        return
    if proto_file and unsafe_path(proto_file):
        v.error("grpc.protoFile", "path cannot contain '..'", "unsafe_path", (*base, "protoFile"))
    for key in ("protoFiles", "importPaths"):
        for i, item in enumerate(_list(spec, key)):
            if isinstance(item, str) and item and unsafe_path(item):
                v.error(f"grpc.{key}[{i}]", "path cannot contain '..'", "unsafe_path", (*base, key, i))


def _soap(spec: dict[str, Any], base: Path, v: MockValidator) -> None:
    if not _path_spec(spec, "soap", base, v):
        return
    wsdl, wsdl_file = _str(spec, "wsdl"), _str(spec, "wsdlFile")
    if wsdl and wsdl_file:
        v.error("soap", "cannot specify both wsdl and wsdlFile", "wsdl_conflict", base)
        return
    if wsdl_file and unsafe_path(wsdl_file):
        v.error("soap.wsdlFile", "path cannot contain '..'", "unsafe_path", (*base, "wsdlFile"))
        return
    for name, op in (_dict(spec, "operations") or {}).items():
        where = (*base, "operations", name)
        binding = _dict(op, "statefulBinding")
        if binding is not None:
            action = _str(binding, "action")
            if not _str(binding, "table"):
                v.error(
                    f"soap.operations[{name}].statefulBinding.table",
                    "table is required when statefulBinding is set",
                    "binding_table_required",
                    (*where, "statefulBinding"),
                )
            elif not action:
                v.error(
                    f"soap.operations[{name}].statefulBinding.action",
                    "action is required when statefulBinding is set",
                    "binding_action_required",
                    (*where, "statefulBinding"),
                )
            elif action not in _STATEFUL_ACTIONS:
                v.error(
                    f"soap.operations[{name}].statefulBinding.action",
                    f'invalid stateful action "{action}"; '
                    "valid values: get, list, create, update, patch, delete, custom",
                    "invalid_binding_action",
                    (*where, "statefulBinding", "action"),
                )
        elif not _str(op, "response") and _dict(op, "fault") is None:
            v.error(
                f"soap.operations[{name}]",
                "operation must have either response, fault, or statefulBinding",
                "operation_incomplete",
                where,
            )


def _mqtt(spec: dict[str, Any], base: Path, v: MockValidator) -> None:
    port = _int(spec, "port")
    if port <= 0 or port > 65535:
        v.error("mqtt.port", "port must be between 1 and 65535", "invalid_port", (*base, "port"))
        return
    tls = _dict(spec, "tls")
    if tls is not None and _bool(tls, "enabled"):
        for key in ("certFile", "keyFile"):
            value = _str(tls, key)
            if not value:
                v.error(
                    f"mqtt.tls.{key}",
                    f"{key} is required when TLS is enabled",
                    "tls_file_required",
                    (*base, "tls", key),
                )
                return
            if unsafe_path(value):
                v.error(f"mqtt.tls.{key}", "path cannot contain '..'", "unsafe_path", (*base, "tls", key))
                return
    auth = _dict(spec, "auth")
    if auth is not None and _bool(auth, "enabled"):
        users = _list(auth, "users")
        if not users:
            v.error(
                "mqtt.auth.users",
                "at least one user is required when auth is enabled",
                "users_required",
                (*base, "auth", "users"),
            )
            return
        for i, user in enumerate(users):
            if not _str(user, "username"):
                v.error(
                    f"mqtt.auth.users[{i}].username",
                    "username is required",
                    "username_required",
                    (*base, "auth", "users", i),
                )
                return
    for i, topic in enumerate(_list(spec, "topics")):
        if not _str(topic, "topic"):
            v.error(f"mqtt.topics[{i}].topic", "topic is required", "topic_required", (*base, "topics", i))
            return
        qos = _int(topic, "qos")
        if qos < 0 or qos > 2:
            v.error(
                f"mqtt.topics[{i}].qos", "qos must be 0, 1, or 2", "invalid_qos", (*base, "topics", i, "qos")
            )
            return


def _oauth(spec: dict[str, Any], base: Path, v: MockValidator) -> None:
    if not _str(spec, "issuer"):
        v.error("oauth.issuer", "issuer is required", "issuer_required", (*base, "issuer"))
        return
    clients = _list(spec, "clients")
    if not clients:
        v.error(
            "oauth.clients", "at least one client must be configured", "clients_required", (*base, "clients")
        )
        return
    for i, client in enumerate(clients):
        if not _str(client, "clientId"):
            v.error(
                f"oauth.clients[{i}].clientId",
                "clientId is required",
                "client_id_required",
                (*base, "clients", i),
            )
            return


def validate_sse(sse: dict[str, Any], base: Path, v: MockValidator) -> None:
    """`SSEConfig.Validate` (reference §9.4)."""
    events = _list(sse, "events")
    sources = sum((bool(events), _dict(sse, "generator") is not None, bool(_str(sse, "template"))))
    if sources == 0:
        v.error("sse", "one of events, generator, or template is required", "sse_source_required", base)
        return
    if sources > 1:
        v.error("sse", "events, generator, and template are mutually exclusive", "sse_source_conflict", base)
        return
    for i, event in enumerate(events):
        if not isinstance(event, dict) or event.get("data") is None:
            v.error(f"sse.events[{i}].data", "data is required", "sse_data_required", (*base, "events", i))
            return
    delay = _dict(_dict(sse, "timing") or {}, "randomDelay")
    if delay is not None:
        if _int(delay, "min") < 0:
            v.error(
                "sse.timing.randomDelay.min",
                "min must be >= 0",
                "invalid_delay",
                (*base, "timing", "randomDelay", "min"),
            )
            return
        if _int(delay, "max") < _int(delay, "min"):
            v.error(
                "sse.timing.randomDelay.max",
                "max must be >= min",
                "invalid_delay",
                (*base, "timing", "randomDelay", "max"),
            )
            return
    keepalive = _int(_dict(sse, "lifecycle") or {}, "keepaliveInterval")
    if keepalive != 0 and keepalive < 5:
        v.error(
            "sse.lifecycle.keepaliveInterval",
            "must be 0 (disabled) or >= 5 seconds",
            "invalid_keepalive",
            (*base, "lifecycle", "keepaliveInterval"),
        )
        return
    rate = _dict(sse, "rateLimit")
    if rate is not None:
        eps = rate.get("eventsPerSecond")
        if not isinstance(eps, int | float) or isinstance(eps, bool) or eps <= 0:
            v.error(
                "sse.rateLimit.eventsPerSecond",
                "must be > 0",
                "invalid_rate",
                (*base, "rateLimit", "eventsPerSecond"),
            )
            return
    resume = _dict(sse, "resume") or {}
    if _bool(resume, "enabled") and _int(resume, "bufferSize") <= 0:
        v.error(
            "sse.resume.bufferSize",
            "must be > 0 when resume is enabled",
            "invalid_buffer",
            (*base, "resume", "bufferSize"),
        )


def validate_chunked(chunked: dict[str, Any], base: Path, v: MockValidator) -> None:
    """`ChunkedConfig.Validate` (reference §9.4)."""
    data_file = _str(chunked, "dataFile")
    sources = sum((bool(_str(chunked, "data")), bool(data_file), bool(_list(chunked, "ndjsonItems"))))
    if sources == 0:
        v.error(
            "chunked", "one of data, dataFile, or ndjsonItems is required", "chunked_source_required", base
        )
        return
    if sources > 1:
        v.error(
            "chunked",
            "data, dataFile, and ndjsonItems are mutually exclusive",
            "chunked_source_conflict",
            base,
        )
        return
    if data_file and (unsafe_path(data_file) or posixpath.isabs(posixpath.normpath(data_file))):
        v.error(
            "chunked.dataFile",
            "path must be relative and cannot contain '..'",
            "unsafe_path",
            (*base, "dataFile"),
        )
        return
    if _int(chunked, "chunkSize") < 0:
        v.error("chunked.chunkSize", "must be >= 0", "invalid_chunk_size", (*base, "chunkSize"))
        return
    if _int(chunked, "chunkDelay") < 0:
        v.error("chunked.chunkDelay", "must be >= 0", "invalid_chunk_delay", (*base, "chunkDelay"))
