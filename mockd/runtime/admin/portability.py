"""Imports and exports over the admin API (imports-exports §5), through `mockd.imports`.

- `GET /formats`: the formats, with what each can do (the Go list, plus Mockoon and Insomnia);
- `GET /openapi.json`, `GET /openapi.yaml` (`?format=yaml` on the JSON route too): the HTTP mocks as an
  OpenAPI 3.0.3 document;
- `GET /insomnia.json` (v4; `?format=yaml|v5` for v5), `GET /insomnia.yaml` (v5): an Insomnia collection;
- `POST /import?format=F&dryRun=true&replace=true` (ours; the Go tool converts on the client and posts the
  result to `POST /config`): a file of any importable format as the body, converted here. All or nothing:
  every mock is converted and validated before any is stored, so a bad one leaves the server unchanged.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from mockd.imports import ImportFailure, Source, convert_source
from mockd.imports.export import (
    insomnia_json,
    insomnia_yaml,
    openapi_json,
    openapi_yaml,
    to_insomnia_v4,
    to_insomnia_v5,
    to_openapi,
)
from mockd.runtime.admin.http import AdminError, AdminRequest, Response, go_parse_bool, json_response
from mockd.runtime.admin.mockinput import BIG_BODY, compile_body, indexed_prefix, off_loop

if TYPE_CHECKING:
    from mockd.imports import Converted
    from mockd.plan.model import CompiledMock
    from mockd.runtime.admin.router import Handler, Router
    from mockd.runtime.world import Runtime

FORMATS = [
    ("mockd", "mockd", "Native mockd configuration format", True, [".yaml", ".yml", ".json"]),
    ("openapi", "OpenAPI", "OpenAPI 3.x / Swagger 2.0 specification", True, [".yaml", ".yml", ".json"]),
    ("postman", "Postman", "Postman Collection v2.x", False, [".json"]),
    ("har", "HAR", "HTTP Archive (browser recordings)", False, [".har"]),
    ("wiremock", "WireMock", "WireMock JSON stub mappings", False, [".json"]),
    ("curl", "cURL", "cURL command", False, [".sh", ".txt"]),
    ("mockoon", "Mockoon", "Mockoon environment", False, [".json"]),
    ("insomnia", "Insomnia", "Insomnia v4 JSON / v5 YAML export", False, [".json", ".yaml"]),
    ("wsdl", "WSDL", "WSDL 1.1 service description (SOAP mocks)", False, [".wsdl", ".xml"]),
]


async def formats(req: AdminRequest) -> Response:
    return json_response(
        {
            "formats": [
                {"id": i, "name": n, "description": d, "import": True, "export": e, "extensions": x}
                for i, n, d, e, x in FORMATS
            ]
        }
    )


async def export_openapi(req: AdminRequest, as_yaml: bool) -> Response:
    store = req.rt.store
    mocks = [m.api_dict() for m in store]
    doc = to_openapi(mocks, "mockd API")
    if as_yaml:
        return Response(200, openapi_yaml(doc), [("content-type", "application/x-yaml; charset=utf-8")])
    return Response(200, openapi_json(doc), [("content-type", "application/json; charset=utf-8")])


async def openapi_as_json(req: AdminRequest) -> Response:
    return await export_openapi(req, req.arg("format") == "yaml")


async def openapi_as_yaml(req: AdminRequest) -> Response:
    return await export_openapi(req, True)


def export_insomnia(req: AdminRequest, v5: bool) -> Response:
    rt = req.rt
    store = rt.store
    mocks = [m.api_dict() for m in store]
    host = "localhost"
    base_url, admin_url = f"http://{host}:{rt.options.port}", f"http://{host}:{rt.options.admin_port}"
    if v5:
        doc = to_insomnia_v5(mocks, base_url=base_url, admin_url=admin_url, now=time.time())
        headers = [("content-type", "application/x-yaml; charset=utf-8"),
                   ("content-disposition", "attachment; filename=mockd-insomnia.yaml")]  # fmt: skip
        return Response(200, insomnia_yaml(doc), headers)
    doc = to_insomnia_v4(mocks, base_url=base_url, admin_url=admin_url, now=time.time())
    headers = [("content-type", "application/json"),
               ("content-disposition", "attachment; filename=mockd-insomnia.json")]  # fmt: skip
    return Response(200, insomnia_json(doc), headers)


async def insomnia_as_json(req: AdminRequest) -> Response:
    return export_insomnia(req, req.arg("format") in ("yaml", "v5"))


async def insomnia_as_yaml(req: AdminRequest) -> Response:
    return export_insomnia(req, True)


async def import_file(req: AdminRequest) -> Response:
    rt = req.rt
    store = rt.store
    big = len(req.body) > BIG_BODY
    converted = await off_loop(big, _convert, req.body, req.arg("format"))
    if go_parse_bool(req.arg("dryRun")) is True:
        return json_response(
            {
                "dryRun": True,
                "format": converted.format,
                "mocks": [_summary(m) for m in converted.mocks],
                "warnings": converted.warnings,
            }
        )
    batch = await off_loop(big, _compile_all, converted, rt.admin_body_root())
    now = time.time()
    removed = []
    async with store.editing() as edit:
        if go_parse_bool(req.arg("replace")) is True:
            removed = edit.remove_where(lambda m: True)
        for compiled in batch:
            edit.put(compiled, now, now)
    kept = {m.id for m in store}
    for m in removed:
        if m.id not in kept:
            rt.journal.forget(m.id)
    return json_response(
        {
            "format": converted.format,
            "imported": len(batch),
            "message": "Import completed successfully",
            "total": len(store),
            "warnings": converted.warnings,
        }
    )


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/formats", formats),
    ("GET", "/openapi.json", openapi_as_json),
    ("GET", "/openapi.yaml", openapi_as_yaml),
    ("GET", "/insomnia.json", insomnia_as_json),
    ("GET", "/insomnia.yaml", insomnia_as_yaml),
    ("POST", "/import", import_file),
]


def register(router: Router, rt: Runtime) -> None:
    """Mount `ROUTES` (handlers reach the runtime through `req.rt`, so each can be read and tested alone)."""
    for method, pattern, handler in ROUTES:
        router.add(method, pattern, handler)


def _convert(body: bytes, fmt: str) -> Converted:
    if not body.strip():
        raise AdminError(400, "empty_body", "request body is empty: send the file to import")
    try:
        return convert_source(Source(body, "request body"), fmt=fmt, detect_name="" if fmt else "body")
    except ImportFailure as exc:
        raise AdminError(400, exc.slug, exc.render()) from None


def _compile_all(converted: Converted, body_root: str) -> list[CompiledMock]:
    """Every converted mock compiled, or the 400 for the first bad one; `bodyFile`s must lie in `body_root`,
    as for any mock created over the admin API (mockd/bodyfile.py)."""
    out = []
    for index, mock in enumerate(converted.mocks):
        try:
            out.append(compile_body(mock, require_type=False, body_root=body_root))
        except AdminError as exc:
            raise AdminError(400, "validation_error", indexed_prefix(index, mock) + exc.message) from None
    return out


def _summary(mock: dict[str, Any]) -> dict[str, Any]:
    matcher = (mock.get("http") or {}).get("matcher") or {}
    return {
        "id": mock.get("id", ""),
        "name": mock.get("name", ""),
        "method": matcher.get("method", ""),
        "path": matcher.get("path") or matcher.get("pathPattern", ""),
    }
