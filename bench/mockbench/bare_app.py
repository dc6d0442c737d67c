"""The bare baseline: a one-function RSGI app that answers every request with fixed bytes.

It is the ceiling of our stack (Granian + RSGI + one Python call per request). The harness starts it with
`granian --interface rsgi --task-impl rust --loop rloop --workers 1`, as mockd serves, and passes the exact
status, headers and body the mock under test returns in MOCKBENCH_BARE (JSON).
"""

from __future__ import annotations

import json
import os
from typing import Any

_SPEC = json.loads(os.environ.get("MOCKBENCH_BARE", '{"status": 200, "headers": [], "body": ""}'))
_STATUS: int = _SPEC["status"]
_HEADERS: list[tuple[str, str]] = [(k, v) for k, v in _SPEC["headers"]]
_BODY: bytes = _SPEC["body"].encode()


async def _respond(scope: Any, proto: Any) -> None:
    proto.response_bytes(_STATUS, _HEADERS, _BODY)


async def _read_then_respond(scope: Any, proto: Any) -> None:
    await proto()  # what any server that looks at request bodies must do (scenario 3's POST baseline)
    proto.response_bytes(_STATUS, _HEADERS, _BODY)


app = _read_then_respond if _SPEC.get("read_body") else _respond
