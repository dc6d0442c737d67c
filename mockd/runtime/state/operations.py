"""Custom operations (reference §4.3, §4.8): named multi-step scripts over the tables.

An operation runs its steps in order against an environment that starts as `{"input": <request data>}`;
`read`/`create`/`list` store their result under `as`, `set` stores a value under `var`, `update` patches
(and with `as` re-reads), `delete` removes, `validate` stops the run when its condition is falsy. Every
value comes from an expression (`mockd.runtime.state.expr`). The result object is the evaluated
`response` map (or every variable except `input`) plus `id` (a string `id` from the result, else
"custom"), `createdAt` and `updatedAt`, keys sorted as Go writes a map.

A failing step stops the run with `step N (<type>) failed: <cause>` (N counts from 0), classified as Go
classifies the cause: a missing table or item is NOT_FOUND, a taken id CONFLICT, a full table
CAPACITY_EXCEEDED, a false `validate` VALIDATION_ERROR, anything else INTERNAL_ERROR. With `consistency:
atomic` the writes made before the failure are undone first (no isolation: nothing awaits mid-run, so no
other request sees the intermediate state here anyway).

Deliberate differences, both where Go contradicts its own documentation: a `list` step returns every
matching item (Go stops at 100), and a failing `validate` step answers its `errorStatus` on the mock port
(Go accepts the key but always answers 400).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockd.gocompat.gojson import go_numbers
from mockd.gocompat.quote import go_quote
from mockd.gocompat.timefmt import rfc3339_nano_local
from mockd.runtime.state.errors import StateError
from mockd.runtime.state.expr import ExprError, compile_expression
from mockd.runtime.state.query import ListQuery, run
from mockd.runtime.state.transform import sort_json
from mockd.templates.gofmt import format_value

if TYPE_CHECKING:
    from mockd.runtime.state.resource import Item, Resource
    from mockd.runtime.state.tables import Tables

CONSISTENCY_MODES = ("best_effort", "atomic")
_STATUS = {"NOT_FOUND": 404, "CONFLICT": 409, "VALIDATION_ERROR": 400, "CAPACITY_EXCEEDED": 507}


@dataclass(frozen=True, slots=True)
class Step:
    type: str
    resource: str = ""
    id: str = ""
    as_: str = ""
    set: tuple[tuple[str, str], ...] = ()
    var: str = ""
    value: str = ""
    filter: tuple[tuple[str, str], ...] = ()
    condition: str = ""
    error_message: str = ""
    error_status: int = 0


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    consistency: str  # best_effort | atomic (normalised)
    steps: tuple[Step, ...]
    response: tuple[tuple[str, str], ...] | None  # None: answer every variable

    @classmethod
    def parse(cls, config: dict[str, Any]) -> Operation:
        """From a config/admin dict; ValueError for a consistency mode the Go tool refuses. Defensive
        about shapes: `POST /config` hands definitions on without the compiler's type checks."""
        mode = _text(config.get("consistency")).strip() or "best_effort"
        if mode not in CONSISTENCY_MODES:
            raise ValueError(f"unsupported consistency mode {go_quote(mode)} (valid: best_effort, atomic)")
        raw_steps = config.get("steps")
        steps = (
            tuple(_step(s) for s in raw_steps if isinstance(s, dict)) if isinstance(raw_steps, list) else ()
        )
        response = config.get("response")
        return cls(_text(config.get("name")), mode, steps, _pairs(response) if response else None)

    def execute(self, state: Tables, data: dict[str, Any]) -> dict[str, Any]:
        """Run every step; the result object, or `OperationFailed`."""
        env: dict[str, Any] = {"input": data}
        undo = _Undo() if self.consistency == "atomic" else None
        for i, step in enumerate(self.steps):
            try:
                _STEPS.get(step.type, _unknown)(state, step, env, undo)
            except _StepError as exc:
                if undo is not None:
                    undo.rollback()
                message = f"step {i} ({step.type}) failed: {exc.message}"
                raise OperationFailed(exc.code, message, exc.status) from None
        if self.response is not None:
            result: dict[str, Any] = {}
            for key, source in self.response:
                try:
                    result[key] = _eval(source, env)
                except ExprError as exc:
                    message = f"response expression {go_quote(key)} failed: {exc.go_message(source)}"
                    raise OperationFailed("INTERNAL_ERROR", message) from None
        else:
            result = {k: v for k, v in env.items() if k != "input"}
        now = rfc3339_nano_local(time.time())
        item_id = result.get("id")
        result.update(id=item_id if isinstance(item_id, str) else "custom", createdAt=now, updatedAt=now)
        return sort_json(go_numbers(result))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    return tuple((k, _text(v)) for k, v in value.items()) if isinstance(value, dict) else ()


def _step(s: dict[str, Any]) -> Step:
    status = s.get("errorStatus")
    return Step(
        type=_text(s.get("type")), resource=_text(s.get("resource")), id=_text(s.get("id")),
        as_=_text(s.get("as")), set=_pairs(s.get("set")), var=_text(s.get("var")),
        value=_text(s.get("value")), filter=_pairs(s.get("filter")), condition=_text(s.get("condition")),
        error_message=_text(s.get("errorMessage")),
        error_status=status if isinstance(status, int) and not isinstance(status, bool) else 0,
    )  # fmt: skip


class OperationFailed(Exception):
    """A failed run: Go's error code, its full message, and the HTTP status it answers on the mock port."""

    def __init__(self, code: str, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or _STATUS.get(code, 500)


class _StepError(Exception):
    def __init__(self, message: str, code: str = "INTERNAL_ERROR", status: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


def _eval(source: str, env: dict[str, Any]) -> Any:
    return go_numbers(compile_expression(source).evaluate(env))


def _expr(source: str, env: dict[str, Any], what: str) -> Any:
    try:
        return _eval(source, env)
    except ExprError as exc:
        raise _StepError(f"{what} expression failed: {exc.go_message(source)}") from None


def _need(step: Step, *fields: str) -> None:
    names = {"resource": "resource", "id": "id expression", "as_": "'as' variable name"}
    for name in fields:
        if not getattr(step, name):
            raise _StepError(f"{step.type} step requires {names[name]}")


def _table(state: Tables, name: str) -> Resource:
    resource = state.get(name)
    if resource is None:
        raise _StepError(f"resource {go_quote(name)} not found", "NOT_FOUND")
    return resource


def _fields(step: Step, env: dict[str, Any]) -> dict[str, Any]:
    return {name: _expr(source, env, f"field {go_quote(name)}") for name, source in step.set}


def _guard(fn: Any, *args: Any) -> Any:
    """A table call, its StateError turned into a step error of the same class."""
    try:
        return fn(*args)
    except StateError as exc:
        raise _StepError(exc.message, exc.code) from None


def _read(state: Tables, step: Step, env: dict[str, Any], undo: _Undo | None) -> None:
    _need(step, "resource", "id", "as_")
    key = format_value(_expr(step.id, env, "id"))
    env[step.as_] = _guard(_table(state, step.resource).get, key).go_view()


def _update(state: Tables, step: Step, env: dict[str, Any], undo: _Undo | None) -> None:
    _need(step, "resource", "id")
    key = format_value(_expr(step.id, env, "id"))
    resource = _table(state, step.resource)
    if undo is not None:
        undo.before(resource, key)
    item = _guard(resource.patch, key, _fields(step, env))
    if step.as_:
        env[step.as_] = item.go_view()


def _delete(state: Tables, step: Step, env: dict[str, Any], undo: _Undo | None) -> None:
    _need(step, "resource", "id")
    key = format_value(_expr(step.id, env, "id"))
    resource = _table(state, step.resource)
    if undo is not None:
        undo.before(resource, key)
    _guard(resource.delete, key)


def _create(state: Tables, step: Step, env: dict[str, Any], undo: _Undo | None) -> None:
    _need(step, "resource")
    resource = _table(state, step.resource)
    item = _guard(resource.create, _fields(step, env), None)
    if undo is not None:
        undo.created(resource, item.key)
    if step.as_:
        env[step.as_] = item.go_view()


def _set(state: Tables, step: Step, env: dict[str, Any], undo: _Undo | None) -> None:
    if not step.var:
        raise _StepError("set step requires var name")
    if not step.value:
        raise _StepError("set step requires value expression")
    env[step.var] = _expr(step.value, env, "value")


def _list(state: Tables, step: Step, env: dict[str, Any], undo: _Undo | None) -> None:
    _need(step, "resource", "as_")
    resource = _table(state, step.resource)
    filters = {
        name: format_value(_expr(src, env, f"filter field {go_quote(name)}")) for name, src in step.filter
    }
    page = run(resource, ListQuery(limit=len(resource.items) or 1, filters=filters))
    env[step.as_] = [item.go_view() for item in page.items]


def _validate(state: Tables, step: Step, env: dict[str, Any], undo: _Undo | None) -> None:
    if not step.condition:
        raise _StepError("validate step requires condition expression")
    value = _expr(step.condition, env, "condition")
    if not _truthy(value):
        message = step.error_message or "validation failed: " + step.condition
        status = step.error_status if 100 <= step.error_status <= 599 else 0
        raise _StepError(f'validation failed for field "condition": {message}', "VALIDATION_ERROR", status)


def _unknown(state: Tables, step: Step, env: dict[str, Any], undo: _Undo | None) -> None:
    raise _StepError(f"unknown step type: {step.type}")


def _truthy(value: Any) -> bool:
    """Go's check of a condition's result: bools as they are, zero numbers and "" false, nil false, any
    other value (arrays, maps) true."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float | str):
        return bool(value)
    return True


_STEPS = {
    "read": _read, "update": _update, "delete": _delete, "create": _create, "set": _set, "list": _list,
    "validate": _validate,
}  # fmt: skip


class _Undo:
    """`consistency: atomic`: each touched item as it was before its first change in this run."""

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], tuple[Resource, Item | None]] = {}

    def before(self, resource: Resource, key: str) -> None:
        self.entries.setdefault((resource.name, key), (resource, resource.items.get(key)))

    def created(self, resource: Resource, key: str) -> None:
        self.entries.setdefault((resource.name, key), (resource, None))

    def rollback(self) -> None:
        for (_, key), (resource, item) in reversed(self.entries.items()):
            resource.restore(key, item)
