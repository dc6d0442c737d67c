"""WSDL 1.1 to SOAP mocks (imports-exports §3.9), parsed with lxml.

One `type: soap` mock per endpoint path (`soap:address` location, else `/soap/<service>`), with the
operations of every port bound there: the `soapAction` from the binding and a sample response element
built from the output message's schema (`<GetUserResponse><user><id>sample</id>...`), which the SOAP
handler wraps in an envelope. Beyond the Go tool, SOAP extension elements are recognised by their namespace
(SOAP 1.1 or 1.2) whatever their prefix; the Go tool only knows the prefixes `soap`, `soap12` and `wsoap`.
Network access and entity expansion are off while parsing.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from mockd.imports.errors import ImportFailure
from mockd.imports.model import Converted, Source, stable_id

_SOAP_NS = {
    "http://schemas.xmlsoap.org/wsdl/soap/",
    "http://schemas.xmlsoap.org/wsdl/soap12/",
    "http://www.w3.org/ns/wsdl/soap",
}
_SAMPLES = {
    **dict.fromkeys(("int", "integer", "long", "short", "byte", "unsignedInt", "unsignedLong"), "0"),
    **dict.fromkeys(("float", "double", "decimal"), "0.0"),
    "boolean": "true",
    "date": "2026-01-01",
    "dateTime": "2026-01-01T00:00:00Z",
}
_MAX_DEPTH = 8


def _local(name: str | None) -> str:
    return (name or "").rpartition(":")[2]


def _tag(el: Any) -> str:
    return str(etree.QName(el).localname) if isinstance(el.tag, str) else ""


@dataclass
class _Schema:
    elements: dict[str, Any] = field(default_factory=dict)
    types: dict[str, Any] = field(default_factory=dict)

    def sample(self, name: str, node: Any, depth: int = 0) -> str:
        """`<name>` with one child per field of its type, nested types expanded, repeats written once."""
        children = self._fields(node, depth)
        if children is None:
            kind = _local(node.get("type")) if node is not None else ""
            return f"<{name}>{_SAMPLES.get(kind, 'sample')}</{name}>"
        inner = "".join(
            self.sample(child.get("name") or _local(child.get("ref")), child, depth + 1) for child in children
        )
        return f"<{name}>{inner or '<result>ok</result>'}</{name}>"

    def _fields(self, node: Any, depth: int) -> list[Any] | None:
        """The child elements of `node`'s complex type, or None for a simple value."""
        if node is None or depth > _MAX_DEPTH:
            return None
        if node.get("ref"):
            return self._fields(self.elements.get(_local(node.get("ref"))), depth + 1)
        complex_type = next((c for c in node if _tag(c) == "complexType"), None)
        if complex_type is None and node.get("type"):
            complex_type = self.types.get(_local(node.get("type")))
        if complex_type is None:
            return [] if _tag(node) == "element" and not node.get("type") else None
        return [el for el in complex_type.iter() if _tag(el) == "element" and _owner(el) is complex_type]


def _owner(el: Any) -> Any:
    """The nearest enclosing complexType (an inline type's fields belong to it, not to the outer one)."""
    parent = el.getparent()
    while parent is not None and _tag(parent) != "complexType":
        parent = parent.getparent()
    return parent


def convert(source: Source) -> Converted:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(source.data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImportFailure(f"wsdl: failed to parse XML: {exc}", file=source.name) from None
    if _tag(root) == "description":
        raise ImportFailure(
            "wsdl: WSDL 2.0 is not yet supported; please use a WSDL 1.1 document", file=source.name
        )
    if _tag(root) != "definitions":
        raise ImportFailure(
            f"wsdl: expected root element <definitions> or <description>, got <{_tag(root)}>",
            file=source.name,
        )
    schema = _Schema()
    messages: dict[str, Any] = {}
    port_types: dict[str, dict[str, str]] = {}  # portType -> operation -> output message
    bindings: dict[str, tuple[str, dict[str, str]]] = {}  # binding -> (portType, operation -> soapAction)
    services: list[tuple[str, str, str, str]] = []  # (service, port, binding, location)
    for child in root:
        kind = _tag(child)
        if kind == "types":
            for xsd in child:
                for top in xsd:
                    if _tag(top) == "element" and top.get("name"):
                        schema.elements[top.get("name")] = top
                    elif _tag(top) == "complexType" and top.get("name"):
                        schema.types[top.get("name")] = top
        elif kind == "message" and child.get("name"):
            messages[child.get("name")] = child
        elif kind == "portType" and child.get("name"):
            port_types[child.get("name")] = {
                op.get("name"): _local(next((o.get("message") for o in op if _tag(o) == "output"), ""))
                for op in child if _tag(op) == "operation" and op.get("name")
            }  # fmt: skip
        elif kind == "binding" and child.get("name"):
            actions = {}
            for op in child:
                if _tag(op) == "operation" and op.get("name"):
                    soap_op = next(
                        (e for e in op if etree.QName(e).namespace in _SOAP_NS and _tag(e) == "operation"),
                        None,
                    )
                    actions[op.get("name")] = soap_op.get("soapAction", "") if soap_op is not None else ""
            bindings[child.get("name")] = (_local(child.get("type")), actions)
        elif kind == "service" and child.get("name"):
            for port in child:
                if _tag(port) != "port":
                    continue
                address = next(
                    (e for e in port if etree.QName(e).namespace in _SOAP_NS and _tag(e) == "address"), None
                )
                location = address.get("location", "") if address is not None else ""
                services.append(
                    (child.get("name"), port.get("name", ""), _local(port.get("binding")), location)
                )
    text = source.data.decode("utf-8", "replace")
    by_path: dict[str, dict[str, Any]] = {}
    for service, port, binding_name, location in services:
        if binding_name not in bindings or bindings[binding_name][0] not in port_types:
            continue
        port_type, actions = bindings[binding_name]
        path = urllib.parse.urlsplit(location).path if location else ""
        path = path or f"/soap/{service.lower()}"
        mock = by_path.get(path)
        if mock is None:
            mock = {
                "id": stable_id("soap", source.name, path),
                "type": "soap",
                "name": f"{service} - {port}",
                "enabled": True,
                "soap": {"path": path, "wsdl": text, "operations": {}},
            }
            by_path[path] = mock
        operations = mock["soap"]["operations"]
        for op, output in port_types[port_type].items():
            if op in operations:
                continue
            operations[op] = {
                "soapAction": actions.get(op, ""),
                "response": _response(op, messages.get(output), schema),
            }
    if not by_path:
        raise ImportFailure("wsdl: no services found in WSDL document", file=source.name)
    return Converted("wsdl", list(by_path.values()), name=str(root.get("name", "")))


def _response(op: str, message: Any, schema: _Schema) -> str:
    if message is None:
        return f"<{op}Response><result>ok</result></{op}Response>"
    part = next((p for p in message if _tag(p) == "part" and p.get("element")), None)
    if part is None:
        return f"<{op}Response><result>ok</result></{op}Response>"
    name = _local(part.get("element"))
    return schema.sample(name, schema.elements.get(name))
