"""OpenAPI 3.0/3.1 and Swagger 2.0 to mocks: one mock per operation (imports-exports §3.1, §3.3).

Order, names, matchers and the status preference are the Go tool's. Where the Go tool picks at random (Go
map order) or gives up, we choose deterministically and resolve more:

- status: 200, 201, 202, 204, else the lowest other 2xx, else the lowest code; `default`/`2XX` mean 200;
- media type: the first JSON one in the spec's order, else the first;
- body: the media type's `example`, else its named `examples` (the one the import names, else the first),
  else the schema's example or a body generated from the schema (Swagger 2 too, from `definitions`), else
  the Go tool's default body for the status;
- `$ref` is followed everywhere (path items, responses, examples, schemas, other files), and a 3.1 type
  list (`[string, "null"]`) is read instead of failing the whole spec.
"""

from __future__ import annotations

import random
from typing import Any

from mockd.imports.errors import ImportFailure
from mockd.imports.model import Contract, Converted, Source, http_mock, stable_id
from mockd.imports.openapi.contract import inline, validation_for
from mockd.imports.openapi.document import Node, Spec, load_spec
from mockd.imports.openapi.generate import Generator
from mockd.imports.source import parse_document, pretty

METHODS = ("get", "post", "put", "delete", "patch", "head", "options")
_PREFERRED = (200, 201, 202, 204)
_DEFAULT_BODIES = {
    200: {"status": "ok"},
    201: {"id": 1, "created": True},
    400: {"error": "Bad Request"},
    401: {"error": "Unauthorized"},
    403: {"error": "Forbidden"},
    404: {"error": "Not Found"},
    500: {"error": "Internal Server Error"},
}


def convert(source: Source) -> Converted:
    data = parse_document(source.data, source.name, "openapi")
    if not isinstance(data, dict) or not ("openapi" in data or "swagger" in data):
        raise ImportFailure("openapi: not a valid OpenAPI 3.x or Swagger 2.0 specification", file=source.name)
    spec = load_spec(data, source.path, source.name, url=source.url)
    swagger = "openapi" not in data
    info = data.get("info")
    out = Converted("openapi", name=str(info.get("title", "")) if isinstance(info, dict) else "")
    paths = spec.root.get("paths")
    if paths is None or paths.value is None:
        return out
    if not isinstance(paths.value, dict):
        raise spec.fail("openapi: paths must be an object", paths)
    prefix = _base_path(data) if swagger else ""
    operations: dict[tuple[str, str], Node] = {}
    items = [(path, spec.deref(paths.child(path))) for path in sorted(paths.value)]
    total = sum(isinstance(item.value, dict) and sum(m in item.value for m in METHODS) for _, item in items)
    for path, item in items:
        if not isinstance(item.value, dict):
            continue
        full = prefix + path
        for method in METHODS:
            op = item.get(method)
            if op is None or not isinstance(op.value, dict):
                continue
            operations[(method.upper(), full)] = op
            mock = _operation(spec, op, method.upper(), path, full, source, swagger)
            if source.validate:
                rules = validation_for(spec, item, op)
                if rules is not None:
                    mock["http"]["validation"] = rules
            out.mocks.append(mock)
            if source.progress is not None:
                source.progress(len(out.mocks), total)
    out.contract = lambda method, path: _contract(spec, operations.get((method, path)), swagger)
    return out


def _contract(spec: Spec, op: Node | None, swagger: bool) -> Contract | None:
    """Statuses, media types and body schemas the operation declares (for checking hand-written mocks)."""
    responses = op.get("responses") if op is not None else None
    if responses is None or not isinstance(responses.value, dict):
        return None
    out: Contract = {}
    produces = op.value.get("produces") if op is not None else None
    for code in responses.value:
        response = spec.deref(responses.child(code))
        media: dict[str, Any] = {}
        if swagger:
            schema = response.get("schema")
            for kind in produces if isinstance(produces, list) else ["application/json"]:
                media[str(kind)] = inline(spec, schema) if schema is not None else None
        else:
            content = response.get("content")
            if content is None or not isinstance(content.value, dict):
                content = None
            for kind in content.value if content is not None else []:
                assert content is not None
                entry = spec.deref(content.child(kind))
                schema = entry.get("schema")
                media[str(kind)] = inline(spec, schema) if schema is not None else None
        out[str(code)] = media
    return out


def _base_path(data: dict[str, Any]) -> str:
    base = data.get("basePath")
    if not isinstance(base, str) or base in ("", "/"):
        return ""
    return base.rstrip("/")


def _operation(
    spec: Spec, op: Node, method: str, path: str, full: str, source: Source, swagger: bool
) -> dict[str, Any]:
    value = op.value
    operation_id = value.get("operationId") if isinstance(value.get("operationId"), str) else ""
    summary = value.get("summary") if isinstance(value.get("summary"), str) else ""
    name = summary or operation_id or f"{method} {full}"
    matcher: dict[str, Any] = {"method": method, "path": full}
    query, headers = _parameter_matchers(value.get("parameters"))
    if query:
        matcher["queryParams"] = query
    if headers:
        matcher["headers"] = headers
    rng = random.Random(f"{source.seed}:{method} {full}")
    gen = Generator(spec, rng)
    status, response = _pick_response(spec, op)
    if swagger:
        content_type, body = _swagger_body(spec, op, response, gen)
    else:
        content_type, body = _openapi_body(spec, response, gen, source)
    if body is None:
        default = _DEFAULT_BODIES.get(status, {"status": status}) if status != 204 else None
        body = "" if default is None else pretty(default)
    reply: dict[str, Any] = {"statusCode": status, "body": body}
    if content_type:
        reply["headers"] = {"Content-Type": content_type}
    mock_id = stable_id("http", source.name, method, full)
    return http_mock(mock_id, name, matcher, reply, operation_id=operation_id)


def _parameter_matchers(params: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Go: only operation-level `in: query|header` parameters with a parameter-level `example` match."""
    query: dict[str, str] = {}
    headers: dict[str, str] = {}
    for p in params if isinstance(params, list) else []:
        if not isinstance(p, dict) or "example" not in p or not isinstance(p.get("name"), str):
            continue
        text = _go_v(p["example"])
        if p.get("in") == "query":
            query[p["name"]] = text
        elif p.get("in") == "header":
            headers[p["name"]] = text
    return query, headers


def _go_v(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _pick_response(spec: Spec, op: Node) -> tuple[int, Node | None]:
    responses = op.get("responses")
    if responses is None or not isinstance(responses.value, dict) or not responses.value:
        return 200, None
    codes: dict[str, int] = {}
    for key in responses.value:
        text = str(key)
        code = int(text) if text.isdigit() else 200
        codes[text] = code if 100 <= code <= 599 else 200
    chosen = next((k for want in _PREFERRED for k in codes if k.isdigit() and int(k) == want), None)
    if chosen is None:
        twos = sorted((k for k in codes if k.startswith("2")), key=lambda k: codes[k])
        chosen = twos[0] if twos else sorted(codes, key=lambda k: codes[k])[0]
    return codes[chosen], spec.deref(responses.child(chosen))


def _openapi_body(
    spec: Spec, response: Node | None, gen: Generator, source: Source
) -> tuple[str, str | None]:
    if response is None:
        return "", None
    content = response.get("content")
    if content is None or not isinstance(content.value, dict) or not content.value:
        return "", None
    keys = list(content.value)
    media_type = next((k for k in keys if "json" in k.lower()), keys[0])
    media = spec.deref(content.child(media_type))
    if not isinstance(media.value, dict):
        return media_type, None
    if "example" in media.value:
        return media_type, pretty(media.value["example"])
    examples = media.get("examples")
    if examples is not None and isinstance(examples.value, dict) and examples.value:
        names = list(examples.value)
        chosen = source.example if source.example in examples.value else names[0]
        example = spec.deref(examples.child(chosen))
        if isinstance(example.value, dict) and "value" in example.value:
            return media_type, pretty(example.value["value"])
    schema = media.get("schema")
    return media_type, _schema_body(spec, schema, gen)


def _schema_body(spec: Spec, schema: Node | None, gen: Generator) -> str | None:
    if schema is None:
        return None
    resolved = spec.deref(schema)
    if isinstance(resolved.value, dict) and "example" in resolved.value:
        return pretty(resolved.value["example"])
    value = gen.value(schema)
    return None if value is None else pretty(value)


def _swagger_body(spec: Spec, op: Node, response: Node | None, gen: Generator) -> tuple[str, str | None]:
    produces = op.value.get("produces")
    content_type = (
        produces[0] if isinstance(produces, list) and produces and isinstance(produces[0], str) else ""
    )
    if response is None or not isinstance(response.value, dict):
        return content_type, None
    examples = response.value.get("examples")
    if isinstance(examples, dict) and examples:
        keys = list(examples)
        key = next((k for k in keys if "json" in k.lower()), keys[0])
        return content_type, pretty(examples[key])
    return content_type, _schema_body(spec, response.get("schema"), gen)
