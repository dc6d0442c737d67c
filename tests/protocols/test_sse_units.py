"""SSE building blocks without a server: timing rules, sources, waits and keepalives (with a fake stream)."""

from __future__ import annotations

import asyncio
import json

from mockd.protocols import sse
from mockd.protocols.sse import Event, SseResponder, Timing, _Connection, _generate, _source


def test_delay_priority_event_then_per_event_then_burst_then_fixed():
    timing = Timing(
        {"fixedDelay": 7, "perEventDelays": [1, 2], "burst": {"count": 2, "interval": 3, "pause": 9}}
    )
    assert [timing.delay_ms(Event(data=1, delay=5), 0), timing.delay_ms(Event(data=1), 1)] == [5, 2]
    assert [timing.delay_ms(Event(data=1), i) for i in (2, 3, 4, 5)] == [3, 9, 3, 9]
    assert Timing({"fixedDelay": 7}).delay_ms(Event(data=1), 0) == 7
    assert 10 <= Timing({"randomDelay": {"min": 10, "max": 12}}).delay_ms(Event(data=1), 0) <= 12


def test_generators():
    seq = _generate({"type": "sequence", "count": 2, "sequence": {"start": 1, "increment": 2}})
    assert [(e.id, e.data) for e in seq] == [("1", 1), ("3", 3)]
    [rnd] = _generate(
        {"type": "random", "count": 1, "random": {"schema": {"n": "$random(4,4)", "p": "$pick(a)"}}}
    )
    assert (rnd.id, rnd.data) == ("1", {"n": 4, "p": "a"})
    tpl = _generate(
        {"type": "template", "count": 3, "template": {"events": [{"data": "x"}, {"data": "y"}], "repeat": 2}}
    )
    assert [(e.id, e.data) for e in tpl] == [("1", "x"), ("2", "y"), ("1", "x")]


def test_notification_template_and_unknown_template():
    [batch] = list(
        _source({"template": "notification-stream", "templateParams": {"messages": [{"payload": 1}]}})()
    )
    assert [(e.type, e.data, e.delay) for e in batch] == [("notification", 1, 1000)]
    assert list(_source({"template": "nope"})()) == []


class FakeStream:
    """Records writes; waits advance a fake clock instead of sleeping."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.ended = False
        self.bytes_sent = 0

    async def write(self, data: bytes) -> bool:
        self.writes.append(data)
        return True

    async def wait(self, seconds: float) -> bool:
        await asyncio.sleep(0)
        return True


def run_connection(spec: dict, last_id: str | None = None) -> list[bytes]:
    async def go() -> list[bytes]:
        mock = SseResponder(spec, "m")
        stream = FakeStream()
        info = sse.StreamInfo("sse-x", "m", "/", "", "", 0.0, stream)  # type: ignore[arg-type]
        await _Connection(mock, stream, last_id, info).run()  # type: ignore[arg-type]
        return stream.writes

    return asyncio.run(go())


def test_max_events_ends_a_generator_with_the_final_event():
    writes = run_connection(
        {
            "generator": {"type": "sequence", "count": 1},
            "lifecycle": {"maxEvents": 3, "termination": {"finalEvent": {"data": "end"}}},
        }
    )
    assert writes == [
        b"retry:3000\n\n",
        b"id:0\ndata:0\n\n",
        b"id:0\ndata:0\n\n",
        b"id:0\ndata:0\n\n",
        b"data:end\n\n",
    ]


def test_rate_limit_drop_skips_events_beyond_the_burst():
    writes = run_connection(
        {
            "events": [{"data": i} for i in range(4)],
            "rateLimit": {"eventsPerSecond": 0.001, "burstSize": 2, "strategy": "drop"},
        }
    )
    assert writes == [b"retry:3000\n\n", b"data:0\n\n", b"data:1\n\n"]


def test_resume_without_the_header_numbers_events():
    writes = run_connection({"events": [{"data": "a"}, {"data": "b"}], "resume": {"enabled": True}})
    assert writes[1:] == [b"id:1\ndata:a\n\n", b"id:2\ndata:b\n\n"]


def test_templated_data_is_rendered_per_event():
    writes = run_connection({"events": [{"data": {"u": "{{upper 'ok'}}", "n": [1, "{{lower 'X'}}"]}}]})
    assert json.loads(writes[1].decode().removeprefix("data:")) == {"n": [1, "x"], "u": "OK"}
