"""Recordings in memory, grouped in sessions, in the order they were made.

One session is active at a time and receives new exchanges, redacted first. `DELETE /recordings` empties
every session but keeps the active one open (the Go tool drops it too, after which a running proxy silently
records nothing: docs/differences.md). `on_add` lets a writer persist each recording as it is made.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from mockd.gocompat.timefmt import rfc3339_utc_seconds
from mockd.recording.model import Exchange, Recording
from mockd.recording.redact import RedactionRules


@dataclass(slots=True)
class Session:
    id: str
    name: str
    started: float
    ended: float | None = None
    recordings: list[Recording] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id,
            "name": self.name,
            "startTime": rfc3339_utc_seconds(self.started),
        }
        if self.ended is not None:
            out["endTime"] = rfc3339_utc_seconds(self.ended)
        out["recordingCount"] = len(self.recordings)
        return out


class RecordingStore:
    def __init__(self, rules: RedactionRules, session_name: str = "default",
                 on_add: Callable[[Recording], None] | None = None) -> None:  # fmt: skip
        self.rules = rules
        self.on_add = on_add
        self.sessions: dict[str, Session] = {}
        self.active = self.new_session(session_name)

    def new_session(self, name: str) -> Session:
        """Open a session and make it the active one (the previous one gets its end time)."""
        now = time.time()
        if getattr(self, "active", None) is not None and self.active.ended is None:
            self.active.ended = now
        session = Session(str(uuid.uuid4()), name, now)
        self.sessions[session.id] = session
        self.active = session
        return session

    def record(self, exchange: Exchange) -> Recording:
        rec = self.rules.apply(Recording.from_exchange(exchange, self.active.id))
        self.add(rec)
        return rec

    def add(self, rec: Recording) -> None:
        """Keep an already-redacted recording in the active session."""
        rec.session_id = self.active.id
        self.active.recordings.append(rec)
        if self.on_add is not None:
            self.on_add(rec)

    def __iter__(self) -> Iterator[Recording]:
        for session in self.sessions.values():
            yield from session.recordings

    def __len__(self) -> int:
        return sum(len(s.recordings) for s in self.sessions.values())

    def get(self, rec_id: str) -> Recording | None:
        return next((r for r in self if r.id == rec_id), None)

    def delete(self, rec_id: str) -> bool:
        for session in self.sessions.values():
            for i, rec in enumerate(session.recordings):
                if rec.id == rec_id:
                    del session.recordings[i]
                    return True
        return False

    def clear(self) -> int:
        """Forget every recording and every session but the active one; returns how many were deleted."""
        n = len(self)
        self.sessions = {self.active.id: self.active}
        self.active.recordings.clear()
        return n

    def delete_session(self, session_id: str) -> bool:
        """Forget one session; deleting the active one empties it instead (recording goes on)."""
        session = self.sessions.get(session_id)
        if session is None:
            return False
        if session is self.active:
            session.recordings.clear()
        else:
            del self.sessions[session_id]
        return True

    def select(self, *, ids: list[str] | None = None, session: str = "", method: str = "",
               path: str = "") -> list[Recording]:  # fmt: skip
        """Recordings by id (in the order given), else by session, filtered exactly by method and path."""
        if ids:
            found = {r.id: r for r in self}
            chosen = [found[i] for i in ids if i in found]
        elif session:
            s = self.sessions.get(session)
            chosen = list(s.recordings) if s is not None else []
        else:
            chosen = list(self)
        return [r for r in chosen if (not method or r.method == method) and (not path or r.path == path)]
