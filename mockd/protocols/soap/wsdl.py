"""The WSDL a SOAP mock serves at `<path>?wsdl`: the configured one, or one generated from its operations."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from lxml import etree  # type: ignore[import-untyped]


class WsdlError(ValueError):
    """A WSDL that is not well-formed XML; the message carries `line L:C`."""


def check_wsdl(text: str) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        etree.fromstring(text.encode(), parser)
    except etree.XMLSyntaxError as e:
        line, column = e.position
        message = re.sub(r", line \d+, column \d+$", "", e.msg)
        raise WsdlError(f"line {line}:{column}: {message}") from None


def generate(name: str, address: str, operations: dict[str, str]) -> str:
    """A WSDL 1.1 document naming each operation (document/literal, `xsd:anyType` parts) and its
    soapAction, so SOAP tooling can list and call them. `operations` maps name -> soapAction."""
    service = name or "MockdService"
    ns = f"http://mockd.dev/soap/{service}"
    types = "".join(
        f'<xsd:element name="{op}" type="xsd:anyType"/><xsd:element name="{op}Response" type="xsd:anyType"/>'
        for op in operations
    )
    messages = "".join(
        f'<wsdl:message name="{op}Input"><wsdl:part name="parameters" element="tns:{op}"/></wsdl:message>'
        f'<wsdl:message name="{op}Output"><wsdl:part name="parameters" element="tns:{op}Response"/>'
        "</wsdl:message>"
        for op in operations
    )
    port_ops = "".join(
        f'<wsdl:operation name="{op}"><wsdl:input message="tns:{op}Input"/>'
        f'<wsdl:output message="tns:{op}Output"/></wsdl:operation>'
        for op in operations
    )
    binding_ops = "".join(
        f'<wsdl:operation name="{op}"><soap:operation soapAction={quoteattr(action)}/>'
        '<wsdl:input><soap:body use="literal"/></wsdl:input>'
        '<wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>'
        for op, action in operations.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<wsdl:definitions name="{escape(service)}" targetNamespace="{ns}" xmlns:tns="{ns}"'
        ' xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"'
        ' xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        f'<wsdl:types><xsd:schema targetNamespace="{ns}" elementFormDefault="qualified">{types}</xsd:schema>'
        "</wsdl:types>"
        f"{messages}"
        f'<wsdl:portType name="{escape(service)}PortType">{port_ops}</wsdl:portType>'
        f'<wsdl:binding name="{escape(service)}Binding" type="tns:{escape(service)}PortType">'
        '<soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>'
        f"{binding_ops}</wsdl:binding>"
        f'<wsdl:service name="{escape(service)}"><wsdl:port name="{escape(service)}Port"'
        f' binding="tns:{escape(service)}Binding"><soap:address location={quoteattr(address)}/></wsdl:port>'
        "</wsdl:service></wsdl:definitions>"
    )
