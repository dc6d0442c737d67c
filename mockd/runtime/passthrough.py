"""The mock port's answer when no mock matched (issue 17): replayed recordings first (`--replay`), then the
upstream (`--upstream`), whose exchanges are kept when `--record` is on (redacted before they are stored, and
written to a session folder with `--record-dir`). With both, only what the replay could not answer is
forwarded and recorded: "record missing".

`Runtime.fallback` stays None unless one of these is configured, so a plain mock set pays nothing. Answered
requests still count as misses in /metrics and appear in the request log with no mock id.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockd.errors import MockdError
from mockd.recording import disk
from mockd.recording.model import RecordingFormatError
from mockd.recording.redact import RedactionRules
from mockd.recording.replay import Replayer
from mockd.recording.store import RecordingStore

if TYPE_CHECKING:
    from mockd.proxy.upstream import Upstream
    from mockd.runtime.options import ServerOptions


class ReplayLoadError(MockdError):
    """`--replay` names something that is not recordings."""


class MissFallback:
    """Answers unmatched requests; `answer` returns the status sent, or 0 when it did not answer."""

    def __init__(
        self, upstream: Upstream | None, recordings: RecordingStore | None, replayer: Replayer | None = None,
        writer: disk.SessionWriter | None = None,
    ) -> None:  # fmt: skip
        self.upstream = upstream
        self.recordings = recordings
        self.replayer = replayer
        self.writer = writer

    async def answer(self, scope: Any, proto: Any, method: str, path: str, query: str, body: bytes) -> int:
        replayer = self.replayer
        if replayer is not None:
            got = replayer.answer(method, path, query, body)
            if got is not None:
                if method == "HEAD":
                    proto.response_empty(got.status, got.headers)
                else:
                    proto.response_bytes(got.status, got.headers, got.body)
                return got.status
        if self.upstream is not None:
            return await self.upstream.forward(scope, proto, method, path, query, body)
        return 0

    async def aclose(self) -> None:
        if self.upstream is not None:
            await self.upstream.aclose()
        if self.writer is not None:
            self.writer.close()


def recording_store(options: ServerOptions, session_name: str = "passthrough") -> RecordingStore:
    rules = RedactionRules.build(list(options.redact_headers), list(options.redact_fields))
    return RecordingStore(rules, session_name)


def load_replay(path: str) -> Replayer:
    try:
        return Replayer(disk.load(Path(path)))
    except RecordingFormatError as exc:
        raise ReplayLoadError(f"cannot replay {path}: {exc}") from None


def build_fallback(options: ServerOptions) -> MissFallback | None:
    """The fallback the options ask for, or None (the default: unmatched requests get 404 no_match)."""
    replayer = load_replay(options.replay) if options.replay else None
    if options.upstream is None:
        return MissFallback(None, None, replayer) if replayer is not None else None
    from mockd.proxy.upstream import Upstream, UpstreamOptions  # aiohttp loads only when there is an upstream

    store = writer = None
    if options.record:
        store = recording_store(options)
        if options.record_dir is not None:
            base = Path(options.record_dir).expanduser() if options.record_dir else disk.default_base()
            writer = disk.SessionWriter(base, "passthrough", port=options.port, mode="record")
            store.on_add = writer.add
    upstream = Upstream(
        UpstreamOptions(
            options.upstream,
            connect_timeout=options.upstream_connect_timeout,
            read_timeout=options.upstream_read_timeout,
        ),
        on_exchange=store.record if store is not None else None,
    )
    return MissFallback(upstream, store, replayer, writer)
