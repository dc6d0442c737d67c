"""The seam between the compiler, the runtime and each protocol module.

A protocol module named in `SERVED` provides two functions:

- `build(mock: dict) -> tuple[RouteSpec | None, dict]`: at compile time (config files, `mockd compile`, and
  each mock created over the admin API), the route the Rust matcher should match for this mock (None for
  mocks that are not reached through the HTTP matcher) and a JSON-serialisable spec the plan carries.
  It may raise `ProtocolBuildError` for what validation could not catch; the compiler reports it with the
  mock's location.
- `responder(spec: dict, env: ServeEnv) -> Responder`: at route-table build time, the object that answers a
  matched request. Built once per table build, so parsing (SDL, WSDL, keys) happens there, not per request.

A module may also provide `check(spec: dict, base_dir: str) -> None`, raising `ProtocolBuildError` for
problems in the files the mock names (a GraphQL `schemaFile`, a WSDL file): the compiler calls it for config
files, where it knows the folder those names resolve against.

A spec with an `upgradePath` key (a route of None) is served to WebSocket upgrades at exactly that path: the
responder then has `async upgrade(scope, proto) -> int` (Granian's RSGI WebSocket protocol). A responder may
have `retire()`, called when its mock is replaced or removed, to end the connections it still serves.

The runtime wraps a responder in a `Target` (runtime/protocols.py), so counting, the request log,
`/requests/stream` and verification see protocol mocks exactly as they see HTTP ones.

A spec with a `listenPort` key (a route of None) is served on that port by its own server: the runtime
groups the enabled mocks of such a kind by port and hands their responders to the module's hub
(runtime/ownports.py); `grpc` and `mqtt` are such kinds.

Modules are imported lazily on first use: a mock set that uses no protocol pays nothing for them (neither
import time nor memory), and the plain HTTP hot path never looks here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable

    from mockd.bodyfile import BodyFilePolicy
    from mockd.plan.model import ProtocolAction, RouteSpec

# protocol kind -> module. A kind absent here is kept in the plan as `unsupported` (a clear 501 or warning).
SERVED: dict[str, str] = {
    "graphql": "mockd.protocols.graphql",
    "oauth": "mockd.protocols.oauth",
    "soap": "mockd.protocols.soap",
    "sse": "mockd.protocols.sse",
    "chunked": "mockd.protocols.chunked",
    "websocket": "mockd.protocols.websocket",
    "grpc": "mockd.protocols.grpc",
    "mqtt": "mockd.protocols.mqtt",
}


class ProtocolBuildError(ValueError):
    """A protocol mock that passed validation but cannot be built (the message names the field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class TableError(Exception):
    """A stateful action that failed; `client` is True for the caller's mistakes (not found, conflict,
    validation), False for the server's."""

    def __init__(self, message: str, *, client: bool) -> None:
        super().__init__(message)
        self.message = message
        self.client = client


class TableAccess(Protocol):
    """The stateful tables as a protocol mock's `statefulBinding` uses them (runtime/protocols.py)."""

    def run(self, table: str, action: str, operation: str, data: dict[str, Any]) -> tuple[str, Any]:
        """Run one action: ("item", view), ("list", (views, meta)) or ("done", None); raises TableError."""
        ...

    async def run_durably(
        self, table: str, action: str, operation: str, data: dict[str, Any]
    ) -> tuple[str, Any]:
        """`run`, then, with `--data-dir`, wait until what it changed is committed (so the reply is sent only
        for a change that survives a crash); a failed write raises TableError (the server's)."""
        ...


class PortUnavailableError(RuntimeError):
    """A protocol that listens on its own port (gRPC) could not bind it: another process holds it."""

    def __init__(self, port: int, what: str) -> None:
        super().__init__(f"{what} port {port} is already in use")
        self.port = port
        self.what = what


@dataclass(frozen=True, slots=True)
class ServeEnv:
    """What a responder may use from the running server, without importing the runtime."""

    mock_id: str
    base_dir: str  # where the mock's relative file names resolve
    files: BodyFilePolicy  # how its files may be read (size cap; the body-file root for admin-created mocks)
    # Records protocol detail (GraphQL operation, WebSocket messages) on the request's log entry.
    note: Callable[[Any, dict[str, Any]], None] | None = None
    # The stateful tables, for protocol mocks bound to them (SOAP `statefulBinding`).
    tables: TableAccess | None = None


class Responder(Protocol):
    async def respond(self, req: Any, proto: Any) -> int:
        """Answer one matched request (`req` is runtime.targets.RequestView); returns the status written."""
        ...


class ProtocolModule(Protocol):
    def build(self, mock: dict[str, Any]) -> tuple[RouteSpec | None, dict[str, Any]]: ...

    def responder(self, spec: dict[str, Any], env: ServeEnv) -> Responder: ...


def kind_of(mock: dict[str, Any]) -> str | None:
    """The protocol kind of a mock in admin shape: `sse`/`chunked` for streaming HTTP mocks, the mock's type
    for non-HTTP ones, None for a plain HTTP mock."""
    kind = mock.get("type") or "http"
    if kind != "http":
        return str(kind)
    http = mock.get("http") or {}
    if http.get("sse") is not None:
        return "sse"
    if http.get("chunked") is not None:
        return "chunked"
    return None


def check_files(action: ProtocolAction, base_dir: str) -> ProtocolBuildError | None:
    """The problem `action`'s module finds in the files its mock names, if any (modules without `check`
    name none)."""
    module = load(action["protocol"])
    check = getattr(module, "check", None)
    if check is None:
        return None
    try:
        check(action["spec"], base_dir)
    except ProtocolBuildError as e:
        return e
    return None


def load(kind: str) -> ProtocolModule | None:
    """The module serving `kind`, or None when it is not served (yet)."""
    name = SERVED.get(kind)
    if name is None:
        return None
    module: Any = importlib.import_module(name)
    return module  # type: ignore[no-any-return]
