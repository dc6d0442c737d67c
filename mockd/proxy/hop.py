"""Hop-by-hop headers (RFC 9110 §7.6.1): meaningful for one connection only, so a forwarder drops them.

Besides the fixed list, every field named in the `Connection` header is hop-by-hop too. `Host` and
`Content-Length` are not hop-by-hop, but the client library sets both from the URL and the body it sends,
so the forwarder leaves them to it.
"""

from __future__ import annotations

from collections.abc import Iterable

HOP_BY_HOP = frozenset(
    (
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    )
)


def connection_tokens(pairs: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The field names a message's `Connection` header lists (lower-cased)."""
    names: set[str] = set()
    for name, value in pairs:
        if name.lower() == "connection":
            names.update(t.strip().lower() for t in value.split(",") if t.strip())
    return frozenset(names)


def end_to_end(
    pairs: Iterable[tuple[str, str]], also_drop: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """`pairs` without hop-by-hop fields, those the Connection header names, and `also_drop` (lower-case).

    One pass, and a second only when a `Connection` header named fields: this runs twice per forwarded
    request, so it builds no set in the common case."""
    drop = HOP_BY_HOP | also_drop if also_drop else HOP_BY_HOP
    kept: list[tuple[str, str]] = []
    listed: set[str] | None = None
    for name, value in pairs:
        lower = name.lower()
        if lower in drop:
            if lower == "connection":
                tokens = {t.strip().lower() for t in value.split(",") if t.strip()}
                listed = tokens if listed is None else listed | tokens
            continue
        kept.append((name, value))
    if listed:
        kept = [(n, v) for n, v in kept if n.lower() not in listed]
    return kept
