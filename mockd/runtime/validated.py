"""Per-mock request validation on the mock port (reference §3.9): a target wrapped by its mock's rules.

`validated(target, compiled, base_dir)` returns the target itself when the mock has no rules, so every
unvalidated mock keeps its pre-encoded static response and the hot path never looks at validation. A
validated mock gets a `ValidatedTarget`: its `static` is None, so the app calls `respond`, which

1. reads what the rules need: the body (any non-empty body must be a JSON object, whatever its
   Content-Type: otherwise one `invalid_json` error), path params (`{param}`s of `matcher.path`; none for
   `pathPattern` routes, as in Go), first query values, and the configured headers;
2. on a rejection (mode strict, or permissive with a missing `required`) answers `failStatus` with the
   problem+json body and stops: the request was matched, so it is counted and logged under the mock;
3. otherwise logs what warn/permissive let through and serves the wrapped target: its delay (Go applies
   `delayMs` only when writing a response, after validation), then its static bytes or its `respond` (a
   template, a stateful binding or a custom operation).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from mockd.gocompat import gojson
from mockd.runtime.state import body as bodies
from mockd.runtime.state.errors import BodyError
from mockd.runtime.targets import Headers, RequestView, Target
from mockd.validation import FieldError, Validator, invalid_json, parse_request, problem, rejects

if TYPE_CHECKING:
    from mockd.bodyfile import BodyFilePolicy
    from mockd.plan.model import CompiledMock

log = logging.getLogger("mockd.validation")
PROBLEM_HEADERS: Headers = [("content-type", "application/problem+json")]


def write_problem(proto: Any, status: int, errors: list[FieldError]) -> int:
    """The problem+json reply (Go's `ErrorResponse.WriteResponse`: encoder output, trailing newline)."""
    proto.response_bytes(status, PROBLEM_HEADERS, gojson.encode(problem(errors, status)))
    return status


def validated(
    target: Target, compiled: CompiledMock, base_dir: str | None, files: BodyFilePolicy | None = None
) -> Target:
    """`target` guarded by its mock's `http.validation`, or `target` itself when there are no rules.
    `files` says how a `schemaRef` file may be read (mockd/bodyfile.py)."""
    rules, _ = parse_request((compiled["mock"].get("http") or {}).get("validation"))
    if rules.empty:
        return target
    route = compiled["route"]
    path_params = bool(route and route["path"] and not route["pathPattern"])
    return ValidatedTarget(target, Validator(rules, base_dir, files), path_params)


class ValidatedTarget(Target):
    """Checks the request, then answers as the wrapped target (whose identity and counter it shares)."""

    __slots__ = ("header_names", "inner", "path_params", "validator")

    def __init__(self, inner: Target, validator: Validator, path_params: bool) -> None:
        super().__init__(inner.log_id, inner.counter)  # no delay here: the inner one runs after validation
        self.inner = inner
        self.validator = validator
        self.path_params = path_params
        self.header_names = tuple(name.lower() for name, _ in validator.rules.headers)

    def check(self, req: RequestView) -> list[FieldError]:
        body: dict[str, Any] | None = None
        if req.body:
            try:
                body = bodies.parse_json_object(req.body, "")
            except BodyError as exc:
                return [invalid_json(exc.message)]
        params = (req.captures or {}) if self.path_params else {}
        query = {k: v[0] for k, v in bodies.parse_form(req.query)[0].items()} if req.query else {}
        headers = {n: v for n in self.header_names if (v := req.headers.get(n)) is not None}
        return self.validator.validate(body, params, query, headers)

    async def respond(self, req: RequestView, proto: Any) -> int:
        errors = self.check(req)
        mode = self.validator.mode
        if rejects(errors, mode):
            return write_problem(proto, self.validator.fail_status, errors)
        for err in errors:
            log.warning("http validation warning (%s): field=%r message=%r", mode, err.field, err.message)
        inner = self.inner
        if inner.delay:
            await asyncio.sleep(inner.delay)
        if inner.static is not None:
            proto.response_bytes(*inner.static)
            return inner.static[0]
        return await inner.respond(req, proto)
