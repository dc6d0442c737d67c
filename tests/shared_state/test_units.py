"""Pieces of mockd/runtime/shared that need no store: messages and the journal's shipping format."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from mockd.runtime.journal import JournalLimits
from mockd.runtime.shared.journal import SharedJournal
from mockd.runtime.shared.link import display_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis://127.0.0.1:6379", "redis://127.0.0.1:6379"),
        ("redis://valkey:6379/2", "redis://valkey:6379/2"),
        ("redis://:s3cret@valkey:6379/0", "redis://valkey:6379/0"),  # the password is never shown
        ("rediss://user:pw@cache.example.com:6380", "rediss://cache.example.com:6380"),
    ],
)
def test_messages_name_the_store_without_its_password(url: str, expected: str) -> None:
    assert display_url(url) == expected


class _Headers:
    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs

    def items(self) -> list[tuple[str, str]]:
        return self._pairs


class _Scope:
    def __init__(self, path: str) -> None:
        self.method = "POST"
        self.path = path
        self.query_string = "a=1"
        self.headers = _Headers([("content-type", "application/json")])
        self.client = "10.0.0.7:5123"


def _stream_rows(args: list[str], first_seq: int) -> list[tuple[bytes, dict[bytes, bytes]]]:
    """What XREVRANGE returns for the entries of one `take` (newest first), as `keys.SHIP` stores them."""
    n_counters = int(args[0])
    entries = args[1 + 3 * n_counters :]
    rows = []
    for i in range(0, len(entries), 2):
        seq = first_seq + i // 2
        rows.append((f"{seq}-0".encode(), {b"s": str(seq).encode(), b"m": entries[i].encode(),
                                            b"e": entries[i + 1].encode()}))  # fmt: skip
    return rows[::-1]


def test_a_shipped_entry_reads_back_as_it_was_logged() -> None:
    journal = SharedJournal(JournalLimits(body_cap=4))
    counter = journal.counter("m1")
    counter.count, counter.last = 2, 1700000000.5
    journal.record(1700000000.25, _Scope("/a"), b"\x00\xffbody", "m1", 201, 3)
    journal.record(1700000000.5, _Scope("/b"), b"", "", 404, 0, [{"id": "m1"}])
    args, entries, calls = journal.take(500)
    assert (entries, calls) == (2, 2)
    assert args[:4] == ["1", "m1", "2", "1700000000.5"]
    assert counter.count == 0  # shipped: the next take sends only new calls
    journal.load_snapshot(_stream_rows(args, 7), {b"m1": b"2"}, {b"m1": b"1700000000.5"}, {}, 8)
    got: list[Any] = [(e.id, e.method, e.path, e.query, e.headers, e.remote_addr, e.body, e.body_size,
                       e.mock_id, e.status, e.duration_ms, e.near_misses) for e in journal.newest_first()]  # fmt: skip
    assert got == [
        ("req-8", "POST", "/b", "a=1", [("content-type", "application/json")], "10.0.0.7:5123", b"", 0, "", 404,
         0, [{"id": "m1"}]),
        ("req-7", "POST", "/a", "a=1", [("content-type", "application/json")], "10.0.0.7:5123", b"\x00\xffbo",
         6, "m1", 201, 3, None),
    ]  # fmt: skip
    peeked = journal.peek("m1")
    assert peeked is not None
    assert (peeked.count, peeked.last) == (2, 1700000000.5)
    assert [e.id for e in journal.entries_for("m1")] == ["req-7"]
    assert journal.clear_mock("m1") == 1
    assert journal.ops == [("restart", "m1", True)]
    assert journal.peek("m1") is None


def test_without_the_flag_neither_the_package_nor_redis_is_loaded() -> None:
    """A server started without `--shared-state` never imports mockd.runtime.shared or the redis client
    (the brief: a feature a mock does not use costs that mock nothing)."""
    probe = (
        "import sys, mockd.cli.app, mockd.runtime.server, mockd.runtime.app, mockd.runtime.admin.app\n"
        "from mockd.runtime.options import ServerOptions\n"
        "from mockd.runtime.world import Runtime\n"
        "rt = Runtime(ServerOptions())\n"
        "assert type(rt.journal).__name__ == 'Journal' and rt.shared is None and rt.state.durable is None\n"
        "print(sorted(m for m in sys.modules if m == 'redis' or m.startswith(('redis.', 'mockd.runtime.shared'))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
