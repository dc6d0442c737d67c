"""What a tool hands back: one text block, JSON encoded as Go's `json.Marshal` writes it.

The Go tool builds its results from three kinds of Go value, and each orders keys its own way on output:
a `map[string]interface{}` it builds (keys sorted, values as they are: `GoMap`), a struct (declared order:
a plain dict), and JSON from the admin API decoded into `interface{}` (every nested object sorted: `Deep`).
`encode` follows the markers, so the text an agent sees is byte for byte the Go tool's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from mockd.gocompat.gojson import go_numbers, marshal
from mockd.mcp.args import Args
from mockd.mcp.session import Session


class GoMap(dict[str, Any]):
    """A Go map built by the handler: its own keys sorted on output."""


@dataclass(frozen=True)
class Deep:
    """Admin JSON decoded into `interface{}`: every object in it is a Go map, so all keys sort."""

    value: Any


@dataclass(frozen=True)
class Text:
    text: str
    mime_type: str | None = None


def encode(value: Any) -> str:
    if isinstance(value, Deep):
        return marshal(go_numbers(value.value), sort_keys=True).decode()
    if isinstance(value, dict):
        keys = sorted(value) if isinstance(value, GoMap) else list(value)
        return "{" + ",".join(marshal(k).decode() + ":" + encode(value[k]) for k in keys) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(encode(v) for v in value) + "]"
    return marshal(go_numbers(value)).decode()


def as_map(value: dict[str, Any]) -> Text:
    return Text(encode(GoMap(value)))


def as_struct(value: Any) -> Text:
    return Text(encode(value))


def as_decoded(value: Any) -> Text:
    return Text(encode(Deep(value)))


Handler = Callable[[Args, Session], Awaitable[Text]]
