"""Protocol mocks as route targets: the runtime's only contact with mockd.protocols.

A `ProtocolTarget` is an ordinary non-static target, so the hot path treats it like a templated response:
counted, logged and verified the same way. Nothing here runs for plain HTTP mocks.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from mockd.protocols import registry
from mockd.runtime.targets import Target, UnavailableTarget

if TYPE_CHECKING:
    from collections.abc import Callable

    from mockd.bodyfile import BodyFilePolicy
    from mockd.plan.model import ProtocolAction
    from mockd.runtime.journal import Counter
    from mockd.runtime.targets import RequestView


class ProtocolTarget(Target):
    __slots__ = ("responder",)

    def __init__(self, log_id: str, counter: Counter | None, responder: registry.Responder) -> None:
        super().__init__(log_id, counter)
        self.responder = responder

    async def respond(self, req: RequestView, proto: Any) -> int:
        return await self.responder.respond(req, proto)

    async def upgrade(self, scope: Any, proto: Any, opened: Callable[[], None]) -> int:
        serve = getattr(self.responder, "upgrade", None)
        if serve is None:
            return await super().upgrade(scope, proto, opened)
        return int(await serve(scope, proto, opened))

    def retire(self) -> None:
        retire = getattr(self.responder, "retire", None)
        if retire is not None:
            retire()


def protocol_target(
    mock_id: str, counter: Counter | None, action: ProtocolAction, base_dir: str, files: BodyFilePolicy
) -> Target:
    """The target of a protocol mock; a 501 when the plan names a protocol this build does not serve (a
    plan compiled by a build with more protocols)."""
    module = registry.load(action["protocol"])
    if module is None:
        return UnavailableTarget(mock_id, counter, f"{action['protocol']} mocks are not served by mockd yet")
    env = registry.ServeEnv(mock_id=mock_id, base_dir=base_dir, files=files)
    return ProtocolTarget(mock_id, counter, module.responder(action["spec"], env))


def close_streams() -> None:
    """End every open protocol stream (SSE, chunked, WebSocket): the server is stopping. Granian waits for
    open responses before it stops, so without this a stream would hold shutdown up to the kill timeout."""
    stream = sys.modules.get("mockd.protocols.stream")
    if stream is not None:  # imported only once some protocol mock streamed
        stream.close_all()
