"""SOAP mocks, driven by zeep (a real SOAP client loading the served WSDL) and by lxml-built envelopes
for SOAP 1.2 and malformed traffic (protocols-reference §5)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import zeep
from lxml import etree
from zeep.exceptions import Fault

from tests.harness import MockdProcess, request, run_cli

TNS = "http://example.com/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"


def _wsdl(address: str) -> str:
    def op(name: str, out: str) -> str:
        return (
            f'<xsd:element name="{name}"><xsd:complexType><xsd:sequence><xsd:element name="a" type="xsd:int"/>'
            '<xsd:element name="b" type="xsd:int"/></xsd:sequence></xsd:complexType></xsd:element>'
            f'<xsd:element name="{name}Response"><xsd:complexType><xsd:sequence>'
            f'<xsd:element name="{out}" type="xsd:int"/></xsd:sequence></xsd:complexType></xsd:element>'
        )

    def messages(name: str) -> str:
        return (
            f'<message name="{name}In"><part name="parameters" element="tns:{name}"/></message>'
            f'<message name="{name}Out"><part name="parameters" element="tns:{name}Response"/></message>'
        )

    def binding(name: str) -> str:
        return (
            f'<operation name="{name}"><soap:operation soapAction="{TNS}{name}"/>'
            '<input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>'
        )

    return (
        f'<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:tns="{TNS}" targetNamespace="{TNS}"'
        ' xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        f'<types><xsd:schema targetNamespace="{TNS}" elementFormDefault="qualified">'
        f"{op('Add', 'Result')}{op('Divide', 'Quotient')}</xsd:schema></types>"
        f"{messages('Add')}{messages('Divide')}"
        '<portType name="CalcPort"><operation name="Add"><input message="tns:AddIn"/><output message="tns:AddOut"/>'
        '</operation><operation name="Divide"><input message="tns:DivideIn"/><output message="tns:DivideOut"/>'
        "</operation></portType>"
        '<binding name="CalcBinding" type="tns:CalcPort">'
        '<soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>'
        f"{binding('Add')}{binding('Divide')}</binding>"
        '<service name="Calculator"><port name="CalcPort" binding="tns:CalcBinding">'
        f'<soap:address location="{address}"/></port></service></definitions>'
    )


@pytest.fixture
def server(mockd_server: Callable[..., MockdProcess]) -> MockdProcess:
    server = mockd_server()
    calc = {
        "id": "calc", "type": "soap", "name": "Calculator",
        "soap": {
            "path": "/soap/calc",
            "wsdl": _wsdl(server.url + "/soap/calc"),
            "operations": {
                "Add": {
                    "soapAction": f"{TNS}Add",
                    "response": f'<AddResponse xmlns="{TNS}"><Result>{{{{xpath://a}}}}</Result></AddResponse>',
                },
                "Divide": {
                    "match": {"xpath": {"//b": "0"}},
                    "fault": {"code": "soap:Client", "message": "division by zero", "detail": "<why>b=0</why>"},
                },
            },
        },
    }  # fmt: skip
    generated = {
        "id": "gen", "type": "soap",
        "soap": {"path": "/soap/gen", "operations": {"Ping": {"soapAction": "urn:ping", "response": "<Pong/>"}}},
    }  # fmt: skip
    for mock in (calc, generated):
        created = request(server.admin + "/mocks", method="POST", body=mock)
        assert created.status == 201, created.body
    return server


def test_zeep_calls_an_operation_through_the_served_wsdl(server: MockdProcess) -> None:
    client = zeep.Client(f"{server.url}/soap/calc?wsdl")
    assert client.service.Add(a=2, b=3) == 2  # the configured response echoes //a


def test_zeep_sees_configured_and_built_in_faults(server: MockdProcess) -> None:
    client = zeep.Client(f"{server.url}/soap/calc?wsdl")
    with pytest.raises(Fault) as zero:
        client.service.Divide(a=1, b=0)
    assert (zero.value.message, zero.value.code) == ("division by zero", "soap:Client")
    assert zero.value.detail.findtext("why") == "b=0"
    with pytest.raises(Fault) as unmatched:
        client.service.Divide(a=1, b=1)
    assert unmatched.value.message == "No matching condition for operation: Divide"


def test_wire_bytes_of_a_soap11_answer(server: MockdProcess) -> None:
    body = (
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        f'<Add xmlns="{TNS}"><a>7</a><b>1</b></Add></s:Body></s:Envelope>'
    )
    reply = request(server.url + "/soap/calc", method="POST", body=body, headers={
        "Content-Type": "text/xml", "SOAPAction": f'"{TNS}Add"'})  # fmt: skip
    assert (reply.status, reply.headers["content-type"]) == (200, "text/xml; charset=utf-8")
    assert reply.body == (
        b'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        b'<soap:Body><AddResponse xmlns="http://example.com/"><Result>7</Result></AddResponse></soap:Body>'
        b"</soap:Envelope>"
    )


def _soap12(operation: str, children: dict[str, str]) -> bytes:
    env = etree.Element(f"{{{SOAP12}}}Envelope", nsmap={"env": SOAP12})
    body = etree.SubElement(env, f"{{{SOAP12}}}Body")
    op = etree.SubElement(body, f"{{{TNS}}}{operation}", nsmap={"m": TNS})
    for name, value in children.items():
        etree.SubElement(op, f"{{{TNS}}}{name}").text = value
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def test_soap12_action_from_content_type_and_fault_codes(server: MockdProcess) -> None:
    ok = httpx.post(
        server.url + "/soap/calc", content=_soap12("Whatever", {"a": "4", "b": "2"}),
        headers={"Content-Type": f'application/soap+xml; charset=utf-8; action="{TNS}Add"'},
    )  # fmt: skip
    assert (ok.status_code, ok.headers["content-type"]) == (200, "application/soap+xml; charset=utf-8")
    assert etree.fromstring(ok.content).findtext(f".//{{{TNS}}}Result") == "4"
    fault = httpx.post(
        server.url + "/soap/calc", content=_soap12("Divide", {"a": "4", "b": "0"}),
        headers={"Content-Type": "application/soap+xml"},
    )  # fmt: skip
    assert fault.status_code == 500
    root = etree.fromstring(fault.content)
    assert root.findtext(f".//{{{SOAP12}}}Value") == "soap:Sender"  # soap:Client in 1.2 terms
    assert root.findtext(f".//{{{SOAP12}}}Text") == "division by zero"


def test_non_xml_body_is_a_soap_fault_not_a_500_page(server: MockdProcess) -> None:
    reply = httpx.post(
        server.url + "/soap/calc", content=b"this is not xml", headers={"Content-Type": "text/xml"}
    )
    assert (reply.status_code, reply.headers["content-type"]) == (500, "text/xml; charset=utf-8")
    root = etree.fromstring(reply.content)
    assert root.findtext(".//faultcode") == "soap:Client"
    assert root.findtext(".//faultstring").startswith("Failed to parse SOAP envelope: invalid XML: ")
    not_envelope = httpx.post(server.url + "/soap/calc", content=b"<Add/>")
    assert etree.fromstring(not_envelope.content).findtext(".//faultstring") == (
        "Failed to parse SOAP envelope: root element must be Envelope, got Add"
    )
    unknown = httpx.post(server.url + "/soap/calc", content=_soap11("Multiply"))
    assert etree.fromstring(unknown.content).findtext(".//faultstring") == "Unknown operation: Multiply"
    assert httpx.get(server.url + "/soap/calc").status_code == 405


def _soap11(operation: str) -> bytes:
    return (
        f'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><{operation}/></e:Body>'
        "</e:Envelope>"
    ).encode()


def test_generated_wsdl_loads_in_zeep(server: MockdProcess) -> None:
    client = zeep.Client(f"{server.url}/soap/gen?wsdl")
    service = client.wsdl.services["MockdService"]
    port = service.ports["MockdServicePort"]
    assert list(port.binding._operations) == ["Ping"]
    assert port.binding_options["address"] == f"{server.url}/soap/gen"
    assert request(server.url + "/soap/gen?wsdl", method="POST").status == 405


def test_bad_xpath_and_bad_wsdl_are_load_errors(tmp_path: Path) -> None:
    config = tmp_path / "mockd.yaml"
    config.write_text(json.dumps({"version": "1.0", "mocks": [
        {"id": "s1", "type": "soap", "soap": {"path": "/s1", "operations": {
            "Op": {"response": "<ok/>", "match": {"xpath": {"//a[foo bar]": "1"}}}}}},
        {"id": "s2", "type": "soap", "soap": {"path": "/s2", "wsdl": "<definitions>\n  <oops>\n</definitions>"}},
    ]}, indent=1))  # fmt: skip
    out = run_cli("compile", str(config), "-o", str(tmp_path / "plan.json"))
    assert out.returncode == 1
    assert (
        "mocks[0].soap.operations.Op.match.xpath: invalid XPath: unsupported predicate [foo bar] in '//a[foo bar]'"
        in out.stderr
    )
    assert (
        "mocks[1].soap.wsdl: invalid WSDL in mock 's2': line 3:15: "
        "Opening and ending tag mismatch: oops line 2 and definitions\n"
    ) in out.stderr
    assert "Traceback" not in out.stderr


def test_calls_are_logged_with_soap_detail(server: MockdProcess) -> None:
    client = zeep.Client(f"{server.url}/soap/calc?wsdl")
    client.service.Add(a=1, b=2)
    with pytest.raises(Fault):
        client.service.Divide(a=1, b=0)
    log = json.loads(request(server.admin + "/requests?protocol=soap").body)
    assert [e["soap"] for e in log["requests"]] == [
        {"operation": "Divide", "soapAction": f"{TNS}Divide", "soapVersion": "1.1", "isFault": True,
         "faultCode": "soap:Client"},
        {"operation": "Add", "soapAction": f"{TNS}Add", "soapVersion": "1.1", "isFault": False},
    ]  # fmt: skip
    adds = json.loads(request(server.admin + "/requests?soapOperation=Add").body)
    assert [(e["matchedMockId"], e["statusCode"]) for e in adds["requests"]] == [("calc", 200)]
    calls = json.loads(request(server.admin + "/mocks/calc/invocations").body)
    assert [c["soap"]["operation"] for c in calls["invocations"] if "soap" in c] == ["Divide", "Add"]


STATEFUL = {
    "version": "1.0",
    "tables": [{"name": "users", "seedData": [{"id": "1", "name": "Ada"}]}],
    "mocks": [{
        "id": "users-soap", "type": "soap",
        "soap": {"path": "/soap/users", "operations": {
            "GetUser": {"statefulBinding": {"table": "users", "action": "get"}},
            "ListUsers": {"statefulBinding": {"table": "users", "action": "list"}},
            "CreateUser": {"statefulBinding": {"table": "users", "action": "create"}},
            "DeleteUser": {"statefulBinding": {"table": "users", "action": "delete"}},
        }},
    }],
}  # fmt: skip


def _call(server: MockdProcess, operation: str, fields: str) -> httpx.Response:
    body = (
        '<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body>'
        f"<{operation}>{fields}</{operation}></e:Body></e:Envelope>"
    )
    return httpx.post(server.url + "/soap/users", content=body.encode(), headers={"Content-Type": "text/xml"})


def _body_content(reply: httpx.Response) -> bytes:
    head = b'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    assert reply.content.startswith(head)
    return reply.content[len(head) : -len(b"</soap:Body></soap:Envelope>")]


def test_stateful_binding_reads_and_writes_tables(
    tmp_path: Path, mockd_server: Callable[..., MockdProcess]
) -> None:
    config = tmp_path / "mockd.json"
    config.write_text(json.dumps(STATEFUL))
    server = mockd_server("--config", str(config))
    got = _call(server, "GetUser", "<id>1</id>")
    assert (got.status_code, _body_content(got)) == (
        200,
        b"<userResponse><id>1</id><name>Ada</name></userResponse>",
    )
    created = _call(server, "CreateUser", "<id>2</id><name>Bob &amp; Co</name>")
    assert created.status_code == 200
    assert b"<name>Bob &amp; Co</name>" in _body_content(created)
    listed = _call(server, "ListUsers", "<limit>1</limit><offset>0</offset><sort>id</sort><order>asc</order>")
    assert _body_content(listed) == (
        b"<usersResponse><user><id>1</id><name>Ada</name></user>"
        b"<meta><total>2</total><count>1</count><offset>0</offset><limit>1</limit></meta></usersResponse>"
    )
    deleted = _call(server, "DeleteUser", "<id>2</id>")
    assert _body_content(deleted) == b"<usersResponse><success>true</success></usersResponse>"
    missing = _call(server, "GetUser", "<id>2</id>")
    assert missing.status_code == 500
    root = etree.fromstring(missing.content)
    assert root.findtext(".//faultcode") == "soap:Client"
    assert "not found" in root.findtext(".//faultstring")
