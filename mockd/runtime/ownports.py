"""Protocols on their own ports (gRPC servers, MQTT brokers): which ports the enabled mocks want, kept in
step with the store.

The store calls `prepare` with the mock set it is about to commit (runtime/store.py `before_commit`): new
ports are bound then, before the change becomes visible, so a taken port refuses the change
(PortUnavailableError, answered 409 by the admin API) instead of leaving a mock that serves nothing. At
start-up `start` does the same before the mock port opens, so a taken port stops the server before anything
is served.

Calls and packets are counted on their mock's counter and written to the request log like HTTP requests
(the Go tool logs them but never counts them: docs/differences.md). Nothing of a protocol is imported while
no mock uses it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockd.runtime.journal import Journal
    from mockd.runtime.store import MockStore, StoredMock

KINDS = ("grpc", "mqtt")  # protocol kinds that listen on their own ports


def wanted_ports(mocks: dict[str, StoredMock], kind: str) -> dict[int, list[Any]]:
    """port -> the enabled mocks of `kind` on it (as the kind's hub takes them), in store order."""
    out: dict[int, list[Any]] = {}
    for m in mocks.values():
        action = m.compiled["action"]
        if not m.compiled["enabled"] or action["kind"] != "protocol" or action["protocol"] != kind:
            continue
        responder = getattr(m.target, "responder", None)
        if responder is None:
            continue
        if kind == "grpc":
            from mockd.protocols.grpc.hub import Served

            served: Any = Served(m.id, responder, m.target)
        else:
            from mockd.protocols.mqtt.broker import Served as MqttServed

            served = MqttServed(m.id, responder.spec, m.target)
        out.setdefault(responder.port, []).append(served)
    return out


class OwnPorts:
    def __init__(self, host: str, journal: Journal, store: MockStore) -> None:
        self.host = host
        self.journal = journal
        self.store = store
        self.hubs: dict[str, Any] = {}  # kind -> its hub, created with the first mock of that kind

    def ports(self, kind: str) -> list[int]:
        """The ports of `kind` listening now (for /ports and /status)."""
        hub = self.hubs.get(kind)
        return hub.listening() if hub is not None else []

    async def prepare(self, mocks: dict[str, StoredMock]) -> None:
        for kind in KINDS:
            wanted = wanted_ports(mocks, kind)
            hub = self.hubs.get(kind)
            if not wanted and hub is None:
                continue
            if hub is None:
                hub = self.hubs[kind] = self._hub(kind)
            await hub.sync(wanted)

    def _hub(self, kind: str) -> Any:
        if kind == "grpc":
            from mockd.protocols.grpc.hub import GrpcHub

            return GrpcHub(self.host, self._record)
        from mockd.protocols.mqtt.broker import MqttHub

        return MqttHub(self.host, self._record)

    async def start(self) -> None:
        await self.prepare({m.id: m for m in self.store})

    async def close(self) -> None:
        for hub in self.hubs.values():
            await hub.close()

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
