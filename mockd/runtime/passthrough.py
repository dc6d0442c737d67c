"""Forwarding on the mock port (issue 17).

- When no mock matched: replayed recordings first (`--replay`), then the upstream (`--upstream`). With both,
  only what the replay could not answer is forwarded and recorded: "record missing". Answered requests still
  count as misses in /metrics and appear in the request log with no mock id.
- A mock with `http.passthrough` (ours): its matched requests go to its own upstream (`PassthroughTarget`),
  logged and counted under the mock's id.

Both record into one store when `--record` is on (redacted before they are stored, and written to a session
folder with `--record-dir`). `Runtime.fallback` stays None unless a fallback is configured, so a plain mock
set pays nothing on a miss; a mock without `passthrough` is untouched (its target is built as before), and
the HTTP client is imported only when some upstream is actually used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mockd.errors import MockdError
from mockd.recording import disk
from mockd.recording.model import RecordingFormatError
from mockd.recording.redact import RedactionRules
from mockd.recording.replay import Replayer
from mockd.recording.store import RecordingStore
from mockd.runtime.targets import RequestView, Target

if TYPE_CHECKING:
    from mockd.plan.model import PassthroughAction
    from mockd.proxy.upstream import Upstream
    from mockd.runtime.journal import Counter
    from mockd.runtime.options import ServerOptions


class ReplayLoadError(MockdError):
    """`--replay` names something that is not recordings."""


class MissFallback:
    """Answers unmatched requests; `answer` returns the status sent, or 0 when it did not answer."""

    def __init__(self, upstream: Upstream | None, replayer: Replayer | None = None) -> None:
        self.upstream = upstream
        self.replayer = replayer

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


class _Key(NamedTuple):
    url: str
    connect_timeout: float
    read_timeout: float


class Forwarding:
    """Everything on the mock port that forwards: the miss fallback, the per-mock upstreams (one client per
    distinct upstream and timeouts, kept across route-table rebuilds so connections stay alive) and the
    recording store both feed."""

    def __init__(self, options: ServerOptions) -> None:
        self.options = options
        self.recordings: RecordingStore | None = None
        self.writer: disk.SessionWriter | None = None
        if options.record:
            self.recordings = recording_store(options)
            if options.record_dir is not None:
                base = Path(options.record_dir).expanduser() if options.record_dir else disk.default_base()
                self.writer = disk.SessionWriter(base, "passthrough", port=options.port, mode="record")
                self.recordings.on_add = self.writer.add
        self.fallback = build_fallback(options, self.recordings)
        self._upstreams: dict[_Key, Upstream] = {}

    def upstream(self, action: PassthroughAction) -> Upstream:
        """The shared client for a passthrough mock's upstream (made on first use)."""
        o = self.options
        connect, read = action["connectTimeoutMs"], action["readTimeoutMs"]
        key = _Key(
            action["upstream"],
            o.upstream_connect_timeout if connect is None else connect / 1000.0,
            o.upstream_read_timeout if read is None else read / 1000.0,
        )
        found = self._upstreams.get(key)
        if found is None:
            found = self._upstreams[key] = _make_upstream(key.url, key.connect_timeout, key.read_timeout,
                                                          self.recordings)  # fmt: skip
        return found

    def target(self, log_id: str, counter: Counter | None, action: PassthroughAction) -> Target:
        return PassthroughTarget(log_id, counter, self, action)

    async def aclose(self) -> None:
        """At shutdown: close every client, then finish the session folder."""
        if self.fallback is not None and self.fallback.upstream is not None:
            await self.fallback.upstream.aclose()
        for upstream in self._upstreams.values():
            await upstream.aclose()
        self._upstreams.clear()
        if self.writer is not None:
            self.writer.close()


class PassthroughTarget(Target):
    """A mock with `http.passthrough`: the matched request is forwarded as it came (path and query
    appended to the upstream's base URL) and the answer relayed, streamed when long (proxy/upstream.py)."""

    __slots__ = ("_action", "_forwarding", "_upstream")

    def __init__(
        self, log_id: str, counter: Counter | None, forwarding: Forwarding, action: PassthroughAction
    ) -> None:
        super().__init__(log_id, counter)
        self._forwarding = forwarding
        self._action = action
        self._upstream: Upstream | None = None  # looked up on the first request: no client for idle mocks

    async def respond(self, req: RequestView, proto: Any) -> int:
        upstream = self._upstream
        if upstream is None:
            upstream = self._upstream = self._forwarding.upstream(self._action)
        return await upstream.forward(req.scope, proto, req.method, req.path, req.query, req.body)


def _make_upstream(url: str, connect_timeout: float, read_timeout: float,
                   store: RecordingStore | None) -> Upstream:  # fmt: skip
    from mockd.proxy.upstream import Upstream, UpstreamOptions  # aiohttp loads only when an upstream is used

    options = UpstreamOptions(url, connect_timeout=connect_timeout, read_timeout=read_timeout)
    return Upstream(options, on_exchange=store.record if store is not None else None)


def recording_store(options: ServerOptions, session_name: str = "passthrough") -> RecordingStore:
    rules = RedactionRules.build(list(options.redact_headers), list(options.redact_fields))
    return RecordingStore(rules, session_name)


def load_replay(path: str) -> Replayer:
    try:
        return Replayer(disk.load(Path(path)))
    except RecordingFormatError as exc:
        raise ReplayLoadError(f"cannot replay {path}: {exc}") from None


def build_fallback(options: ServerOptions, store: RecordingStore | None) -> MissFallback | None:
    """The fallback the options ask for, or None (the default: unmatched requests get 404 no_match)."""
    replayer = load_replay(options.replay) if options.replay else None
    if options.upstream is None:
        return MissFallback(None, replayer) if replayer is not None else None
    upstream = _make_upstream(options.upstream, options.upstream_connect_timeout,
                              options.upstream_read_timeout, store)  # fmt: skip
    return MissFallback(upstream, replayer)
