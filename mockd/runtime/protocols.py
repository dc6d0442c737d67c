"""Protocol mocks as route targets: the runtime's only contact with mockd.protocols.

A `ProtocolTarget` is an ordinary non-static target, so the hot path treats it like a templated response:
counted, logged and verified the same way. Nothing here runs for plain HTTP mocks.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from mockd.protocols import registry
from mockd.runtime.state.errors import BodyError, Conflict, NotFound, StateError, ValidationFailed
from mockd.runtime.state.operations import OperationFailed
from mockd.runtime.state.query import ListQuery
from mockd.runtime.state.query import run as run_query
from mockd.runtime.state.serve import run_operation
from mockd.runtime.state.tables import StoreUnavailable
from mockd.runtime.targets import Target, UnavailableTarget

if TYPE_CHECKING:
    from collections.abc import Callable

    from mockd.bodyfile import BodyFilePolicy
    from mockd.plan.model import ProtocolAction
    from mockd.runtime.journal import Counter
    from mockd.runtime.state.tables import Tables
    from mockd.runtime.targets import RequestView, UpgradeView


class NotedScope:
    """The request's RSGI scope plus the protocol detail a responder noted (read by the request log, as
    chaoshook.ChaosScope carries a fault)."""

    __slots__ = ("_scope", "protocol_detail")

    def __init__(self, scope: Any, detail: dict[str, Any]) -> None:
        self._scope = scope
        self.protocol_detail = detail

    def __getattr__(self, name: str) -> Any:
        return getattr(self._scope, name)


def note(req: RequestView | UpgradeView, detail: dict[str, Any]) -> None:
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

    async def upgrade(self, view: UpgradeView, proto: Any, opened: Callable[[], None]) -> int:
        serve = getattr(self.responder, "upgrade", None)
        if serve is None:
            return await super().upgrade(view, proto, opened)
        return int(await serve(view, proto, opened))

    def retire(self) -> None:
        retire = getattr(self.responder, "retire", None)
        if retire is not None:
            retire()


class BoundTables:
    """`registry.TableAccess` over the state store: the table actions a SOAP `statefulBinding` runs
    (protocols-reference §5.3), with errors classified as the caller's or the server's."""

    __slots__ = ("state",)

    def __init__(self, state: Tables) -> None:
        self.state = state

    async def run_durably(
        self, table: str, action: str, operation: str, data: dict[str, Any]
    ) -> tuple[str, Any]:
        durable = self.state.durable
        if durable is None:
            return self.run(table, action, operation, data)
        guard = durable.guard
        if guard is not None:  # --shared-state (mockd/runtime/shared/tables.py)
            try:
                return await guard(lambda: self.run(table, action, operation, data), write=True)
            except StoreUnavailable as exc:
                raise registry.TableError(str(exc), client=False) from None
        before = durable.changes
        result = self.run(table, action, operation, data)
        if durable.changes != before:  # group commit, as for HTTP bindings (state/serve.py)
            try:
                await durable.flush()
            except Exception as exc:
                raise registry.TableError(f"failed to save to the data dir: {exc}", client=False) from None
        return result

    def run(self, table: str, action: str, operation: str, data: dict[str, Any]) -> tuple[str, Any]:
        try:
            return self._run(table, action, operation, data)
        except (NotFound, Conflict, ValidationFailed) as e:
            raise registry.TableError(e.message, client=True) from None
        except BodyError as e:
            raise registry.TableError(e.message, client=True) from None
        except StateError as e:
            raise registry.TableError(e.message, client=False) from None
        except OperationFailed as e:
            raise registry.TableError(e.message, client=e.status < 500) from None

    def _run(self, table: str, action: str, operation: str, data: dict[str, Any]) -> tuple[str, Any]:
        if action == "custom":
            return "item", run_operation(self.state, operation, data)
        res = self.state.need(table)
        item_id = str(data.get("id", ""))
        if action == "get":
            return "item", res.get(item_id).view
        if action == "list":
            args: dict[str, str] = {
                k: str(data[k]) for k in ("limit", "offset", "sort", "order") if k in data
            }
            q = ListQuery.parse(args, reserved=None)
            page = run_query(res, q)
            meta = {"total": page.total, "count": len(page.items), "offset": q.offset, "limit": q.limit}
            return "list", ([it.view for it in page.items], meta)
        if action == "create":
            return "item", res.create(data).view
        rest = {k: v for k, v in data.items() if k != "id"}
        if action == "update":
            return "item", res.update(item_id, rest).view
        if action == "patch":
            return "item", res.patch(item_id, rest).view
        if action == "delete":
            res.delete(item_id)
            return "done", None
        raise registry.TableError(f"unsupported action: {action}", client=True)


def protocol_target(
    mock_id: str,
    counter: Counter | None,
    action: ProtocolAction,
    base_dir: str,
    files: BodyFilePolicy,
    tables: Tables | None = None,
) -> Target:
    """The target of a protocol mock; a 501 when the plan names a protocol this build does not serve (a
    plan compiled by a build with more protocols)."""
    module = registry.load(action["protocol"])
    if module is None:
        return UnavailableTarget(mock_id, counter, f"{action['protocol']} mocks are not served by mockd yet")
    bound = BoundTables(tables) if tables is not None else None
    env = registry.ServeEnv(mock_id=mock_id, base_dir=base_dir, files=files, note=note, tables=bound)
    return ProtocolTarget(mock_id, counter, module.responder(action["spec"], env))


def close_streams() -> None:
    """End every open protocol stream (SSE, chunked, WebSocket): the server is stopping. Granian waits for
    open responses before it stops, so without this a stream would hold shutdown up to the kill timeout."""
    stream = sys.modules.get("mockd.protocols.stream")
    if stream is not None:  # imported only once some protocol mock streamed
        stream.close_all()
