"""`MockdClient` against a live server: every method, its typed reply and its typed errors."""

from __future__ import annotations

import inspect

import pytest

from mockd.client import (
    AsyncMockdClient,
    AuthenticationError,
    BadRequestError,
    Call,
    ConflictError,
    MockdClient,
    MockdConnectionError,
    NotFoundError,
    VerificationError,
)
from mockd.runtime.admin.models import ConfigDryRunReply, ConfigImportReply
from tests.harness import MockdProcess, free_port, request

FLAKY = {
    "id": "flaky",
    "type": "http",
    "http": {
        "matcher": {"method": "GET", "path": "/api/flaky"},
        "response": {"statusCode": 500, "body": "x"},
    },
}


@pytest.fixture
def client(server: MockdProcess) -> MockdClient:
    with MockdClient(server.admin) as c:
        c.reset()
        yield c
        for mock in c.list_mocks().mocks:
            if mock["id"] not in ("get-user", "pay"):
                c.delete_mock(mock["id"])
        c.set_chaos({"enabled": False})


def test_health(client: MockdClient) -> None:
    assert client.health()["status"] == "ok"


def test_mock_crud(client: MockdClient, server: MockdProcess) -> None:
    created = client.create_mock(FLAKY)
    assert (created.id, created.action, created.message) == ("flaky", "created", "Created http mock")
    assert client.get_mock("flaky")["http"]["response"]["statusCode"] == 500
    listed = client.list_mocks()
    assert [m["id"] for m in listed.mocks] == ["get-user", "pay", "flaky"]
    assert (listed.total, listed.count) == (3, 3)
    assert [m["id"] for m in client.list_mocks(search="flaky").mocks] == ["flaky"]
    assert client.list_mocks(limit=1).count == 1

    changed = {**FLAKY, "http": {**FLAKY["http"], "response": {"statusCode": 503, "body": "down"}}}
    updated = client.update_mock("flaky", changed)
    assert (updated.action, updated.mock["http"]["response"]["statusCode"]) == ("updated", 503)
    patched = client.patch_mock("flaky", {"name": "Flaky"})
    assert (patched.action, patched.mock["name"]) == ("updated", "Flaky")
    toggled = client.toggle_mock("flaky")
    assert (toggled.action, toggled.message) == ("toggled", "Mock disabled")
    assert [m["id"] for m in client.list_mocks(enabled=False).mocks] == ["flaky"]

    client.delete_mock("flaky")
    with pytest.raises(NotFoundError) as info:
        client.get_mock("flaky")
    assert (info.value.status, info.value.code, info.value.message) == (404, "not_found", "mock not found")


def test_bulk_create_and_delete_by_type(client: MockdClient) -> None:
    second = {**FLAKY, "id": "flaky-2"}
    result = client.create_mocks([FLAKY, second])
    assert result.created == 2
    assert [m["id"] for m in result.mocks] == ["flaky", "flaky-2"]
    client.delete_mocks(type="http")
    assert client.list_mocks().total == 0
    client.import_config(_restore(), replace=True)


def _restore() -> dict:
    from tests.client.conftest import CONFIG

    return {"version": "1.0", "mocks": CONFIG["mocks"]}


def test_server_errors_become_typed_exceptions(client: MockdClient) -> None:
    with pytest.raises(ConflictError) as dup:
        client.create_mock({**FLAKY, "id": "get-user"})
    assert (dup.value.status, dup.value.code) == (409, "duplicate_id")
    assert dup.value.message == "Mock with this ID already exists"
    with pytest.raises(BadRequestError) as bad:
        client.create_mock({"http": {}, "id": "x"} | {"type": ""})
    assert (bad.value.code, bad.value.message) == ("missing_type", "type is required")
    with pytest.raises(NotFoundError) as missing:
        client.verification("nope")
    assert missing.value.message == "Mock not found"


def test_unreachable_server_is_a_connection_error() -> None:
    with MockdClient(f"http://127.0.0.1:{free_port()}") as c, pytest.raises(MockdConnectionError) as info:
        c.health()
    assert "cannot reach the mockd admin API at http://127.0.0.1:" in str(info.value)


def test_verify_passes_and_returns_the_result(client: MockdClient, server: MockdProcess) -> None:
    assert request(server.url + "/api/users/1").status == 200
    result = client.verify("get-user", exactly=1)
    assert result.model_dump() == {
        "passed": True,
        "actual": 1,
        "expected": "exactly 1 time(s)",
        "message": "Mock was called exactly 1 time(s) as expected",
    }
    assert client.verify("get-user", at_least=1, at_most=2).passed
    assert client.verify("pay", never=True).passed
    assert client.verification("get-user").callCount == 1


def test_failed_verify_shows_expected_actual_and_last_invocations(
    client: MockdClient, server: MockdProcess
) -> None:
    for amount in (10, 20):
        assert request(server.url + "/api/payments", "POST", {"amount": amount}).status == 201
    with pytest.raises(VerificationError) as info:
        client.verify("pay", exactly=1)
    err = info.value
    assert isinstance(err, AssertionError)
    assert (err.mock_id, err.expected, err.actual) == ("pay", "exactly 1 time(s)", 2)
    lines = str(err).splitlines()
    assert lines[0] == "mock 'pay': expected exactly 1 time(s), was called 2 time(s)"
    assert lines[1] == "  server: Expected mock to be called exactly 1 time(s), but it was called 2 time(s)"
    assert lines[2] == "  last 2 invocation(s), newest first:"
    assert lines[3].endswith(" POST /api/payments body='{\"amount\": 20}'")
    assert lines[4].endswith(" POST /api/payments body='{\"amount\": 10}'")


def test_verify_without_a_criterion_is_refused(client: MockdClient) -> None:
    with pytest.raises(BadRequestError) as info:
        client.verify("pay")
    assert info.value.code == "missing_criteria"


def test_invocations_and_clearing_them(client: MockdClient, server: MockdProcess) -> None:
    request(server.url + "/api/users/1", headers={"X-Trace": "abc"})
    listed = client.invocations("get-user")
    assert (listed.count, listed.total) == (1, 1)
    inv = listed.invocations[0]
    assert (inv.method, inv.path, inv.headers["X-Trace"]) == ("GET", "/api/users/1", "abc")
    cleared = client.clear_invocations("get-user")
    assert (cleared.cleared, cleared.mockId, cleared.message) == (1, "get-user", "Invocations cleared")
    assert client.invocations("get-user").count == 0


def test_request_log(client: MockdClient, server: MockdProcess) -> None:
    request(server.url + "/api/users/1")
    request(server.url + "/api/user/1")  # unmatched: a near-miss of get-user
    log = client.requests()
    assert (log.count, log.total) == (2, 2)
    unmatched = client.requests(unmatched_only=True).requests
    assert [(e.path, e.statusCode) for e in unmatched] == [("/api/user/1", 404)]
    assert unmatched[0].nearMisses[0].mockId == "get-user"
    matched = client.requests(matched="get-user").requests
    assert [e.path for e in matched] == ["/api/users/1"]
    assert client.request(matched[0].id).matchedMockId == "get-user"
    with pytest.raises(NotFoundError):
        client.request("req-does-not-exist")
    assert client.clear_requests().cleared == 2
    assert client.requests().total == 0


def test_reset_verification_clears_counts_and_log(client: MockdClient, server: MockdProcess) -> None:
    request(server.url + "/api/users/1")
    cleared = client.reset_verification()
    assert (cleared.cleared, cleared.message) == (1, "All verification data cleared")
    assert client.verification("get-user").callCount == 0


def test_state(client: MockdClient, server: MockdProcess) -> None:
    overview = client.state()
    assert (overview.total, overview.totalItems, overview.resourceList) == (1, 1, ["tasks"])
    created = client.create_item("tasks", {"id": "task-9", "title": "More"})
    assert created["title"] == "More"
    assert client.item("tasks", "task-9")["id"] == "task-9"
    page = client.items("tasks", limit=10)
    assert (page.meta.total, page.meta.count) == (2, 2)
    assert client.resource("tasks").itemCount == 2
    with pytest.raises(ConflictError) as dup:
        client.create_item("tasks", {"id": "task-9"})
    assert (dup.value.code, dup.value.message) == ("conflict", "Item already exists")

    assert client.reset_resource("tasks").model_dump() == {"resource": "tasks", "status": "reset"}
    assert client.resource("tasks").itemCount == 1
    assert client.clear_resource("tasks").cleared is True
    assert client.resource("tasks").itemCount == 0
    assert client.reset_state().status == "reset"
    assert client.reset_state("tasks").status == "reset"
    assert client.reset_tables().tables == 1
    assert client.resource("tasks").itemCount == 1
    with pytest.raises(NotFoundError) as missing:
        client.items("nope")
    assert missing.value.message == "Resource not found"


def test_chaos(client: MockdClient, server: MockdProcess) -> None:
    assert client.set_chaos({"enabled": True, "errorRate": {"probability": 1.0, "defaultCode": 503}}) == {
        "status": "ok"
    }
    assert client.chaos()["enabled"] is True
    assert request(server.url + "/api/users/1").status == 503
    assert client.chaos_stats()["errorsInjected"] >= 1
    assert client.reset_chaos_stats() == {"message": "chaos stats reset"}
    applied = client.apply_chaos_profile("flaky")
    assert (applied["status"], applied["profile"]) == ("ok", "flaky")
    with pytest.raises(BadRequestError) as bad:
        client.set_chaos({"enabled": True, "errorRate": {"probability": 7}})
    assert bad.value.code == "validation_error"


def test_config_export_and_import(client: MockdClient) -> None:
    exported = client.export_config()
    assert [m["id"] for m in exported.mocks] == ["get-user", "pay"]
    dry = client.import_config({"mocks": [FLAKY]}, dry_run=True)
    assert isinstance(dry, ConfigDryRunReply)
    assert dry.mocks == 1
    done = client.import_config({"mocks": [FLAKY]})
    assert isinstance(done, ConfigImportReply)
    assert (done.imported, done.total) == (1, 3)


def test_import_file(client: MockdClient) -> None:
    spec = (
        '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/api/ping": {"get": '
        '{"responses": {"200": {"description": "ok"}}}}}}'
    )
    dry = client.import_file(spec, dry_run=True)
    assert (dry["dryRun"], dry["format"]) == (True, "openapi")
    done = client.import_file(spec, format="openapi")
    assert done["imported"] == 1
    with pytest.raises(BadRequestError):
        client.import_file("not a spec at all", format="openapi")


def test_api_key_is_sent(mockd_server) -> None:
    srv = mockd_server("--api-key", "k-123")
    # Loopback callers need no key; a cross-site browser-like call does, so `send` with that Origin proves
    # the client's key header reaches the server (and shows the escape hatch for any route).
    probe = Call("GET", "/mocks", lambda reply: reply.json, headers={"Origin": "https://evil.example"})
    with MockdClient(srv.admin, api_key="wrong") as c, pytest.raises(AuthenticationError) as info:
        c.send(probe)
    assert (info.value.status, info.value.code, info.value.message) == (
        401,
        "invalid_api_key",
        "Invalid API key",
    )
    with MockdClient(srv.admin, api_key="k-123") as c:
        assert c.send(probe)["total"] == 0


def test_async_client_has_every_method_of_the_sync_one() -> None:
    def public(cls: type) -> dict[str, inspect.Signature]:
        return {
            n: inspect.signature(f) for n, f in vars(cls).items() if not n.startswith("_") and callable(f)
        }

    sync_methods, async_methods = public(MockdClient), public(AsyncMockdClient)
    sync_methods["aclose"] = sync_methods.pop("close")
    assert sync_methods == async_methods
    assert all(inspect.iscoroutinefunction(getattr(AsyncMockdClient, n)) for n in async_methods)


def test_async_client_against_the_server(server: MockdProcess) -> None:
    import asyncio

    async def scenario() -> None:
        async with AsyncMockdClient(server.admin) as c:
            await c.reset()
            request(server.url + "/api/payments", "POST", {"amount": 1})
            assert (await c.verify("pay", exactly=1)).passed
            with pytest.raises(VerificationError) as info:
                await c.verify("pay", never=True)
            assert info.value.actual == 1
            assert (await c.requests()).total == 1
            assert (await c.state()).resourceList == ["tasks"]
            with pytest.raises(NotFoundError):
                await c.get_mock("nope")
            await c.reset()

    asyncio.run(scenario())
