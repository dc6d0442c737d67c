"""issue 13: a spec of realistic size (200 operations, shared schemas, partial-segment params) imports
completely and in Go order; no timing is asserted here (figures are in docs/imports.md)."""

from __future__ import annotations

import json
from pathlib import Path

from mockd.compiler import compile_files


def make_spec(operations: int) -> dict:
    """`operations` operations over operations/2 paths, GET and POST on each, all sharing two schemas."""
    paths = {}
    for n in range(operations // 2):
        item = f"/v1/things{n:03d}/{{Sid}}.json"
        paths[item] = {
            "get": {"operationId": f"Fetch{n}", "responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}},
            "post": {"operationId": f"Update{n}", "responses": {"201": {"description": "ok", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}}}},
        }  # fmt: skip
    return {
        "openapi": "3.0.1",
        "info": {"title": "big", "version": "1"},
        "paths": paths,
        "components": {"schemas": {
            "Thing": {"type": "object", "properties": {
                "sid": {"type": "string"}, "date_created": {"type": "string", "format": "date-time"},
                "uri": {"type": "string", "format": "uri"}, "count": {"type": "integer"},
                "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}}},
            "Page": {"type": "object", "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                "next_page_uri": {"type": "string", "format": "uri"}}},
        }},
    }  # fmt: skip


def test_a_200_operation_spec_imports_every_operation(tmp_path: Path) -> None:
    (tmp_path / "big.json").write_text(json.dumps(make_spec(200)))
    (tmp_path / "m.yaml").write_text(
        "imports: [{path: big.json, as: big}]\ntables: [{name: things}]\n"
        "extend: [{mock: big.Fetch7, table: things, action: get}]\n"
    )
    plan = compile_files([tmp_path / "m.yaml"], env={}).plan
    mocks = plan["mocks"]
    assert len(mocks) == 200
    assert [m["mock"]["operationId"] for m in mocks[:3]] == ["big.Fetch0", "big.Update0", "big.Fetch1"]
    assert sum(m["action"]["kind"] == "binding" for m in mocks) == 1
    page = json.loads(mocks[1]["action"]["response"]["body"])
    assert sorted(page) == ["items", "next_page_uri"]
    assert sorted(page["items"][0]) == ["count", "date_created", "sid", "tags", "uri"]
