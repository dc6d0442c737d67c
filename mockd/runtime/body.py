"""Reading request bodies with the 10 MiB cap both ports share (reference §3.1 step 4d and §5.0).

A body that does not arrive whole (a bad chunk size, the client closing mid-body) raises `BodyIncomplete`,
so no mock is matched against, or counted for, a fragment (issue 12).
"""

from __future__ import annotations

from typing import Any

from granian.rsgi import ProtocolClosed

MAX_BODY = 10 * 1024 * 1024
# Methods whose requests carry no body unless they announce one; for the rest we read what arrives.
BODYLESS = frozenset(("GET", "HEAD", "DELETE", "OPTIONS"))


class BodyTooLarge(Exception):
    """The body announced or delivered more than the cap; nothing past the cap was kept."""


class BodyIncomplete(Exception):
    """The body was cut short or malformed (bad chunk size, connection closed before its end)."""


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
        try:
            return await proto()
        except ProtocolClosed:  # Granian's answer when fewer bytes than announced arrived
            raise BodyIncomplete from None
    if method in BODYLESS and "transfer-encoding" not in headers:
        return b""
    chunks = []
    size = 0
    empty = 0
    async for chunk in proto:
        if not chunk:
            empty += 1
            continue
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    # Granian's body iterator ends with one empty chunk. It turns a read error into one more empty chunk and
    # then ends as if the body were whole; a trailers frame looks exactly the same, and the connection stays
    # up either way until we answer. So an extra empty chunk means a broken body, unless the request
    # announced trailers in a `Trailer` header (as RFC 9110 §6.6.2 asks senders to, and Go's client does).
    if empty > 1 and "trailer" not in headers:
        raise BodyIncomplete
    return b"".join(chunks)
