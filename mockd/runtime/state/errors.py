"""What can go wrong in a stateful request, and the error body the Go tool writes for it.

Two kinds of failure, because the Go tool treats them differently:

- `StateError` subclasses come from the table itself (missing item or table, duplicate id, capacity). They
  carry an error code (`NOT_FOUND`, `CONFLICT`, ...) so a resource's `response.errors` transform can reshape
  them (reference §4.7);
- request problems found before the table is touched (body too large, bad body, no item id) are always
  written in the default shape.

The default body is Go's `stateful.ErrorResponse` struct: fields in declaration order, empty ones omitted:
`{"error", "resource", "id", "detail", "statusCode", "hint", "field"}`.
"""

from __future__ import annotations

from typing import Any

from mockd.gocompat.quote import go_quote

BODY_LIMIT = 1 << 20  # 1 MiB: stateful bodies above this answer 413 (Go's MaxStatefulBodySize)
BODY_HINT = "Reduce request body size to under 1MB"


class StateError(Exception):
    """A failure of a table operation. `message` is the current (v0.6+) text; `legacy` the v0.5 one."""

    status = 500
    code = "INTERNAL_ERROR"

    def __init__(self, resource: str, item_id: str = "") -> None:
        self.resource = resource
        self.item_id = item_id
        super().__init__(self.message)

    @property
    def message(self) -> str:
        raise NotImplementedError

    @property
    def legacy(self) -> str:
        return self.message

    @property
    def legacy_hint(self) -> str:
        return ""


class NotFound(StateError):
    status = 404
    code = "NOT_FOUND"

    @property
    def message(self) -> str:
        if self.item_id:
            return f"resource {go_quote(self.resource)} item {go_quote(self.item_id)} not found"
        return f"resource {go_quote(self.resource)} not found"

    @property
    def legacy(self) -> str:
        return "resource not found"


class Conflict(StateError):
    status = 409
    code = "CONFLICT"

    @property
    def message(self) -> str:
        return f"resource {go_quote(self.resource)} item {go_quote(self.item_id)} already exists"

    @property
    def legacy(self) -> str:
        return "resource already exists"


class CapacityExceeded(StateError):
    status = 507
    code = "CAPACITY_EXCEEDED"

    def __init__(self, resource: str, max_items: int) -> None:
        self.max_items = max_items
        super().__init__(resource)

    @property
    def message(self) -> str:
        name = go_quote(self.resource)
        return f"resource {name} has reached its maximum capacity of {self.max_items} items"

    @property
    def legacy_hint(self) -> str:
        return (
            f"Delete existing items or increase the maxItems limit (currently {self.max_items}) "
            f"for resource {go_quote(self.resource)}."
        )


class ValidationFailed(StateError):
    """The resource's `validation` rules reject a create or update (current generation: no details)."""

    status = 400
    code = "VALIDATION_ERROR"

    @property
    def message(self) -> str:
        return "validation failed"


class BodyError(Exception):
    """The request body cannot be used (too large, not JSON, unsupported type). Never transformed."""

    def __init__(self, status: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.hint = hint


def error_body(status: int, message: str, resource: str, item_id: str = "", hint: str = "") -> dict[str, Any]:
    """Go's `ErrorResponse` with its omitempty fields left out, in struct order."""
    body: dict[str, Any] = {"error": message}
    if resource:
        body["resource"] = resource
    if item_id:
        body["id"] = item_id
    body["statusCode"] = status
    if hint:
        body["hint"] = hint
    return body
