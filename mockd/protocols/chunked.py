"""Chunked HTTP bodies (`http.chunked`; protocols-reference §1.8): data, a data file or NDJSON items, written
piece by piece with `chunkDelay` between pieces. Waits are asyncio sleeps (protocols/stream.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from mockd.bodyfile import BodyFileError, resolve
from mockd.gocompat import gojson
from mockd.plan.model import RouteSpec
from mockd.protocols.httproute import http_route
from mockd.protocols.registry import ServeEnv
from mockd.protocols.stream import Stream

_TEXT = [("content-type", "text/plain; charset=utf-8")]


def build(mock: dict[str, Any]) -> tuple[RouteSpec | None, dict[str, Any]]:
    """The mock's HTTP route (chunked bodies are not templated, so no captures) and its `chunked` block."""
    return http_route(mock), {"chunked": mock["http"]["chunked"]}


def responder(spec: dict[str, Any], env: ServeEnv) -> ChunkedResponder:
    return ChunkedResponder(spec["chunked"], env)


def _int(value: Any) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


class ChunkedResponder:
    """One chunked mock; `respond` streams one response."""

    def __init__(self, chunked: dict[str, Any], env: ServeEnv) -> None:
        self.size = _int(chunked.get("chunkSize"))
        if self.size <= 0:
            self.size = 1024
        self.delay = max(0, _int(chunked.get("chunkDelay"))) / 1000
        self.ndjson = chunked.get("format") == "ndjson"
        self.data = chunked.get("data") if isinstance(chunked.get("data"), str) else ""
        data_file = chunked.get("dataFile")
        # Resolved like a bodyFile (the config file's folder), not the working directory: docs/differences.md
        self.data_file = (
            resolve(data_file, env.base_dir) if isinstance(data_file, str) and data_file else None
        )
        self.shown = data_file
        self.files = env.files
        items = chunked.get("ndjsonItems") or []
        self.lines = [gojson.marshal(i, sort_keys=True) + b"\n" for i in items] if self.ndjson else []
        self.headers = [
            ("content-type", "application/x-ndjson" if self.ndjson else "application/octet-stream"),
            ("cache-control", "no-cache"),
            ("x-accel-buffering", "no"),
        ]

    async def respond(self, req: Any, proto: Any) -> int:
        if self.ndjson and self.lines:
            pieces = self.lines
        else:
            if self.data_file is not None:
                try:
                    text = await asyncio.to_thread(self.files.read, self.data_file, self.shown)
                except BodyFileError as exc:
                    proto.response_bytes(500, _TEXT, f"Failed to get data: {exc}".encode())
                    return 500
            else:
                text = self.data or ""
            data = text.encode("utf-8", "surrogateescape")
            pieces = [data[i : i + self.size] for i in range(0, len(data), self.size)]
        async with Stream(proto, 200, self.headers) as stream:
            for i, piece in enumerate(pieces):
                if i and not await stream.wait(self.delay):
                    break
                if not await stream.write(piece):
                    break
        return 200
