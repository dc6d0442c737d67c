"""`GET /requests/stream?maxPerSecond=N` (issue 22): the traffic view's server-side sampling. Entries past N
in a one-second window are counted, never queued or formatted, and the count arrives in a `sampled` event."""

from __future__ import annotations

import asyncio
import json

import pytest
import requests

from mockd.runtime.journal import STREAM_ENTRY_CHARGE, Subscription
from tests.admin.test_requests import Frames
from tests.harness import MockdProcess


def _entry(seq: int) -> tuple:
    return (seq, 0.0, None, b"", 0, "", 200, 0, None)


def test_a_sampling_subscription_queues_at_most_n_a_second_and_counts_the_rest() -> None:
    async def run() -> tuple[list[int], int, tuple[int, object]]:
        sub = Subscription(100, 100 * STREAM_ENTRY_CHARGE, per_second=3)
        for seq in range(1, 11):  # one burst: well inside one window
            sub.push(_entry(seq))
        taken = []
        while len(sub):
            _, entry = await sub.next()
            assert entry is not None
            taken.append(entry.seq)
        skipped = sub.skipped
        # with only skips to report, the reader is not left waiting
        woke = await asyncio.wait_for(sub.next(), 5)
        return taken, skipped, woke

    taken, skipped, woke = asyncio.run(run())
    assert (taken, skipped, woke) == ([1, 2, 3], 7, (0, None))


def test_without_the_option_nothing_is_sampled() -> None:
    sub = Subscription(100, 100 * STREAM_ENTRY_CHARGE)
    for seq in range(1, 51):
        sub.push(_entry(seq))
    assert (len(sub), sub.skipped) == (50, 0)


@pytest.mark.parametrize("value", ["0", "-3", "x", ""])
def test_a_value_that_is_not_a_positive_number_streams_everything(server: MockdProcess, value: str) -> None:
    with requests.get(
        server.admin + f"/requests/stream?maxPerSecond={value}", stream=True, timeout=10
    ) as resp:
        stream = Frames(resp)
        assert stream.read(1)[0].startswith("event: connected")
        with requests.Session() as s:
            for _ in range(20):
                s.get(server.url + "/api/users", timeout=10)
        frames = stream.read(20)
    assert [f.split("\n", 1)[0] for f in frames] == ["event: request"] * 20


def test_the_stream_sends_n_and_reports_the_rest(server: MockdProcess) -> None:
    sent = 50
    with requests.get(server.admin + "/requests/stream?maxPerSecond=2", stream=True, timeout=10) as resp:
        stream = Frames(resp)
        assert stream.read(1)[0].startswith("event: connected")
        with requests.Session() as s:
            for _ in range(sent):
                s.get(server.url + "/api/users", timeout=10)
        shown = 0
        skipped = 0
        sampled_frames = []
        while shown + skipped < sent:  # every entry is either sent or counted
            (frame,) = stream.read(1)
            event, data = frame.split("\n", 1)
            if event == "event: request":
                shown += 1
            else:
                assert event == "event: sampled"
                body = json.loads(data.removeprefix("data: "))
                assert body["message"] == (
                    f"{body['skipped']} request log entries were left out by sampling (maxPerSecond)"
                )
                skipped += body["skipped"]
                sampled_frames.append(body)
    assert shown >= 2
    assert skipped > 0
    assert len(sampled_frames) < skipped / 4  # reports gather counts (one a second), not one per entry
