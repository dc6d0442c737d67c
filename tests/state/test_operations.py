"""Custom operations (reference §4.3, §4.8, §5.5) over real HTTP: `statefulOperation` mocks, bindings with
action `custom`, and the admin `/state/operations` routes; atomic rollback, failing conditions, statuses."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.state.conftest import Server

READ_SOURCE = {"type": "read", "resource": "accounts", "id": "input.sourceId", "as": "source"}
READ_DEST = {"type": "read", "resource": "accounts", "id": "input.destId", "as": "dest"}
DEBIT = {"type": "update", "resource": "accounts", "id": "input.sourceId",
         "set": {"balance": "source.balance - input.amount"}}  # fmt: skip
LOG = {"type": "create", "resource": "ledger", "as": "entry",
       "set": {"from": "input.sourceId", "to": "input.destId", "amount": "input.amount"}}  # fmt: skip
CHECK = {
    "type": "validate",
    "condition": "source.balance >= input.amount",
    "errorMessage": "Insufficient funds",
}
CREDIT = {"type": "update", "resource": "accounts", "id": "input.destId", "as": "after",
          "set": {"balance": "dest.balance + input.amount"}}  # fmt: skip
TRANSFER_STEPS = [READ_SOURCE, READ_DEST, DEBIT, LOG, CHECK, CREDIT]
RESPONSE = {"status": '"completed"', "newSourceBalance": "source.balance - input.amount",
            "newDestBalance": "after.balance", "entry": "entry.id != nil"}  # fmt: skip
OPERATIONS: list[dict[str, Any]] = [
    {"name": "Transfer", "consistency": "atomic", "steps": TRANSFER_STEPS, "response": RESPONSE},
    {"name": "TransferLoose", "steps": TRANSFER_STEPS, "response": RESPONSE},
    {"name": "Guarded", "steps": [{"type": "validate", "condition": "input.ok ?? false", "errorStatus": 402}]},
    {"name": "Summary", "steps": [
        {"type": "list", "resource": "ledger", "as": "entries", "filter": {"from": "input.account"}},
        {"type": "set", "var": "total", "value": "sum(entries, .amount)"},
        {"type": "set", "var": "count", "value": "len(entries)"}]},
    {"name": "Close", "consistency": " atomic ", "steps": [
        {"type": "read", "resource": "accounts", "id": "input.id", "as": "account"},
        {"type": "delete", "resource": "accounts", "id": "input.id"},
        {"type": "validate", "condition": "input.confirm ?? false", "errorMessage": "not confirmed"}],
     "response": {"id": '"close-" + account.id', "closed": "account.owner"}},
    {"name": "Broken", "steps": [{"type": "set", "var": "x", "value": "missing + 1"}]},
    {"name": "BadResponse", "steps": [{"type": "set", "var": "x", "value": "1"}], "response": {"y": "x.z"}},
    {"name": "Bogus", "steps": [{"type": "teleport"}]},
    {"name": "Dup", "steps": [{"type": "create", "resource": "accounts", "set": {"id": '"acct-1"'}}]},
]  # fmt: skip


def op_mock(mock_id: str, path: str, operation: str) -> dict[str, Any]:
    return {"id": mock_id, "type": "http", "http": {"matcher": {"method": "POST", "path": path},
                                                    "statefulOperation": operation}}  # fmt: skip


def custom(mock_id: str, path: str, table: str, operation: str) -> dict[str, Any]:
    binding = {"table": table, "action": "custom", "operation": operation}
    return {"id": mock_id, "type": "http", "http": {"matcher": {"method": "POST", "path": path},
                                                    "statefulBinding": binding}}  # fmt: skip


CONFIG: dict[str, Any] = {
    "version": "1.0",
    "tables": [
        {"name": "accounts", "seedData": [{"id": "acct-1", "owner": "Alice", "balance": 1000},
                                          {"id": "acct-2", "owner": "Bob", "balance": 500}]},
        {"name": "ledger", "response": {"fields": {"hide": ["entries"], "inject": {"object": "summary"}}}},
    ],
    "customOperations": OPERATIONS,
    "mocks": [
        *(op_mock(f"op-{op['name']}", f"/op/{op['name']}", op["name"]) for op in OPERATIONS),
        op_mock("op-ghost", "/op/Ghost", "Ghost"),
        custom("pay", "/api/accounts/{sourceId}/pay", "accounts", "Transfer"),
        custom("summary", "/api/ledger/{account}/summary", "ledger", "Summary"),
        custom("nameless", "/api/nameless", "accounts", ""),
        {"id": "account", "type": "http", "http": {"matcher": {"method": "GET", "path": "/api/accounts/{id}"},
                                                   "statefulBinding": {"table": "accounts", "action": "get"}}},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def server(start: Any) -> Server:
    return start(CONFIG, "yaml")


STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def result(reply: Any) -> dict[str, Any]:
    """A 200 result object, its two timestamps checked and dropped."""
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == "application/json"
    body = reply.json()
    assert body["createdAt"] == body.pop("updatedAt")
    assert STAMP.fullmatch(body.pop("createdAt"))
    return body


def balances(srv: Server) -> tuple[int, int]:
    return tuple(srv.call("GET", f"/api/accounts/acct-{i}").json()["balance"] for i in (1, 2))  # type: ignore[return-value]


def ledger(srv: Server) -> int:
    return srv.admin("GET", "/state/resources/ledger").json()["itemCount"]


def move(amount: Any, source: str = "acct-1") -> dict[str, Any]:
    return {"sourceId": source, "destId": "acct-2", "amount": amount}


def error(status: int, message: str, resource: str) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {"error": message}
    if resource:
        body["resource"] = resource
    body["statusCode"] = status
    return status, body


def answer(srv: Server, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
    reply = srv.call("POST", path, json=body, **kw) if body is not None else srv.call("POST", path, **kw)
    return reply.status_code, reply.json()


def test_a_transfer(srv: Server):
    assert result(srv.call("POST", "/op/Transfer", json=move(100))) == {
        "entry": True, "id": "custom", "newDestBalance": 600, "newSourceBalance": 900, "status": "completed",
    }  # fmt: skip
    assert balances(srv) == (900, 600)
    assert ledger(srv) == 1


def test_atomic_undoes_earlier_writes_when_a_condition_fails(srv: Server):
    expected = error(400, 'step 4 (validate) failed: validation failed for field "condition": Insufficient funds',
                     "Transfer")  # fmt: skip
    assert answer(srv, "/op/Transfer", move(5000)) == expected
    assert balances(srv) == (1000, 500)
    assert ledger(srv) == 0


def test_best_effort_keeps_earlier_writes(srv: Server):
    status, body = answer(srv, "/op/TransferLoose", move(5000))
    assert (status, body["resource"]) == (400, "TransferLoose")
    assert balances(srv) == (-4000, 500)
    assert ledger(srv) == 1


def test_atomic_restores_a_deleted_item_in_its_place(srv: Server):
    before = [i["id"] for i in srv.admin("GET", "/state/resources/accounts/items").json()["data"]]
    expected = error(
        400, 'step 2 (validate) failed: validation failed for field "condition": not confirmed', "Close"
    )
    assert answer(srv, "/op/Close", {"id": "acct-1"}) == expected
    assert [i["id"] for i in srv.admin("GET", "/state/resources/accounts/items").json()["data"]] == before
    assert result(srv.call("POST", "/op/Close", json={"id": "acct-1", "confirm": True})) == {
        "closed": "Alice", "id": "close-acct-1",
    }  # fmt: skip
    assert srv.call("GET", "/api/accounts/acct-1").status_code == 404


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        ("/op/Transfer", move(1, "nope"),
         error(404, 'step 0 (read) failed: resource "accounts" item "nope" not found', "Transfer")),
        ("/op/Transfer", {}, error(404, 'step 0 (read) failed: resource "accounts" item "<nil>" not found', "Transfer")),
        ("/op/Guarded", {}, error(402, 'step 0 (validate) failed: validation failed for field "condition": '
                                       "validation failed: input.ok ?? false", "Guarded")),
        ("/op/Dup", {}, error(409, 'step 0 (create) failed: resource "accounts" item "acct-1" already exists', "Dup")),
        ("/op/Broken", {}, error(500, 'step 0 (set) failed: value expression failed: compile "missing + 1": '
                                      "unknown name missing (1:1)\n | missing + 1\n | ^", "Broken")),
        ("/op/BadResponse", {}, error(500, 'response expression "y" failed: eval "x.z": cannot fetch z from int '
                                           "(1:3)\n | x.z\n | ..^", "BadResponse")),
        ("/op/Bogus", {}, error(500, "step 0 (teleport) failed: unknown step type: teleport", "Bogus")),
        ("/op/Ghost", {}, error(404, 'resource "custom operation: Ghost" not found', "Ghost")),
    ],
)  # fmt: skip
def test_failures_and_their_statuses(srv: Server, path: str, body: Any, expected: tuple[int, Any]):
    assert answer(srv, path, body) == expected


def test_a_statefulOperation_body(srv: Server):
    assert result(srv.call("POST", "/op/Guarded", json={"ok": True})) == {"id": "custom"}
    assert answer(srv, "/op/Guarded", data=b"null")[0] == 402  # JSON null is no input
    assert answer(srv, "/op/Guarded", data=b"{") == error(
        400, "invalid JSON body: unexpected end of JSON input", ""
    )
    assert answer(srv, "/op/Guarded", data=b"[]") == error(
        400,
        "invalid JSON body: json: cannot unmarshal array into Go value of type map[string]interface {}",
        "",
    )


def test_no_response_map_answers_every_variable(srv: Server):
    for amount in (10, 2.5):
        result(srv.call("POST", "/op/Transfer", json=move(amount)))
    body = result(srv.call("POST", "/op/Summary", json={"account": "acct-1"}))
    assert (body["id"], body["total"], body["count"]) == ("custom", 12.5, 2)
    assert [e["amount"] for e in body["entries"]] == [2.5, 10]  # newest first
    assert result(srv.call("POST", "/op/Summary", json={"account": "acct-2"}))["count"] == 0


def test_a_bound_custom_action_merges_path_params_and_uses_the_table_transform(srv: Server):
    assert result(srv.call("POST", "/api/accounts/acct-1/pay", json={"destId": "acct-2", "amount": 1})) == {
        "entry": True, "id": "custom", "newDestBalance": 501, "newSourceBalance": 999, "status": "completed",
    }  # fmt: skip
    # a path param wins over the same key in the body
    assert result(srv.call("POST", "/api/accounts/acct-2/pay", json={"sourceId": "x", "destId": "acct-1",
                                                                     "amount": 1}))["newSourceBalance"] == 500  # fmt: skip
    summary = result(srv.call("POST", "/api/ledger/acct-1/summary"))
    assert (summary["object"], summary["count"], "entries" in summary) == ("summary", 1, False)
    form = srv.call("POST", "/api/accounts/acct-1/pay", data={"destId": "acct-2", "amount": "5"})
    assert result(form)["newSourceBalance"] == 995  # 999, +1 from acct-2, -5


def test_bound_custom_action_errors(srv: Server):
    assert answer(srv, "/api/accounts/acct-1/pay", {"destId": "acct-2", "amount": 9999}) == error(
        400,
        'step 4 (validate) failed: validation failed for field "condition": Insufficient funds',
        "accounts",
    )
    assert answer(srv, "/api/accounts/ghost/pay", {}) == error(
        404, 'step 0 (read) failed: resource "accounts" item "ghost" not found', "accounts"
    )
    assert answer(
        srv, "/api/accounts/acct-1/pay", data=b"{", headers={"Content-Type": "application/json"}
    ) == error(400, "invalid request body: invalid JSON body: unexpected end of JSON input", "accounts")
    assert answer(srv, "/api/nameless", {}) == error(
        400, "extend binding with action: custom requires an operation name", "accounts"
    )


def test_calls_count_under_the_mock(srv: Server):
    before = srv.admin("GET", "/mocks/op-Transfer/verify").json()["callCount"]
    srv.call("POST", "/op/Transfer", json=move(99999))
    assert srv.admin("GET", "/mocks/op-Transfer/verify").json()["callCount"] == before + 1


# ------------------------------------------------------------------------------------------------ admin


def test_admin_list_and_get(srv: Server):
    listed = srv.admin("GET", "/state/operations").json()
    assert list(listed) == ["count", "operations"]
    assert listed["count"] == len(OPERATIONS)
    assert listed["operations"][:3] == [
        {"name": "BadResponse", "stepCount": 1, "consistency": "best_effort"},
        {"name": "Bogus", "stepCount": 1, "consistency": "best_effort"},
        {"name": "Broken", "stepCount": 1, "consistency": "best_effort"},
    ]
    close = srv.admin("GET", "/state/operations/Close")
    assert close.json() == {
        "name": "Close",
        "consistency": "atomic",
        "steps": [{"type": "read", "resource": "accounts", "id": "input.id", "as": "account"},
                  {"type": "delete", "resource": "accounts", "id": "input.id"},
                  {"type": "validate"}],  # Go's detail type carries no condition/error fields
        "response": {"closed": "account.owner", "id": '"close-" + account.id'},
    }  # fmt: skip
    missing = srv.admin("GET", "/state/operations/Nope")
    assert (missing.status_code, missing.json()) == (
        404, {"error": "not_found", "message": "Custom operation not found: Nope"},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        (b"{}", 400, {"error": "validation_error", "message": "Operation name is required"}),
        (b"null", 400, {"error": "validation_error", "message": "Operation name is required"}),
        (b'{"name": 7}', 400, {"error": "validation_error", "message": "Operation name is required"}),
        (b'{"name": "X"}', 400, {"error": "registration_failed", "message": "Operation failed"}),
        (b'{"name": "X", "steps": [{"type": "set"}], "consistency": "strong"}', 400,
         {"error": "registration_failed", "message": "Operation failed"}),
        (b'{"name": "X", "steps": "nope"}', 400, {"error": "registration_failed", "message": "Operation failed"}),
        (b"[1]", 400, {"error": "invalid_json", "message": "Invalid JSON in request body"}),
        (b"{", 400, {"error": "invalid_json", "message": "Invalid JSON in request body"}),
    ],
)  # fmt: skip
def test_admin_register_errors(srv: Server, body: bytes, status: int, expected: dict[str, Any]):
    reply = srv.admin("POST", "/state/operations", data=body)
    assert (reply.status_code, reply.json()) == (status, expected)


def test_admin_register_execute_replace_delete(srv: Server):
    op = {
        "name": "Temp",
        "steps": [{"type": "set", "var": "x", "value": "input.n * 2"}],
        "response": {"answer": "x"},
    }
    reply = srv.admin("POST", "/state/operations", json=op)
    assert (reply.status_code, reply.json()) == (
        201,
        {"message": "Custom operation registered", "name": "Temp"},
    )
    assert result(srv.admin("POST", "/state/operations/Temp/execute", json={"n": 21})) == {
        "answer": 42,
        "id": "custom",
    }
    # a body that is not an object runs with no input, as Go's admin does
    failed = srv.admin("POST", "/state/operations/Temp/execute", data=b"[1]")
    assert (failed.status_code, failed.json()) == (
        400,
        {"error": "execution_failed", "message": "Operation failed"},
    )
    op["steps"] = [*op["steps"], {"type": "set", "var": "y", "value": "1"}]
    assert srv.admin("POST", "/state/operations", json=op).status_code == 201  # same name: replaced
    assert srv.admin("GET", "/state/operations/Temp").json()["steps"][-1] == {
        "type": "set",
        "var": "y",
        "value": "1",
    }
    assert srv.admin("GET", "/state/operations").json()["count"] == len(OPERATIONS) + 1
    exported = srv.admin("GET", "/config").json()["customOperations"]
    assert [o["name"] for o in exported][-1] == "Temp"
    deleted = srv.admin("DELETE", "/state/operations/Temp")
    assert (deleted.status_code, deleted.json()) == (
        200,
        {"message": "Custom operation deleted", "name": "Temp"},
    )
    again = srv.admin("DELETE", "/state/operations/Temp")
    assert (again.status_code, again.json()) == (
        404,
        {"error": "not_found", "message": "Custom operation not found: Temp"},
    )


def test_admin_execute_errors(srv: Server):
    not_found = {"error": "not_found", "message": "Custom operation not found: Transfer"}
    reply = srv.admin("POST", "/state/operations/Transfer/execute", json=move(1, "nope"))
    assert (reply.status_code, reply.json()) == (
        404,
        not_found,
    )  # a missing item reads as a missing operation
    reply = srv.admin("POST", "/state/operations/Transfer/execute", json=move(99999))
    assert (reply.status_code, reply.json()) == (
        400,
        {"error": "execution_failed", "message": "Operation failed"},
    )
    assert balances(srv) == (1000, 500)
    reply = srv.admin("POST", "/state/operations/Ghost/execute")
    assert (reply.status_code, reply.json()) == (
        404,
        {"error": "not_found", "message": "Custom operation not found: Ghost"},
    )
    assert (
        result(srv.admin("POST", "/state/operations/Transfer/execute", json=move(5)))["newSourceBalance"]
        == 995
    )


def test_an_operation_registered_later_serves_an_existing_mock(srv: Server):
    assert answer(srv, "/op/Ghost", {})[0] == 404
    ghost = {"name": "Ghost", "steps": [{"type": "set", "var": "boo", "value": "'boo'"}]}
    assert srv.admin("POST", "/state/operations", json=ghost).status_code == 201
    try:
        assert result(srv.call("POST", "/op/Ghost", json={})) == {"boo": "boo", "id": "custom"}
    finally:
        srv.admin("DELETE", "/state/operations/Ghost")


def test_an_operation_imported_with_post_config_runs(srv: Server):
    op = {
        "name": "Imported",
        "consistency": "atomic",
        "steps": [{"type": "set", "var": "v", "value": "7 * 6"}],
    }
    mock = op_mock("op-imported", "/op/Imported", "Imported")
    reply = srv.admin(
        "POST", "/config", json={"config": {"version": "1.0", "mocks": [mock], "customOperations": [op]}}
    )
    assert reply.status_code == 200, reply.text
    try:
        assert result(srv.call("POST", "/op/Imported")) == {"id": "custom", "v": 42}
    finally:
        srv.admin("DELETE", "/state/operations/Imported")
        srv.admin("DELETE", "/mocks/op-imported")
