"""Protocol mocks as route targets: the runtime's only contact with mockd.protocols.

A `ProtocolTarget` is an ordinary non-static target, so the hot path treats it like a templated response:
counted, logged and verified the same way. Nothing here runs for plain HTTP mocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockd.protocols import registry
from mockd.runtime.targets import Target, UnavailableTarget

if TYPE_CHECKING:
    from mockd.bodyfile import BodyFilePolicy
    from mockd.plan.model import ProtocolAction
    from mockd.runtime.journal import Counter
    from mockd.runtime.targets import RequestView


class NotedScope:
    """The request's RSGI scope plus the protocol detail a responder noted (read by the request log, as
    chaoshook.ChaosScope carries a fault)."""

    __slots__ = ("_scope", "protocol_detail")

    def __init__(self, scope: Any, detail: dict[str, Any]) -> None:
        self._scope = scope
        self.protocol_detail = detail

    def __getattr__(self, name: str) -> Any:
        return getattr(self._scope, name)


def note(req: RequestView, detail: dict[str, Any]) -> None:
    """`ServeEnv.note`: attach `detail` (`{"protocol": "graphql", "graphql": {...}}`) to the request's log
    entry. The app logs `req.scope` after the responder returns, so this costs nothing to other requests."""
    req.scope = NotedScope(req.scope, detail)


class ProtocolTarget(Target):
    __slots__ = ("responder",)

    def __init__(self, log_id: str, counter: Counter | None, responder: registry.Responder) -> None:
        super().__init__(log_id, counter)
        self.responder = responder

    async def respond(self, req: RequestView, proto: Any) -> int:
        return await self.responder.respond(req, proto)


def protocol_target(
    mock_id: str, counter: Counter | None, action: ProtocolAction, base_dir: str, files: BodyFilePolicy
) -> Target:
    """The target of a protocol mock; a 501 when the plan names a protocol this build does not serve (a
    plan compiled by a build with more protocols)."""
    module = registry.load(action["protocol"])
    if module is None:
        return UnavailableTarget(mock_id, counter, f"{action['protocol']} mocks are not served by mockd yet")
    env = registry.ServeEnv(mock_id=mock_id, base_dir=base_dir, files=files, note=note)
    return ProtocolTarget(mock_id, counter, module.responder(action["spec"], env))
