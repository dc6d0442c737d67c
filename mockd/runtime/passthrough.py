"""The mock port's answer when no mock matched and `--upstream` is set (issue 17): forward the request, and
keep the exchange when `--record` is on (redacted before it is stored).

Built once at start-up; `Runtime.fallback` stays None without an upstream, so a plain mock set pays nothing.
Requests still count as misses in /metrics, and appear in the request log with an empty mock id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockd.proxy import Upstream, UpstreamOptions
from mockd.recording.redact import RedactionRules
from mockd.recording.store import RecordingStore

if TYPE_CHECKING:
    from mockd.runtime.options import ServerOptions


class MissFallback:
    """Answers unmatched requests; `answer` returns the status sent, or 0 when it did not answer."""

    def __init__(self, upstream: Upstream | None, recordings: RecordingStore | None) -> None:
        self.upstream = upstream
        self.recordings = recordings

    async def answer(self, scope: Any, proto: Any, method: str, path: str, query: str, body: bytes) -> int:
        if self.upstream is not None:
            return await self.upstream.forward(scope, proto, method, path, query, body)
        return 0

    async def aclose(self) -> None:
        if self.upstream is not None:
            await self.upstream.aclose()


def recording_store(options: ServerOptions, session_name: str = "passthrough") -> RecordingStore:
    rules = RedactionRules.build(list(options.redact_headers), list(options.redact_fields))
    return RecordingStore(rules, session_name)


def build_fallback(options: ServerOptions) -> MissFallback | None:
    """The fallback the options ask for, or None (the default: unmatched requests get 404 no_match)."""
    if options.upstream is None:
        return None
    store = recording_store(options) if options.record else None
    upstream = Upstream(
        UpstreamOptions(options.upstream, connect_timeout=options.upstream_connect_timeout),
        on_exchange=store.record if store is not None else None,
    )
    return MissFallback(upstream, store)
