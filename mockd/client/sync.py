"""`MockdClient`: the admin API from blocking code (pytest tests, scripts)."""

from __future__ import annotations

from typing import Any, TypeVar

import httpx

from mockd.client import calls
from mockd.client.transport import (
    DEFAULT_TIMEOUT,
    SHOWN_INVOCATIONS,
    headers,
    read,
    request_args,
    unreachable,
)
from mockd.client.transport import verification_failed as _failed
from mockd.runtime.admin.models import (
    BulkResult,
    Cleared,
    ConfigDryRunReply,
    ConfigExport,
    ConfigImportReply,
    InvocationList,
    InvocationsCleared,
    MockActionReply,
    MockList,
    MockVerification,
    RequestList,
    RequestLogEntry,
    VerifyResult,
)
from mockd.runtime.admin.state import (
    ItemsPage,
    ResourceCleared,
    ResourceDetail,
    ResourceReset,
    StateOverview,
    StateReset,
    TablesReset,
)

T = TypeVar("T")


class MockdClient:
    """One admin API (`http://127.0.0.1:4290` by default). Every method is one route; errors from the server
    raise `MockdApiError` subclasses carrying its code and message. Use as a context manager, or `close()`."""

    def __init__(
        self,
        admin_url: str = "http://127.0.0.1:4290",
        *,
        api_key: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.admin_url = admin_url.rstrip("/")
        self._http = httpx.Client(base_url=self.admin_url, headers=headers(api_key), timeout=timeout)

    def __enter__(self) -> MockdClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def send(self, call: calls.Call[T]) -> T:
        """Run one `Call` (the escape hatch for a route without a method here)."""
        try:
            response = self._http.request(call.method, call.path, **request_args(call))
        except httpx.TransportError as err:
            raise unreachable(self.admin_url, err) from None
        return read(call, response)

    def health(self) -> dict[str, Any]:
        return self.send(calls.health())

    # mocks
    def list_mocks(
        self,
        *,
        type: str | None = None,
        enabled: bool | None = None,
        search: str | None = None,
        offset: int | None = None,
        limit: int | None = None,
    ) -> MockList:
        return self.send(
            calls.list_mocks(type=type, enabled=enabled, search=search, offset=offset, limit=limit)
        )

    def create_mock(self, mock: dict[str, Any]) -> MockActionReply:
        return self.send(calls.create_mock(mock))

    def create_mocks(self, mocks: list[dict[str, Any]], *, replace: bool = False) -> BulkResult:
        return self.send(calls.create_mocks(mocks, replace=replace))

    def get_mock(self, mock_id: str) -> dict[str, Any]:
        return self.send(calls.get_mock(mock_id))

    def update_mock(self, mock_id: str, mock: dict[str, Any]) -> MockActionReply:
        return self.send(calls.update_mock(mock_id, mock))

    def patch_mock(self, mock_id: str, changes: dict[str, Any]) -> MockActionReply:
        return self.send(calls.patch_mock(mock_id, changes))

    def toggle_mock(self, mock_id: str) -> MockActionReply:
        return self.send(calls.toggle_mock(mock_id))

    def delete_mock(self, mock_id: str) -> None:
        self.send(calls.delete_mock(mock_id))

    def delete_mocks(self, *, type: str | None = None) -> None:
        self.send(calls.delete_mocks(type=type))

    # verification
    def verification(self, mock_id: str) -> MockVerification:
        return self.send(calls.verification(mock_id))

    def verify(
        self,
        mock_id: str,
        *,
        exactly: int | None = None,
        at_least: int | None = None,
        at_most: int | None = None,
        never: bool | None = None,
    ) -> VerifyResult:
        """Assert the mock's call count; raises `VerificationError` (an AssertionError) when it fails."""
        __tracebackhide__ = True  # pytest shows the test's line, not this method
        result = self.send(
            calls.verify(mock_id, exactly=exactly, at_least=at_least, at_most=at_most, never=never)
        )
        if not result.passed:
            recent = self.invocations(mock_id, limit=SHOWN_INVOCATIONS).invocations
            raise _failed(mock_id, result, recent)
        return result

    def invocations(
        self, mock_id: str, *, limit: int | None = None, offset: int | None = None
    ) -> InvocationList:
        return self.send(calls.invocations(mock_id, limit=limit, offset=offset))

    def clear_invocations(self, mock_id: str) -> InvocationsCleared:
        return self.send(calls.clear_invocations(mock_id))

    def reset_verification(self) -> Cleared:
        """Every call count and the whole request log back to zero (`DELETE /verify`)."""
        return self.send(calls.reset_verification())

    # request log
    def requests(
        self,
        *,
        limit: int | None = None,
        offset: int | None = None,
        method: str | None = None,
        path: str | None = None,
        matched: str | None = None,
        status: int | None = None,
        unmatched_only: bool | None = None,
        protocol: str | None = None,
    ) -> RequestList:
        return self.send(
            calls.requests(
                limit=limit,
                offset=offset,
                method=method,
                path=path,
                matched=matched,
                status=status,
                unmatched_only=unmatched_only,
                protocol=protocol,
            )
        )

    def request(self, request_id: str) -> RequestLogEntry:
        return self.send(calls.request(request_id))

    def clear_requests(self) -> Cleared:
        return self.send(calls.clear_requests())

    # state
    def state(self) -> StateOverview:
        return self.send(calls.state())

    def reset_state(self, resource: str | None = None) -> StateReset:
        return self.send(calls.reset_state(resource))

    def reset_tables(self) -> TablesReset:
        return self.send(calls.reset_tables())

    def resource(self, name: str) -> ResourceDetail:
        return self.send(calls.resource(name))

    def reset_resource(self, name: str) -> ResourceReset:
        return self.send(calls.reset_resource(name))

    def clear_resource(self, name: str) -> ResourceCleared:
        return self.send(calls.clear_resource(name))

    def items(self, name: str, *, limit: int | None = None, offset: int | None = None) -> ItemsPage:
        return self.send(calls.items(name, limit=limit, offset=offset))

    def item(self, name: str, item_id: str) -> dict[str, Any]:
        return self.send(calls.item(name, item_id))

    def create_item(self, name: str, value: dict[str, Any]) -> dict[str, Any]:
        return self.send(calls.create_item(name, value))

    # chaos
    def chaos(self) -> dict[str, Any]:
        return self.send(calls.chaos())

    def set_chaos(self, config: dict[str, Any]) -> dict[str, Any]:
        return self.send(calls.set_chaos(config))

    def chaos_stats(self) -> dict[str, Any]:
        return self.send(calls.chaos_stats())

    def reset_chaos_stats(self) -> dict[str, Any]:
        return self.send(calls.reset_chaos_stats())

    def apply_chaos_profile(self, name: str) -> dict[str, Any]:
        return self.send(calls.apply_chaos_profile(name))

    # config and imports
    def export_config(self) -> ConfigExport:
        return self.send(calls.export_config())

    def import_config(
        self, config: dict[str, Any], *, replace: bool = False, dry_run: bool = False
    ) -> ConfigImportReply | ConfigDryRunReply:
        return self.send(calls.import_config(config, replace=replace, dry_run=dry_run))

    def import_file(
        self, content: bytes | str, *, format: str | None = None, replace: bool = False, dry_run: bool = False
    ) -> dict[str, Any]:
        return self.send(calls.import_file(content, format=format, replace=replace, dry_run=dry_run))

    # between tests
    def reset(self) -> None:
        """What a test starts from: every stateful table back to its seed, call counts and the request log
        cleared. Mocks made over the API stay (delete them with `delete_mock`)."""
        self.reset_tables()
        self.reset_verification()
