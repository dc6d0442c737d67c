"""What runs inside a worker process: a runtime whose journal ships entries to the owner and whose route
table relays every route it does not answer itself, and the mock app that serves it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockd.gocompat import gojson
from mockd.runtime.app import MockApp
from mockd.runtime.body import BodyIncomplete, BodyTooLarge, read_body
from mockd.runtime.store import MockStore
from mockd.runtime.targets import JSON_HEADERS
from mockd.runtime.workers.relay import OwnerLink, RelayTarget
from mockd.runtime.workers.shipping import WorkerJournal
from mockd.runtime.world import Runtime

if TYPE_CHECKING:
    from mockd.plan.model import CompiledMock, ResponseSpec, RouteSpec
    from mockd.runtime.options import ServerOptions
    from mockd.runtime.targets import Target


def needs_owner(compiled: CompiledMock) -> bool:
    """True for mocks a worker relays: anything but a plain response (stateful, protocol, unsupported), and
    templates that may call `sequence()` (a per-process counter that must stay one sequence)."""
    action = compiled["action"]
    if action["kind"] != "response":
        return True
    spec: ResponseSpec = action["response"]
    if not spec["templated"]:
        return False
    if spec["bodyFile"]:  # the template is in a file read per request: it could use anything
        return True
    return "sequence" in spec["body"] or any("sequence" in v for _, v in spec["headers"])


class WorkerRuntime(Runtime):
    journal_factory = WorkerJournal

    def __init__(self, options: ServerOptions, owner_port: int) -> None:
        self.link = OwnerLink(owner_port)
        self.relay_target = RelayTarget(self.link)
        self.route_specs: list[RouteSpec] = []
        super().__init__(options)
        # The owner's generated routes (legacy `basePath` resources), all relayed; tables live on the owner.
        self.store = MockStore(
            self.make_target,
            lambda: [(s, self.relay_target) for s in self.route_specs],
            hits=self.journal.metrics.hits,
        )

    def make_target(self, compiled: CompiledMock) -> Target:
        if needs_owner(compiled):
            return self.relay_target
        return super().make_target(compiled)

    def apply(self, state: dict[str, Any]) -> None:
        """Install the owner's current state (see `owner.snapshot`). Runs on the worker's loop thread."""
        self.sources = state["sources"]
        self.route_specs = state["routes"]
        self.store.route_prefixes = state["prefixes"]
        self.store.load(state["mocks"])
        self.ready = True


_TOO_LARGE = gojson.marshal(
    {"error": "body_too_large", "message": "Request body exceeds maximum allowed size"}, sort_keys=True
)
_INCOMPLETE = gojson.marshal(
    {"error": "incomplete_body", "message": "Request body ended before it was complete"}, sort_keys=True
)


class WorkerApp(MockApp):
    """The mock app of a worker. While chaos is on (`relay_all`), every HTTP request goes to the owner, whose
    injector keeps one fault sequence and one set of stats, as with one process."""

    def __init__(self, rt: WorkerRuntime) -> None:
        super().__init__(rt)
        self.link = rt.link
        self.relay_all = False

    async def __rsgi__(self, scope: Any, proto: Any) -> None:
        if not self.relay_all or scope.proto == "ws":
            await MockApp.__rsgi__(self, scope, proto)
            return
        try:
            body = await self._wait(read_body(proto, scope.headers, scope.method))
        except BodyTooLarge:
            proto.response_bytes(413, JSON_HEADERS, _TOO_LARGE)
            return
        except BodyIncomplete:
            proto.response_bytes(400, JSON_HEADERS, _INCOMPLETE)
            return
        await self._wait(self.link.relay(scope, proto, body))

    def apply(self, state: dict[str, Any]) -> None:
        rt: WorkerRuntime = self.rt  # type: ignore[assignment]  # always a WorkerRuntime here
        rt.apply(state)
        self.relay_all = state["relay_all"]
