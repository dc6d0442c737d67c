"""Reading SOAP request envelopes and writing responses and faults byte for byte as the Go tool does
(protocols-reference §5.2-5.3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree  # type: ignore[import-untyped]

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
CONTENT_TYPE = {"1.1": "text/xml; charset=utf-8", "1.2": "application/soap+xml; charset=utf-8"}
_PROLOG = '<?xml version="1.0" encoding="UTF-8"?>'

# No network, no entity expansion, no DTD loading: request bodies are untrusted.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class EnvelopeError(ValueError):
    """A request that is not a usable SOAP envelope; the message is the fault string."""


@dataclass(frozen=True, slots=True)
class Envelope:
    root: Any  # lxml root element
    version: str  # "1.1" or "1.2"
    operation_element: str  # local name of the first element in Body, "" when there is none
    operation_node: Any  # that element (None when there is none)
    body_problem: str  # why no operation element was found ("" when one was)


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def parse(body: bytes) -> Envelope:
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as e:
        raise EnvelopeError(f"Failed to parse SOAP envelope: invalid XML: {e.msg}") from None
    if root is None:
        raise EnvelopeError("Failed to parse SOAP envelope: invalid XML: empty document")
    if _local(root.tag) != "Envelope":
        raise EnvelopeError(
            f"Failed to parse SOAP envelope: root element must be Envelope, got {_local(root.tag)}"
        )
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    version = "1.2" if namespace == SOAP12 or SOAP12 in root.nsmap.values() else "1.1"
    body_el = next((c for c in root if isinstance(c.tag, str) and _local(c.tag) == "Body"), None)
    if body_el is None:
        return Envelope(root, version, "", None, "SOAP Body not found")
    op = next((c for c in body_el if isinstance(c.tag, str)), None)
    if op is None:
        return Envelope(root, version, "", None, "no operation element found in Body")
    return Envelope(root, version, _local(op.tag), op, "")


def action_of(version: str, content_type: str, soap_action: str) -> str:
    """SOAP 1.2 carries the action as the Content-Type's `action` parameter, 1.1 in SOAPAction."""
    value = soap_action
    if version == "1.2":
        value = ""
        for part in content_type.split(";")[1:]:
            key, _, v = part.strip().partition("=")
            if key.strip().lower() == "action":
                value = v.strip()
    return value.strip().strip('"')


def _namespace(version: str) -> str:
    return SOAP12 if version == "1.2" else SOAP11


def success(version: str, response: str) -> bytes:
    ns = _namespace(version)
    head = f'{_PROLOG}<soap:Envelope xmlns:soap="{ns}"><soap:Body>'
    return f"{head}{response}</soap:Body></soap:Envelope>".encode()


def fault(version: str, code: str, message: str, detail: str = "") -> bytes:
    """A fault envelope; code and message are escaped, detail is raw XML, as configured."""
    ns = _namespace(version)
    if version == "1.2":
        code = {"soap:Client": "soap:Sender", "Client": "soap:Sender", "soap:Server": "soap:Receiver",
                "Server": "soap:Receiver"}.get(code, code)  # fmt: skip
        inner = (
            f"<soap:Code><soap:Value>{escape(code)}</soap:Value></soap:Code>"
            f'<soap:Reason><soap:Text xml:lang="en">{escape(message)}</soap:Text></soap:Reason>'
            + (f"<soap:Detail>{detail}</soap:Detail>" if detail else "")
        )
    else:
        inner = f"<faultcode>{escape(code)}</faultcode><faultstring>{escape(message)}</faultstring>" + (
            f"<detail>{detail}</detail>" if detail else ""
        )
    return (
        f'{_PROLOG}<soap:Envelope xmlns:soap="{ns}"><soap:Body><soap:Fault>{inner}</soap:Fault>'
        "</soap:Body></soap:Envelope>"
    ).encode()
