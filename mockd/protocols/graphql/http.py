"""The HTTP side of a GraphQL mock (protocols-reference §3.2): reading the operation from GET or POST,
batches, transport errors, and writing answers as the Go tool encodes them."""

from __future__ import annotations

from typing import Any

import orjson

from mockd.gocompat import gojson
from mockd.templates.gourl import parse_query_first

JSON = [("content-type", "application/json")]


class TransportError(Exception):
    """A request that never reaches execution: answered with this status and GraphQL's error shape."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_body(message: str) -> bytes:
    return gojson.encode({"errors": [{"message": message, "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]})


def read_operations(
    method: str, query_string: str, content_type: str, body: bytes
) -> tuple[list[dict], bool]:
    """The operations a request carries (`query`, `operationName`, `variables`) and whether it was a batch."""
    if method == "GET":
        params = parse_query_first(query_string)
        variables: Any = {}
        if params.get("variables"):
            try:
                variables = orjson.loads(params["variables"])
            except orjson.JSONDecodeError:
                raise TransportError(400, "invalid variables JSON") from None
            if not isinstance(variables, dict):
                raise TransportError(400, "invalid variables JSON")
        op = {"query": params.get("query", ""), "operationName": params.get("operationName", "")}
        return [{**op, "variables": variables}], False
    if method != "POST":
        raise TransportError(405, "method not allowed")
    if not body:
        raise TransportError(400, "empty request body")
    if content_type.startswith("application/graphql"):
        return [{"query": body.decode("utf-8", "replace"), "operationName": "", "variables": {}}], False
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise TransportError(400, "invalid JSON request body") from None
    if body.lstrip()[:1] == b"[":
        if not isinstance(decoded, list) or not decoded:
            raise TransportError(400, "empty batch request")
        return [_operation(item) for item in decoded], True
    return [_operation(decoded)], False


def _operation(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise TransportError(400, "invalid JSON request body")
    query, name, variables = raw.get("query"), raw.get("operationName"), raw.get("variables")
    if not isinstance(query, str | None) or not isinstance(name, str | None):
        raise TransportError(400, "invalid JSON request body")
    if variables is not None and not isinstance(variables, dict):
        raise TransportError(400, "invalid variables JSON")
    return {"query": query or "", "operationName": name or "", "variables": variables or {}}


def sorted_data(value: Any) -> Any:
    """Objects with their keys sorted, as Go encodes the maps its executor builds."""
    if isinstance(value, dict):
        return {k: sorted_data(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [sorted_data(v) for v in value]
    return value


def encode_result(body: dict[str, Any]) -> dict[str, Any]:
    """`data` (sorted) then `errors`, in the Go response struct's order."""
    out: dict[str, Any] = {}
    if "data" in body:
        out["data"] = sorted_data(body["data"])
    if "errors" in body:
        out["errors"] = body["errors"]
    return out
