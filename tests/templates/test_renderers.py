"""mockd.runtime.templating.compile_renderers: the functions DynamicResponseTarget calls per request."""

from __future__ import annotations

from typing import Any

import pytest

from mockd.runtime.targets import RequestView
from mockd.runtime.templating import compile_renderers


def spec(body: str = "", headers: list[tuple[str, str]] | None = None, body_file: str | None = None,
         seed: int | None = None) -> Any:  # fmt: skip
    return {
        "status": 200, "headers": headers or [], "body": body, "bodyFile": body_file, "delayMs": 0, "seed": seed,
        "templated": True, "contentTypeSet": False,
    }  # fmt: skip


def request(query: str = "", headers: dict[str, str] | None = None, captures: dict[str, str] | None = None,
            body: bytes = b"", path: str = "/users/7") -> RequestView:  # fmt: skip
    return RequestView(None, "GET", path, query, dict(headers or {}), body, captures)


def test_parts_without_templates_get_no_renderer() -> None:
    assert compile_renderers(spec(body="plain", headers=[("x-a", "1")])) == (None, None)


def test_body_renders_path_params_and_ignores_the_passed_text() -> None:
    render_body, render_headers = compile_renderers(spec(body='{"id": "{{request.pathParam.id}}"}'))
    assert render_headers is None
    assert render_body is not None
    assert render_body(
        "ignored: the inline body was parsed at build time", request(captures={"id": "7"})
    ) == ('{"id": "7"}')


def test_captures_of_a_path_pattern_route_are_regex_groups() -> None:
    body = "{{request.pathPattern.slug}}|{{request.pathParam.slug}}"
    render_path, _ = compile_renderers(spec(body=body))
    render_pattern, _ = compile_renderers(spec(body=body), pattern_captures=True)
    assert render_path is not None
    assert render_pattern is not None
    req = request(captures={"slug": "s1"})
    assert (render_path(body, req), render_pattern(body, req)) == ("|s1", "s1|")


def test_missing_captures_render_empty() -> None:
    render_body, _ = compile_renderers(spec(body="[{{request.pathParam.id}}]"))
    assert render_body is not None
    assert render_body("", request(captures=None)) == "[]"


def test_headers_render_in_order_and_keep_plain_values() -> None:
    _, render_headers = compile_renderers(
        spec(headers=[("x-plain", "1"), ("x-method", "{{request.method}}"), ("x-q", "{{ request.query.q }}")])
    )
    assert render_headers is not None
    assert render_headers(request(query="q=a+b")) == [("x-plain", "1"), ("x-method", "GET"), ("x-q", "a b")]


def test_header_values_lose_line_breaks_as_go_writes_them() -> None:
    _, render_headers = compile_renderers(spec(headers=[("x-body", "{{request.rawBody}}")]))
    assert render_headers is not None
    assert render_headers(request(body=b"a\r\nb\nc")) == [("x-body", "a  b c")]


def test_request_independent_headers_are_computed_once() -> None:
    _, render_headers = compile_renderers(spec(headers=[("x-a", "v{{ nope }}"), ("x-b", "2")]))
    assert render_headers is not None
    assert render_headers(request()) is render_headers(request())
    assert render_headers(request()) == [("x-a", "v"), ("x-b", "2")]


def test_seeded_headers_and_body_draw_one_stream_headers_first() -> None:
    body_only, _ = compile_renderers(spec(body="{{uuid}} {{uuid}}", seed=42))
    assert body_only is not None
    both_body, both_headers = compile_renderers(
        spec(body="{{uuid}}", headers=[("x-id", "{{uuid}}")], seed=42)
    )
    assert both_body is not None
    assert both_headers is not None
    req = request()
    header_uuid = both_headers(req)[0][1]
    body_uuid = both_body("", req)
    assert f"{header_uuid} {body_uuid}" == body_only("", request())  # as the Go tool: one stream per response


def test_seed_from_the_request_overrides_the_configured_one() -> None:
    render_body, _ = compile_renderers(spec(body="{{uuid}}", seed=7))
    assert render_body is not None
    assert render_body("", request(query="_mockd_seed=42")) == "9fe4c771-8175-44ca-81c5-f8e880b54d6a"
    assert render_body("", request(headers={"x-mockd-seed": "42"})) == "9fe4c771-8175-44ca-81c5-f8e880b54d6a"
    assert render_body("", request()) == render_body("", request())


def test_body_files_are_templated_per_distinct_text() -> None:
    render_body, render_headers = compile_renderers(spec(body_file="body.json"))
    assert render_headers is None
    assert render_body is not None
    req = request(captures={"id": "9"})
    assert render_body("no templates", req) == "no templates"
    assert render_body('{"id": {{request.pathParam.id}}}', req) == '{"id": 9}'
    assert render_body("{{ nope }}!", req) == "!"
    for i in range(20):  # more distinct texts than the cache holds
        assert render_body(f"{i}:{{{{request.method}}}}", req) == f"{i}:GET"


@pytest.mark.parametrize("body", ["{{faker.name}}", "{{faker.words(2)}}"])
def test_faker_templates_load_the_tables_at_build_time(body: str) -> None:
    from mockd.templates import fake

    render_body, _ = compile_renderers(spec(body=body))
    assert fake._DATA is not None
    assert render_body is not None
    assert render_body("", request())
