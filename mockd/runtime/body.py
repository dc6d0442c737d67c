"""Reading request bodies with the 10 MiB cap both ports share (reference §3.1 step 4d and §5.0)."""

from __future__ import annotations

from typing import Any

MAX_BODY = 10 * 1024 * 1024
# Methods whose requests carry no body unless they announce one; for the rest we read what arrives.
BODYLESS = frozenset(("GET", "HEAD", "DELETE", "OPTIONS"))


class BodyTooLarge(Exception):
    """The body announced or delivered more than the cap; nothing past the cap was kept."""


async def read_body(proto: Any, headers: Any, method: str, limit: int = MAX_BODY) -> bytes:
    """The request body, or b"" without awaiting when the request announces none."""
    length = headers.get("content-length")
    if length is not None:
        if length == "0":
            return b""
        try:
            if int(length) > limit:
                raise BodyTooLarge
        except ValueError:
            pass
        return await proto()
    if method in BODYLESS and "transfer-encoding" not in headers:
        return b""
    chunks = []
    size = 0
    async for chunk in proto:
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)
