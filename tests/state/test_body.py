"""Request bodies of stateful writes (reference §4.2 "Bodies"; legacy §4.6: always JSON)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.state.configs import bound
from tests.state.conftest import Server

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def config() -> dict[str, Any]:
    return {
        "version": "1.0",
        "tables": [{"name": "forms"}],
        "mocks": [
            bound("forms-create", "POST", "/v1/forms", "forms", "create"),
            bound("forms-patch", "POST", "/v1/forms/{id}", "forms", "patch"),  # Stripe-style POST -> patch
        ],
        "statefulResources": [{"name": "lforms", "basePath": "/legacy/forms"}],
    }


@pytest.fixture(scope="module")
def server(start: Any) -> Server:
    return start(config(), "yaml")


def fields(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in ("id", "createdAt", "updatedAt")}


def test_form_bodies_nest_coerce_and_become_arrays(srv: Server):
    body = (
        "name=Alice&age=30&score=9.5&ratio=1.0&active=true&off=false&limit=inf&phone=%2B15551234567"
        "&zip=007&meta[tier]=gold&meta[level]=2&items[0][price]=p1&items[1][price]=p2&tags[0]=a&tags[1]=b"
        "&odd[1]=x&name=ignored&note=a+b%21"
    )
    reply = srv.call("POST", "/v1/forms", data=body, headers=FORM)
    assert reply.status_code == 201
    assert fields(reply.json()) == {
        "active": True, "age": 30, "items": [{"price": "p1"}, {"price": "p2"}], "limit": None,
        "meta": {"level": 2, "tier": "gold"}, "name": "Alice", "note": "a b!", "odd": {"1": "x"}, "off": False,
        "phone": "+15551234567", "ratio": 1, "score": 9.5, "tags": ["a", "b"], "zip": 7,
    }  # fmt: skip


def test_stripe_style_post_patches_with_a_form(srv: Server):
    item = srv.call("POST", "/v1/forms", json={"name": "a", "n": 1}).json()
    reply = srv.call("POST", f"/v1/forms/{item['id']}", data="n=2&metadata[k]=v", headers=FORM)
    assert fields(reply.json()) == {"metadata": {"k": "v"}, "n": 2, "name": "a"}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("a=%zz", 'invalid form body: invalid URL escape "%zz"'),
        ("a=1;b=2", "invalid form body: invalid semicolon separator in query"),
    ],
)
def test_malformed_forms_are_400(srv: Server, body: str, error: str):
    reply = srv.call("POST", "/v1/forms", data=body, headers=FORM)
    assert (reply.status_code, reply.json()) == (
        400,
        {"error": error, "resource": "forms", "statusCode": 400},
    )


def test_other_content_types_must_still_be_json(srv: Server):
    ok = srv.call("POST", "/v1/forms", data='{"a": 1}', headers={"Content-Type": "text/plain"})
    assert (ok.status_code, fields(ok.json())) == (201, {"a": 1})
    charset = srv.call(
        "POST", "/v1/forms", data='{"a": 2}', headers={"Content-Type": "application/json; charset=utf-8"}
    )
    assert charset.status_code == 201
    reply = srv.call("POST", "/v1/forms", data="a=1", headers={"Content-Type": "text/plain"})
    assert reply.json() == {
        "error": 'unsupported Content-Type "text/plain" and body is not valid JSON',
        "resource": "forms",
        "statusCode": 400,
    }


def test_numbers_are_written_the_go_way(srv: Server):
    # Go decodes JSON numbers to float64: 10.0 is written back as 10, 1e21 as 1e+21
    body = b'{"price": 10.0, "ratio": 1e2, "tiny": 1.5e-7, "big": 1e21, "exact": 12345678901234567}'
    reply = srv.call("POST", "/v1/forms", data=body, headers={"Content-Type": "application/json"})
    text = reply.content.decode()
    assert '"price":10,' in text
    assert '"ratio":100,' in text
    assert '"tiny":1.5e-7' in text
    assert '"big":1e+21' in text
    assert '"exact":12345678901234567' in text


def test_invalid_utf8_and_lone_surrogates_are_repaired_as_go_does(srv: Server):
    reply = srv.call("POST", "/v1/forms", data=b'{"a": "\xff", "b": "\\ud800"}')
    assert fields(reply.json()) == {"a": "\ufffd", "b": "\ufffd"}


def test_legacy_resources_always_parse_json(srv: Server):
    reply = srv.call("POST", "/legacy/forms", data="x=1", headers=FORM)
    assert reply.json() == {
        "error": "invalid request body: invalid character 'x' looking for beginning of value",
        "resource": "lforms",
        "statusCode": 400,
    }
