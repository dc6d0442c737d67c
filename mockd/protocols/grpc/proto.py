"""`.proto` files compiled when mocks load, with the protoc that `grpcio-tools` bundles.

No generated code: protoc writes a `FileDescriptorSet` (imports included), and the descriptors go into a
private `DescriptorPool`, from which request and response message classes are made. protoc runs in this
process; it reports errors on the process's stderr, so that is pointed at a temporary file while it runs,
where its `file:line:col: message` lines are read from.

Compiles are cached by their inputs (file names, sizes and modification times, or the inline text), so the
compiler's check and the runtime's build of the same mock pay for one protoc run.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from dataclasses import dataclass
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

INLINE_NAME = "inline.proto"  # the virtual file name `protoContent` compiles as (as in the Go tool)
_CACHE: dict[tuple[Any, ...], ProtoSet] = {}
_CACHE_LIMIT = 256
_PROTOC_LOCK = threading.Lock()


class ProtoError(ValueError):
    """A proto that does not compile: `field` names the config key, the message holds protoc's
    `file:line:col: message` lines."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Method:
    name: str
    kind: str  # unary | client_stream | server_stream | bidi (the request log's streamType words)
    request: Any  # message class
    response: Any  # message class


@dataclass(frozen=True, slots=True)
class ProtoSet:
    """What one mock's protos define: the pool, the services of its root files, and the file protos (so a
    port serving several mocks can merge them into one pool for reflection)."""

    pool: descriptor_pool.DescriptorPool
    services: dict[str, dict[str, Method]]  # full service name -> method name -> method
    files: tuple[descriptor_pb2.FileDescriptorProto, ...]


def _well_known_dir() -> str:
    import grpc_tools  # a heavy import, done only once some gRPC mock is compiled

    return os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")


def _kind(m: descriptor_pb2.MethodDescriptorProto) -> str:
    if m.client_streaming and m.server_streaming:
        return "bidi"
    if m.client_streaming:
        return "client_stream"
    if m.server_streaming:
        return "server_stream"
    return "unary"


def _resolve(path: str, base_dir: str) -> str:
    return os.path.abspath(os.path.join(base_dir, path))  # an absolute `path` stays as it is


def _key(files: list[str], import_paths: list[str], content: str | None) -> tuple[Any, ...]:
    stamps = []
    for f in files:
        try:
            st = os.stat(f)
            stamps.append((f, st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append((f, -1, -1))
    return (tuple(stamps), tuple(import_paths), content)


def compile_protos(
    *, proto_file: str = "", proto_files: list[str] | None = None, content: str = "",
    import_paths: list[str] | None = None, base_dir: str = ".",
) -> ProtoSet:  # fmt: skip
    """Compile a mock's protos. Relative names resolve against `base_dir` (the config file's folder).
    Raises ProtoError naming the config field."""
    imports = [_resolve(p, base_dir) for p in import_paths or []]
    if content:
        key = _key([], [], content)
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
        with tempfile.TemporaryDirectory(prefix="mockd-proto-") as tmp:
            with open(os.path.join(tmp, INLINE_NAME), "w", encoding="utf-8") as fh:
                fh.write(content)
            shown = {os.path.join(tmp, INLINE_NAME): INLINE_NAME}  # protoc names it by its disk path
            result = _run([tmp], [INLINE_NAME], "grpc.protoContent", shown)
        return _remember(key, result)
    listed = ([proto_file] if proto_file else []) + list(proto_files or [])
    field = "grpc.protoFile" if proto_file else "grpc.protoFiles"
    roots = [_resolve(p, base_dir) for p in listed]
    for given, path in zip(listed, roots, strict=True):
        if not os.path.isfile(path):
            raise ProtoError(field, f"proto file not found: {given} (looked for {path})")
    key = _key(roots, imports, None)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    # Imports resolve in importPaths, then each root file's folder (the Go tool's order).
    includes = [*imports]
    for r in roots:
        d = os.path.dirname(r)
        if d not in includes:
            includes.append(d)
    names, shown = [], {}
    for r in roots:
        inc = next(i for i in includes if os.path.commonpath([i, r]) == i)
        name = os.path.relpath(r, inc)
        names.append(name)
        shown[name] = r
    return _remember(key, _run(includes, names, field, shown))


def _remember(key: tuple[Any, ...], result: ProtoSet) -> ProtoSet:
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[key] = result
    return result


def _run(includes: list[str], names: list[str], field: str, shown: dict[str, str]) -> ProtoSet:
    with tempfile.TemporaryDirectory(prefix="mockd-protoc-") as tmp:
        out = os.path.join(tmp, "set.pb")
        args = [*(f"-I{i}" for i in includes), f"-I{_well_known_dir()}", f"--descriptor_set_out={out}"]
        returncode, stderr = _protoc([*args, "--include_imports", *names])
        if returncode != 0 or not os.path.exists(out):
            raise ProtoError(field, _protoc_message(stderr, shown))
        with open(out, "rb") as fh:
            fds = descriptor_pb2.FileDescriptorSet.FromString(fh.read())
    return _load(fds, set(names))


def _protoc(args: list[str]) -> tuple[int, str]:
    """Run grpcio-tools' protoc in this process (about a millisecond, where a child process costs a Python
    start-up per proto). protoc writes its errors to file descriptor 2, so that descriptor points at a
    temporary file for the call; the lock keeps two compiles from sharing it."""
    from grpc_tools import protoc

    with _PROTOC_LOCK, tempfile.TemporaryFile() as err:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(err.fileno(), 2)
        try:
            returncode = protoc.main(["protoc", *args])
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        err.seek(0)
        return int(returncode), err.read().decode("utf-8", "replace")


def _protoc_message(stderr: str, shown: dict[str, str]) -> str:
    """protoc's error lines, each `file:line:col: message`, with a root file named by its full path."""
    lines = []
    for line in stderr.strip().splitlines():
        name, sep, rest = line.partition(":")
        lines.append(f"{shown[name]}{sep}{rest}" if name in shown else line)
    return "proto does not compile: " + "; ".join(lines or ["protoc failed"])


def _load(fds: descriptor_pb2.FileDescriptorSet, roots: set[str]) -> ProtoSet:
    pool = descriptor_pool.DescriptorPool()
    for f in fds.file:  # protoc writes dependencies before their dependents
        pool.Add(f)
    services: dict[str, dict[str, Method]] = {}
    for f in fds.file:
        if f.name not in roots:
            continue  # services only from the listed files, not from their imports
        for s in f.service:
            full = f"{f.package}.{s.name}" if f.package else s.name
            sd = pool.FindServiceByName(full)
            methods = {}
            for mp in s.method:
                md = sd.methods_by_name[mp.name]
                methods[mp.name] = Method(
                    mp.name,
                    _kind(mp),
                    message_factory.GetMessageClass(md.input_type),
                    message_factory.GetMessageClass(md.output_type),
                )
            services[full] = methods
    return ProtoSet(pool, services, tuple(fds.file))
