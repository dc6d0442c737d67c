"""From a validated mock to what the runtime serves: its route, its action, and its pre-built response.

Decisions made here, once, instead of per request:

- the method is upper-cased (Go matches it case-insensitively); empty criteria become None/[];
- `bodyJsonPath` conditions become (path, op, expected-as-JSON-text): `exists`/`absent` for a map whose only
  key is `exists` (true means exists; any other value, even "yes", means absent — Go's `getExistsValue`),
  `eq` with the Go-encoded expected value otherwise;
- a static inline body without a configured Content-Type gets the inferred one appended (reference §3.7 step
  6), so the runtime serves pre-encoded bytes; templated bodies and body files are inferred at request time;
- `captures` is set when the runtime will need path parameters (templates, stateful actions, request
  validation).

Mocks we keep but cannot serve get an `unsupported` action: SSE/chunked HTTP mocks keep a route (a request
for them gets a clear 501 from the runtime instead of a misleading 404), non-HTTP protocols and mTLS-matched
mocks get none (the latter cannot match over plain HTTP, as in the Go tool without TLS). A mock with
`http.passthrough` (ours) gets a `passthrough` action naming its upstream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mockd.compiler.build.mock_view import go_mock_dict
from mockd.compiler.models import HTTPResponse, Mock
from mockd.content_type import infer_content_type
from mockd.gocompat import gojson
from mockd.plan.model import (
    Action,
    BindingAction,
    JsonPathOp,
    PassthroughAction,
    ResponseSpec,
    RouteSpec,
    response_spec,
    route_spec,
)
from mockd.protocols import registry

_PARAM = re.compile(r"\{[^}]*\}")


def jsonpath_conditions(conditions: dict[str, Any] | None) -> list[tuple[str, JsonPathOp, str | None]]:
    out: list[tuple[str, JsonPathOp, str | None]] = []
    for expr, expected in (conditions or {}).items():
        if isinstance(expected, dict) and len(expected) == 1 and "exists" in expected:
            out.append((expr, "exists" if expected["exists"] is True else "absent", None))
        else:
            out.append((expr, "eq", gojson.marshal_text(expected)))
    return out


def build_route(m: Mock, *, captures: bool) -> RouteSpec:
    assert m.http is not None
    assert m.http.matcher is not None
    mt = m.http.matcher
    return route_spec(
        id=m.id,
        name=m.name or None,
        method=mt.method.upper() or None,
        path=mt.path or None,
        pathPattern=mt.pathPattern or None,
        headers=list((mt.headers or {}).items()),
        query=list((mt.queryParams or {}).items()),
        bodyEquals=mt.bodyEquals or None,
        bodyContains=mt.bodyContains or None,
        bodyPattern=mt.bodyPattern or None,
        bodyJsonPath=jsonpath_conditions(mt.bodyJsonPath),
        priority=m.http.priority,
        captures=captures,
    )


def build_response(r: HTTPResponse) -> ResponseSpec:
    headers = list((r.headers or {}).items())
    templated = "{{" in r.body or any("{{" in v for _, v in headers)
    content_type_set = any(k.lower() == "content-type" for k, _ in headers)
    inline = bool(r.body) or not r.bodyFile
    if not content_type_set and not templated and inline:
        headers.append(("Content-Type", infer_content_type(r.body)))
        content_type_set = True
    return response_spec(
        status=200 if r.statusCode is None else r.statusCode,
        headers=headers,
        body=r.body,
        bodyFile=r.bodyFile or None,
        delayMs=r.delayMs,
        seed=r.seed,
        templated=templated,
        contentTypeSet=content_type_set,
    )


@dataclass(frozen=True, slots=True)
class Built:
    route: RouteSpec | None
    action: Action
    reason: str | None = None  # set for unsupported mocks (the warning text)
    error: registry.ProtocolBuildError | None = None  # a protocol module refused the mock
    error_slug: str = "invalid_protocol_mock"  # the config issue's slug for `error`


MTLS_UNSUPPORTED = (
    "client-certificate matching is not supported: Granian, which serves mockd's ports, does not give the "
    "application the client certificate (--mtls-ca still makes HTTPS require one signed by your CA)"
)


def build(m: Mock, *, binding_response: dict[str, Any] | None = None) -> Built:
    """Route and action of a validated mock (after extend resolution)."""
    served = _protocol(m)
    if served is not None:
        return served
    if m.type != "http" or m.http is None or m.http.matcher is None:
        reason = f"{m.type or 'untyped'} mocks are not served by mockd yet"
        return Built(None, {"kind": "unsupported", "reason": reason}, reason)
    spec = m.http
    if spec.matcher is not None and spec.matcher.mtls is not None:
        # Refused, not kept: a mock that can never match would fail the suite that relies on it silently.
        refused = registry.ProtocolBuildError("http.matcher.mtls", MTLS_UNSUPPORTED)
        return Built(None, {"kind": "unsupported", "reason": MTLS_UNSUPPORTED}, error=refused,
                     error_slug="unsupported_mtls")  # fmt: skip
    if spec.sse is not None or spec.chunked is not None:
        what = "SSE streaming" if spec.sse is not None else "chunked streaming"
        reason = f"{what} responses are not served by mockd yet"
        return Built(build_route(m, captures=False), {"kind": "unsupported", "reason": reason}, reason)
    if spec.statefulBinding is not None:
        b = spec.statefulBinding
        action: BindingAction = {
            "kind": "binding",
            "table": b.table,
            "action": b.action,
            "operation": b.operation or None,
        }
        if binding_response is not None:
            action["response"] = binding_response
        return Built(build_route(m, captures=True), action)
    if spec.passthrough is not None:  # ours: forwarded to an upstream (mockd/runtime/passthrough.py)
        p = spec.passthrough
        forward: PassthroughAction = {
            "kind": "passthrough",
            "upstream": p.upstream.rstrip("/"),
            "connectTimeoutMs": p.connectTimeoutMs,
            "readTimeoutMs": p.readTimeoutMs,
        }
        return Built(build_route(m, captures=False), forward)
    if spec.statefulOperation:
        return Built(
            build_route(m, captures=True), {"kind": "operation", "operation": spec.statefulOperation}
        )
    assert spec.response is not None
    response = build_response(spec.response)
    # Body files are templated when served (as in Go), so their routes need path params too; so do
    # validated mocks (`validation.pathParams`).
    captures = (
        response["templated"]
        or (not response["body"] and bool(response["bodyFile"]))
        or spec.validation is not None
    )
    return Built(build_route(m, captures=captures), {"kind": "response", "response": response})


def _protocol(m: Mock) -> Built | None:
    """A mock whose kind a protocol module serves (mockd.protocols.registry): its route and spec come from
    that module. None for plain HTTP mocks and for kinds not served yet (handled as before)."""
    if m.type == "http" and (m.http is None or (m.http.sse is None and m.http.chunked is None)):
        return None  # the common case decided without building the admin view
    view = go_mock_dict(m)
    kind = registry.kind_of(view)
    module = registry.load(kind) if kind is not None else None
    if kind is None or module is None:
        return None
    try:
        route, spec = module.build(view)
    except registry.ProtocolBuildError as e:
        return Built(None, {"kind": "unsupported", "reason": str(e)}, None, e)
    return Built(route, {"kind": "protocol", "protocol": kind, "spec": spec})


def criteria_key(route: RouteSpec) -> tuple[Any, ...]:
    """Everything that decides whether a route matches a request: equal keys match exactly the same requests.

    Header names compare case-insensitively and `{param}` names do not matter for matching.
    """
    return (
        route["method"],
        _PARAM.sub("{}", route["path"]) if route["path"] else None,
        route["pathPattern"],
        tuple(sorted((k.lower(), v) for k, v in route["headers"])),
        tuple(sorted(route["query"])),
        route["bodyEquals"],
        route["bodyContains"],
        route["bodyPattern"],
        tuple(sorted(route["bodyJsonPath"], key=lambda c: (c[0], c[1], c[2] or ""))),
    )
