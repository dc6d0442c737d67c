"""Protocols on their own ports (gRPC): which ports the enabled mocks want, kept in step with the store.

The store calls `prepare` with the mock set it is about to commit (runtime/store.py `before_commit`): new
ports are bound then, before the change becomes visible, so a taken port refuses the change
(PortUnavailableError, answered 409 by the admin API) instead of leaving a mock that serves nothing. At
start-up `start` does the same before the mock port opens, so a taken port stops the server before anything
is served.

Calls are counted on their mock's counter and written to the request log like HTTP requests (the Go tool
logs them but never counts them: docs/differences.md). Nothing is imported when no mock uses such a port.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockd.protocols.grpc.hub import GrpcHub, Served
    from mockd.runtime.journal import Journal
    from mockd.runtime.store import MockStore, StoredMock


def wanted_ports(mocks: dict[str, StoredMock]) -> dict[int, list[Served]]:
    """port -> the enabled gRPC mocks on it, in store order."""
    out: dict[int, list[Served]] = {}
    for m in mocks.values():
        action = m.compiled["action"]
        if not m.compiled["enabled"] or action["kind"] != "protocol" or action["protocol"] != "grpc":
            continue
        responder = getattr(m.target, "responder", None)
        if responder is None:
            continue
        from mockd.protocols.grpc.hub import Served

        out.setdefault(responder.port, []).append(Served(m.id, responder, m.target))
    return out


class OwnPorts:
    def __init__(self, host: str, journal: Journal, store: MockStore) -> None:
        self.host = host
        self.journal = journal
        self.store = store
        self.hub: GrpcHub | None = None

    def ports(self) -> list[int]:
        """The gRPC ports listening now (for /ports and /status)."""
        return self.hub.listening() if self.hub is not None else []

    async def prepare(self, mocks: dict[str, StoredMock]) -> None:
        wanted = wanted_ports(mocks)
        if not wanted and self.hub is None:
            return
        if self.hub is None:
            from mockd.protocols.grpc.hub import GrpcHub

            self.hub = GrpcHub(self.host, self._record)
        await self.hub.sync(wanted)

    async def start(self) -> None:
        await self.prepare({m.id: m for m in self.store})

    async def close(self) -> None:
        if self.hub is not None:
            await self.hub.close()

    def _record(self, record: Any, target: Any) -> None:
        mock_id = ""
        if target is not None:
            mock_id = target.log_id
            counter = target.counter
            if counter is not None:
                counter.count += 1
                counter.last = record.started
        duration = int((time.time() - record.started) * 1000)
        self.journal.record(record.started, record, record.body, mock_id, record.code, duration)
