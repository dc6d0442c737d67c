"""SOAP mocks (`type: soap`) on the mock port: protocols-reference §5.

`build` compiles each operation's XPath matchers and checks an inline WSDL (both load errors naming the
field), and routes any method on `soap.path` here; `check` reads a `wsdlFile` against the config's folder.
The responder serves `?wsdl`, parses the envelope with lxml (no network, no entities), picks the operation
by SOAPAction or Body element, and answers the configured response or fault in the request's SOAP version.
A body that is not XML gets a SOAP fault, never a 500 page.
"""

from __future__ import annotations

import asyncio
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockd.chaos.durations import parse_duration
from mockd.plan.model import route_spec
from mockd.protocols.registry import ProtocolBuildError, ServeEnv, TableError
from mockd.protocols.soap import envelope, stateful, wsdl
from mockd.protocols.soap.xpath import XPath, XPathError
from mockd.templates import Context, compile_template

if TYPE_CHECKING:
    from mockd.plan.model import RouteSpec

PROTOCOL_PRIORITY = 1_000_000
_XPATH_TEMPLATE = re.compile(r"\{\{xpath:([^}]*)\}\}")
_TEXT = [("content-type", "text/plain; charset=utf-8")]


@dataclass(frozen=True, slots=True)
class Operation:
    name: str
    soap_action: str
    response: str
    delay: float
    fault: dict[str, Any] | None
    binding: dict[str, Any] | None  # statefulBinding {table, action, operation}
    match: tuple[tuple[XPath, str], ...]
    response_paths: dict[str, XPath]  # `{{xpath:...}}` in the response, compiled


def _delay(value: Any, where: str) -> float:
    if value in (None, "", 0):
        return 0.0
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) / 1000.0  # bare milliseconds
    text = str(value)
    seconds = float(text) / 1000.0 if text.isdigit() else parse_duration(text)
    if seconds is None or seconds < 0:
        raise ProtocolBuildError(where, f'invalid duration "{text}" (e.g. "250ms", or milliseconds)')
    return seconds


def _binding(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    return {k: str(value.get(k) or "") for k in ("table", "action", "operation")}


def _xpath(path: str, where: str) -> XPath:
    try:
        return XPath(path)
    except XPathError as e:
        raise ProtocolBuildError(where, f"invalid XPath: {e}") from None


def read_operations(spec: dict[str, Any]) -> list[Operation]:
    out = []
    for name, op in (spec.get("operations") or {}).items():
        where = f"soap.operations.{name}"
        if not isinstance(op, dict):
            raise ProtocolBuildError(where, "expected an operation object")
        xpaths = ((op.get("match") or {}).get("xpath")) or {}
        if not isinstance(xpaths, dict):
            raise ProtocolBuildError(f"{where}.match.xpath", "expected a map of path to expected text")
        match = tuple((_xpath(p, f"{where}.match.xpath"), str(v)) for p, v in xpaths.items())
        response = str(op.get("response") or "")
        paths = {p: _xpath(p, f"{where}.response") for p in _XPATH_TEMPLATE.findall(response)}
        fault = op.get("fault")
        out.append(Operation(
            name, str(op.get("soapAction") or ""), response, _delay(op.get("delay"), f"{where}.delay"),
            fault if isinstance(fault, dict) else None, _binding(op.get("statefulBinding")), match, paths,
        ))  # fmt: skip
    return out


def build(mock: dict[str, Any]) -> tuple[RouteSpec | None, dict[str, Any]]:
    spec = mock.get("soap") or {}
    read_operations(spec)
    if spec.get("wsdl"):
        try:
            wsdl.check_wsdl(spec["wsdl"])
        except wsdl.WsdlError as e:
            raise ProtocolBuildError("soap.wsdl", f"invalid WSDL in mock '{mock['id']}': {e}") from None
    route = route_spec(
        id=mock["id"], name=mock.get("name") or None, path=spec["path"], priority=PROTOCOL_PRIORITY
    )
    return route, {**spec, "name": mock.get("name") or ""}


def _read_wsdl(spec: dict[str, Any], base_dir: str) -> str:
    path = os.path.join(base_dir, spec["wsdlFile"])
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise ProtocolBuildError(
            "soap.wsdlFile", f"failed to read WSDL file {spec['wsdlFile']}: {reason}"
        ) from None


def check(spec: dict[str, Any], base_dir: str) -> None:
    if spec.get("wsdlFile"):
        try:
            wsdl.check_wsdl(_read_wsdl(spec, base_dir))
        except wsdl.WsdlError as e:
            raise ProtocolBuildError("soap.wsdlFile", f"invalid WSDL in {spec['wsdlFile']}: {e}") from None


class SoapResponder:
    def __init__(self, spec: dict[str, Any], env: ServeEnv) -> None:
        self.path = spec["path"]
        self.operations = read_operations(spec)
        self.by_name = {op.name: op for op in self.operations}
        self.wsdl_text: str | None = spec.get("wsdl") or None
        self.wsdl_problem = ""
        if spec.get("wsdlFile"):
            try:
                self.wsdl_text = _read_wsdl(spec, env.base_dir)
            except ProtocolBuildError as e:
                self.wsdl_problem = e.message
        self.name = spec.get("name") or ""
        self.note = env.note
        self.tables = env.tables

    async def respond(self, req: Any, proto: Any) -> int:
        if req.query and any(k.split("=", 1)[0].lower() == "wsdl" for k in req.query.split("&")):
            return self._wsdl(req, proto)
        if req.method != "POST":
            proto.response_bytes(405, _TEXT, b"Method not allowed")
            return 405
        # What the request log records (the Go tool's `soap` entry fields), filled in as the call proceeds.
        seen: dict[str, Any] = {"operation": "", "soapAction": "", "soapVersion": "1.1", "isFault": False}
        status = await self._call(req, proto, seen)
        if self.note is not None:
            self.note(req, {"protocol": "soap", "soap": seen})
        return status

    async def _call(self, req: Any, proto: Any, seen: dict[str, Any]) -> int:
        def fault(code: str, message: str, detail: str = "") -> int:
            seen["isFault"] = True
            seen["faultCode"] = code
            return _fault(proto, seen["soapVersion"], code, message, detail)

        try:
            env = envelope.parse(req.body)
        except envelope.EnvelopeError as e:
            return fault("soap:Client", str(e))
        headers = req.headers
        seen["soapVersion"] = env.version
        action = envelope.action_of(
            env.version, headers.get("content-type") or "", headers.get("soapaction") or ""
        )
        seen["soapAction"] = action
        op = next((o for o in self.operations if action and o.soap_action == action), None)
        if op is None:
            if not env.operation_element:
                return fault("soap:Client", f"Failed to determine operation: {env.body_problem}")
            seen["operation"] = env.operation_element
            op = self.by_name.get(env.operation_element)
            if op is None:
                return fault("soap:Client", f"Unknown operation: {env.operation_element}")
        seen["operation"] = op.name
        if any(path.value(env.root) != expected for path, expected in op.match):
            return fault("soap:Client", f"No matching condition for operation: {op.name}")
        if op.delay:
            await asyncio.sleep(op.delay)
        if op.fault is not None:
            f = op.fault
            return fault(str(f.get("code") or ""), str(f.get("message") or ""), str(f.get("detail") or ""))
        if op.binding is not None:
            return await self._bound(op.binding, env, proto, fault)
        text = _XPATH_TEMPLATE.sub(lambda m: op.response_paths[m.group(1)].value(env.root), op.response)
        if "{{" in text:
            context = Context(req.method, req.path, req.query, headers.get, req.body)
            text = compile_template(text).render(context)
        proto.response_bytes(200, [("content-type", envelope.CONTENT_TYPE[env.version])],
                             envelope.success(env.version, text))  # fmt: skip
        return 200

    async def _bound(self, binding: dict[str, Any], env: envelope.Envelope, proto: Any, fault: Any) -> int:
        """A `statefulBinding` operation: the table action on the operation element's data."""
        if self.tables is None:
            return int(fault("soap:Server", "Failed to build response: stateful tables are not available"))
        data = stateful.element_data(env.operation_node) if env.operation_node is not None else {}
        table, action = binding["table"], binding["action"]
        try:
            kind, value = await self.tables.run_durably(table, action, binding["operation"], data)
        except TableError as e:
            return int(fault("soap:Client" if e.client else "soap:Server", e.message))
        name = binding["operation"] or table if action == "custom" else table
        body = envelope.success(env.version, stateful.render(kind, value, name))
        proto.response_bytes(200, [("content-type", envelope.CONTENT_TYPE[env.version])], body)
        return 200

    def _wsdl(self, req: Any, proto: Any) -> int:
        if req.method != "GET":
            proto.response_bytes(405, _TEXT, b"Method not allowed")
            return 405
        text = self.wsdl_text
        if text is None and self.operations and not self.wsdl_problem:
            host = req.headers.get("host") or "localhost:4280"
            actions = {op.name: op.soap_action for op in self.operations}
            text = wsdl.generate(self.name, f"http://{host}{self.path}", actions)
        if text is None:
            proto.response_bytes(404, _TEXT, b"WSDL not available")
            return 404
        proto.response_bytes(200, [("content-type", "text/xml; charset=utf-8")], text.encode())
        return 200


def _fault(proto: Any, version: str, code: str, message: str, detail: str = "") -> int:
    proto.response_bytes(500, [("content-type", envelope.CONTENT_TYPE[version])],
                         envelope.fault(version, code, message, detail))  # fmt: skip
    return 500


def responder(spec: dict[str, Any], env: ServeEnv) -> SoapResponder:
    return SoapResponder(spec, env)
