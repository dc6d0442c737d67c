"""Generated item ids, one generator per resource (reference §2.6, `idStrategy`).

| strategy   | example                                | why it exists                                      |
|------------|----------------------------------------|----------------------------------------------------|
| `uuid`     | `8c0e1b2a-…` (UUID v4, lowercase)      | the default, as the Go tool                        |
| `prefix`   | `cus_` + 16 hex                        | Stripe-style ids (`idPrefix`)                      |
| `ulid`     | 26 Crockford base32 characters         | time-sortable ids                                  |
| `sequence` | `"1"`, `"2"`, … (strings)              | readable ids; continues after the largest numeric  |
|            |                                        | seed id and restarts on reset                      |
| `short`    | 16 hex                                 | short opaque ids                                   |

An unknown strategy generates UUIDs (the compiler warns about it), as the Go tool does.
"""

from __future__ import annotations

import os
import secrets
import time
import uuid

from mockd.templates.gofmt import atoi

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def short_hex() -> str:
    """16 lowercase hex characters (8 random bytes)."""
    return secrets.token_hex(8)


class Ulid:
    """Monotonic ULIDs: 48-bit millisecond time + 80 random bits, incremented within one millisecond so
    ids generated in a burst still sort in creation order (the ULID spec's monotonic mode)."""

    __slots__ = ("_last_ms", "_last_rand")

    def __init__(self) -> None:
        self._last_ms = -1
        self._last_rand = 0

    def next(self) -> str:
        ms = time.time_ns() // 1_000_000
        if ms <= self._last_ms:
            ms = self._last_ms  # clock stepped back or same millisecond: keep order by counting up
            rand = (self._last_rand + 1) & ((1 << 80) - 1)
        else:
            rand = int.from_bytes(os.urandom(10), "big")
        self._last_ms, self._last_rand = ms, rand
        value = (ms << 80) | rand
        return "".join(_CROCKFORD[(value >> shift) & 0x1F] for shift in range(125, -1, -5))


_ULID = Ulid()  # one clock for the process, as ids from every resource must sort together


class IdGenerator:
    """Ids for one resource. Not thread-safe by design: every call happens on the event-loop thread."""

    __slots__ = ("counter", "prefix", "strategy")

    def __init__(self, strategy: str, prefix: str) -> None:
        self.strategy = strategy
        self.prefix = prefix
        self.counter = 0  # `sequence` only: the last number handed out or seen in the seed

    def next(self) -> str:
        strategy = self.strategy
        if strategy == "sequence":
            self.counter += 1
            return str(self.counter)
        if strategy == "prefix":
            return self.prefix + short_hex()
        if strategy == "short":
            return short_hex()
        if strategy == "ulid":
            return _ULID.next()
        return str(uuid.uuid4())

    def restart(self) -> None:
        """A reset starts the sequence over; the seed's numeric ids then raise it again (`track`)."""
        self.counter = 0

    def track(self, id_text: str) -> None:
        """Keep `sequence` ids clear of a numeric id already taken (Go's `trackSequenceID`)."""
        if self.strategy == "sequence":
            n, ok = atoi(id_text)
            if ok and n > self.counter:
                self.counter = n
