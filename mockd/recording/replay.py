"""Replay: recordings served back in the order they were made (issue 17).

Each request is keyed by method, path, query (parameters sorted) and body. The recordings with one key form
a sequence: the first request gets the first recorded answer, the next the second, and once the sequence is
used up its last answer repeats. A request whose exact key was never recorded falls back to the sequence of
its method and path alone (a different page number still gets an answer of the right shape); otherwise the
replayer does not answer, and the request goes on (to the upstream, or 404 no_match).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from mockd.recording.model import Recording

# Not replayed: the server sets these for the answer it actually sends.
_DROPPED = frozenset(
    ("content-length", "transfer-encoding", "connection", "keep-alive", "date", "trailer", "upgrade", "te",
     "proxy-connection")
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def _key(
    method: str, path: str, query: str, body: bytes
) -> tuple[str, str, tuple[tuple[str, str], ...], bytes]:
    return method, path, tuple(sorted(parse_qsl(query, keep_blank_values=True))), body


class _Sequence:
    __slots__ = ("answers", "next")

    def __init__(self) -> None:
        self.answers: list[Answer] = []
        self.next = 0

    def take(self) -> Answer:
        answer = self.answers[min(self.next, len(self.answers) - 1)]
        self.next += 1
        return answer


class Replayer:
    def __init__(self, recordings: Iterable[Recording]) -> None:
        self._exact: dict[tuple[object, ...], _Sequence] = {}
        self._loose: dict[tuple[str, str], _Sequence] = {}
        self.count = 0
        for rec in recordings:
            headers = [(k, v) for k, values in rec.response_headers.items() if k.lower() not in _DROPPED
                       for v in values]  # fmt: skip
            answer = Answer(rec.status, headers, rec.response_body)
            self._exact.setdefault(
                _key(rec.method, rec.path, rec.query, rec.request_body), _Sequence()
            ).answers.append(answer)
            self._loose.setdefault((rec.method, rec.path), _Sequence()).answers.append(answer)
            self.count += 1

    def answer(self, method: str, path: str, query: str, body: bytes) -> Answer | None:
        seq = self._exact.get(_key(method, path, query, body)) or self._loose.get((method, path))
        return seq.take() if seq is not None else None

    def rewind(self) -> None:
        """Start every sequence over."""
        for seq in (*self._exact.values(), *self._loose.values()):
            seq.next = 0
