"""Mock type inference and generated mock ids (reference §2.1 step 7, §2.6).

Two id styles exist in the Go tool and clients can see the difference:

- config files: `<short type>_` + 16 hex (`http_`, `ws_`, `gql_`, `grpc_`, `soap_`, `mqtt_`, `oauth_`; `mock_`
  for an unknown type);
- admin API: the type spelled in full (`http_`, `websocket_`, `graphql_`, ...; `mock_` when empty).

Admin ids are random (each POST is a new mock). Config ids are derived from the file and the mock's index
instead of random bytes: same format, but a recompile or restart gives the same ids, so plans are
reproducible and ids printed in one run still work in the next.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Literal

from mockd.compiler.models import Mock

IdStyle = Literal["admin", "config"]

CONFIG_PREFIXES = {
    "http": "http",
    "websocket": "ws",
    "graphql": "gql",
    "grpc": "grpc",
    "soap": "soap",
    "mqtt": "mqtt",
    "oauth": "oauth",
}


def infer_type(m: Mock) -> str:
    """The first spec present in Go's order (http, websocket, graphql, grpc, soap, mqtt, oauth), else http."""
    for name in ("http", "websocket", "graphql", "grpc", "soap", "mqtt", "oauth"):
        if getattr(m, name) is not None:
            return name
    return "http"


def prefix_for(mock_type: str, style: IdStyle) -> str:
    if style == "admin":
        return mock_type or "mock"
    return CONFIG_PREFIXES.get(mock_type, "mock")


def generate_id(mock_type: str, style: IdStyle, *, seed: str | None = None) -> str:
    """`<prefix>_<16 hex>`; with `seed`, the hex is derived from it (stable), else random."""
    suffix = secrets.token_hex(8) if seed is None else hashlib.sha256(seed.encode()).hexdigest()[:16]
    return f"{prefix_for(mock_type, style)}_{suffix}"
