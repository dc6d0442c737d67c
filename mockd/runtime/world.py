"""The runtime's shared state: one `Runtime` serves both ports from one process and one event loop."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any, Protocol

from mockd.bodyfile import BodyFilePolicy
from mockd.chaos.injector import Injector
from mockd.runtime.cors import CorsPolicy
from mockd.runtime.folders import Folders
from mockd.runtime.journal import Journal
from mockd.runtime.ownports import OwnPorts
from mockd.runtime.passthrough import Forwarding, MissFallback
from mockd.runtime.protocols import protocol_target
from mockd.runtime.state import StateStore
from mockd.runtime.store import MockStore
from mockd.runtime.targets import DynamicResponseTarget, StaticTarget, Target, UnavailableTarget
from mockd.runtime.templating import compile_renderers
from mockd.runtime.validated import validated
from mockd.runtime.workspaces import Workspaces

# Streaming and protocol mocks answer before `http.validation` runs, as in the Go tool.
_UNVALIDATED = ("unsupported", "protocol")

if TYPE_CHECKING:
    from mockd.chaos.spec import ChaosSpec
    from mockd.plan.model import CompiledMock, CompiledPlan, SourceInfo
    from mockd.recording.store import RecordingStore
    from mockd.runtime.options import ServerOptions


class Persisting(Protocol):
    """What the server and the admin API need of `mockd.runtime.persist.Persister` (named structurally, so
    the runtime's core does not import the module that imports it)."""

    async def flush(self) -> None: ...
    def start(self) -> None: ...
    def close(self) -> None: ...


class Cluster(Protocol):
    """What the admin API needs of `mockd.runtime.workers` (`--workers N`): a flush barrier before every admin
    call (workers' buffered log entries reach the journal first) and a state push after it (a changed mock
    set is live in every worker before the call returns). Named structurally, as `Persisting`."""

    async def before_admin(self, method: str, path: str) -> None: ...
    async def after_admin(self) -> None: ...


class SharedLink(Protocol):
    """What the server and the admin API need of the `--shared-state` link to Redis (mockd/runtime/shared):
    started on the server's loop before the ports listen (it adopts or seeds the mocks), closed after they
    stop, and its standing for `GET /shared-state`. Named structurally, as `Persisting`."""

    async def start(self) -> None: ...
    async def close(self) -> None: ...
    def status(self) -> dict[str, Any]: ...


class Runtime:
    # A worker process (`--workers N`) swaps in a journal that buffers entries for the owner.
    journal_factory: type[Journal] = Journal

    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        self.journal = self.journal_factory(options.journal)
        self.sources: list[SourceInfo] = []
        # CORS on the mock port (reference §3.10): on by default, origins replaceable by --cors-origins.
        self.cors: CorsPolicy | None = (
            CorsPolicy.from_origins_flag(options.cors_origins)
            if options.cors_origins
            else CorsPolicy.default()
        )
        # Stateful resources (tables): served from Python state in this process, so a reset made over the
        # admin API is seen by the very next request. Legacy `basePath` resources add routes of their own.
        self.state = StateStore(self.file_access, lambda: self.store.rebuild(), self.cors)
        self.store = MockStore(self.make_target, self.state.resource_routes, hits=self.journal.metrics.hits)
        self.started_at = time.time()
        # Responses sleeping out a mock's delay right now (a gauge in /metrics): how a test or an operator
        # sees that delayed requests have reached the server and hold no worker.
        self.delayed_in_flight = 0
        # Chaos (mockd.chaos): None when off, so the mock port pays one attribute read. Replaced whole on
        # every reconfiguration (stats and fault state restart, as in the Go tool).
        self.chaos: Injector | None = None
        self.chaos_in_flight = 0  # requests sleeping out a chaos delay or timeout right now (/metrics)
        self.chaos_totals: dict[str, int] = {}  # faults injected by type over the process's life (/metrics)
        # issue 17: passthrough mocks' upstreams and the --record store (runtime/passthrough.py), and what
        # answers a request no mock matched (replay, then --upstream); `fallback` is None unless configured,
        # so the miss path pays one attribute read and the match path nothing.
        self.forwarding = Forwarding(options)
        self.fallback: MissFallback | None = self.forwarding.fallback
        # Where recordings are kept (GET /recordings): the passthrough store when --record is on (or the
        # admin forward proxy's, once started).
        self.recordings: RecordingStore | None = self.forwarding.recordings
        self.ready = False
        # The config files' chaos settings (what `--watch` compares a new compile with: a reload replaces
        # chaos set over /chaos only when the files' own settings changed).
        self.config_chaos: ChaosSpec | None = None
        # `--data-dir`: writes admin changes and table items (mockd/runtime/persist.py); None: memory only.
        self.persister: Persisting | None = None
        # `--workers N` (mockd/runtime/workers): the owner's worker pool; None in one process and in workers.
        self.cluster: Cluster | None = None
        # `--shared-state redis://...` (mockd/runtime/shared): the link to the store; None otherwise.
        self.shared: SharedLink | None = None
        default_folder = str(options.data_dir / "workspaces" / "_default") if options.data_dir else ""
        self.workspaces = Workspaces(self.started_at, default_folder)
        self.workspaces.listeners.append(self.workspaces_changed)
        self.folders = Folders()  # organisation only: mocks' parentId (mockd/runtime/folders.py)
        # gRPC mocks' own ports (runtime/ownports.py), bound before an edit that adds one commits.
        self.own_ports = OwnPorts(options.host, self.journal, self.store)
        self.store.before_commit = self.own_ports.prepare

    def load(self, plan: CompiledPlan) -> None:
        """Install a compiled plan. Runs before the ports accept traffic."""
        self.sources = list(plan["sources"])
        self.state.load(plan["resources"], plan["customOperations"])
        self.store.load(plan["mocks"])
        self.config_chaos = plan.get("chaos")
        self.set_chaos(self.config_chaos)
        self.ready = True

    def workspaces_changed(self) -> None:
        """Rebuild the route table with the workspaces' URL prefixes (their mocks move with them)."""
        self.store.route_prefixes = self.workspaces.prefixes()
        self.store.rebuild()

    def set_chaos(self, spec: ChaosSpec | None, *, seed: int | None = None) -> None:
        """Install a validated chaos configuration (None or disabled: off). The seed is `seed`, else
        `--chaos-seed`, else the spec's own, else the clock."""
        if spec is None or not spec["enabled"]:
            self.chaos = None
            return
        if seed is None:
            seed = self.options.chaos_seed
        self.chaos = Injector(spec, seed=seed, totals=self.chaos_totals)

    def base_dir(self, source: int) -> str:
        """Where a mock's relative `bodyFile` resolves: its config file's folder; for mocks created over
        the admin API, the first config file's folder (as the Go tool), else the working directory."""
        if 0 <= source < len(self.sources):
            return self.sources[source]["baseDir"]
        return self.sources[0]["baseDir"] if self.sources else os.getcwd()

    def admin_body_root(self) -> str:
        """The folder admin-created `bodyFile`s resolve against and must lie in (mockd/bodyfile.py):
        `--body-file-root`, else the first config file's folder, else the working directory."""
        return os.path.realpath(self.options.body_file_root or self.base_dir(-1))

    def file_access(self, source: int) -> tuple[str, BodyFilePolicy]:
        """Where a mock's relative file names resolve, and how its files may be read (bodyFile, schemaRef).
        Mocks created over the admin API (source -1) are confined to the body-file root (issue 12)."""
        cap = self.options.max_body_file_bytes
        if source < 0:
            root = self.admin_body_root()
            return root, BodyFilePolicy(cap, root)
        return self.base_dir(source), BodyFilePolicy(cap)

    def make_target(self, compiled: CompiledMock) -> Target:
        """The route's target; a mock with `http.validation` rules gets it wrapped (runtime.validated).
        Unvalidated mocks keep their plain target, so static responses stay pre-encoded on the hot path."""
        target = self._target(compiled)
        http = compiled["mock"].get("http")
        if not http or http.get("validation") is None or compiled["action"]["kind"] in _UNVALIDATED:
            return target  # SSE/chunked mocks answer before validation in Go
        return validated(target, compiled, *self.file_access(compiled["source"]))

    def _target(self, compiled: CompiledMock) -> Target:
        mock_id = compiled["mock"]["id"]
        counter = self.journal.counter(mock_id)
        action = compiled["action"]
        if action["kind"] == "response":  # tested on the dict itself, so type checkers narrow the union
            spec = action["response"]
            if not spec["templated"] and (spec["body"] or not spec["bodyFile"]):
                return StaticTarget(mock_id, counter, spec)
            route = compiled["route"]
            # pathPattern routes hand their named groups to request.pathPattern.*, others to pathParam.*
            render_body, render_headers = compile_renderers(
                spec, pattern_captures=bool(route and route["pathPattern"])
            )
            base, files = self.file_access(compiled["source"])
            return DynamicResponseTarget(mock_id, counter, spec, base, files, render_body, render_headers)
        if action["kind"] == "passthrough":
            return self.forwarding.target(mock_id, counter, action)
        if action["kind"] == "unsupported":
            return UnavailableTarget(mock_id, counter, action["reason"])
        if action["kind"] == "protocol":
            tables = self.state.view(
                compiled["mock"].get("workspaceId") or ""
            )  # bindings: the mock's workspace
            return protocol_target(
                mock_id, counter, action, *self.file_access(compiled["source"]), tables=tables
            )
        return self.state.target_for(compiled, counter)
