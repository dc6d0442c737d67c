"""Granian's Rust tasks leak what a task waits on; `runtime/rusttasks.py` makes that always one object.

Two levels: a stand-in for Granian's scheduler that keeps every yielded object (exactly what Granian 2.8.9's
`CallbackScheduler::send` does), which shows the relay is the only object ever kept and that results,
exceptions and nesting behave as under a Task; and a real server on Rust tasks, whose memory stays flat
under large POST bodies (unfixed, it kept every body: ~66 KB per 64 KiB POST).
"""

from __future__ import annotations

import asyncio
import http.client
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from granian._futures import _CBSchedulerTask
from granian.constants import TaskImpl

from mockd.runtime import rusttasks
from mockd.runtime.app import MockApp
from mockd.runtime.options import ServerOptions
from mockd.runtime.rusttasks import relayed, uses_rust_tasks, wait_for_mode
from mockd.runtime.workers.serve import _owner_server
from mockd.runtime.world import Runtime
from tests.harness import MockdProcess


class LeakyScheduler:
    """Drives a coroutine the way Granian's Rust scheduler does, keeping every object it yields."""

    def __init__(self, loop: asyncio.AbstractEventLoop, coro: Any) -> None:
        self.loop = loop
        self.coro = coro
        self.kept: list[Any] = []
        self.done = loop.create_future()
        self.task = _CBSchedulerTask()

    def step(self, thrown: BaseException | None = None) -> None:
        # As Granian: its stand-in Task is the current task while the coroutine runs (aiohttp needs one).
        asyncio.tasks._enter_task(self.loop, self.task)
        try:
            yielded = self.coro.send(None) if thrown is None else self.coro.throw(thrown)
        except StopIteration as stop:
            self.done.set_result(stop.value)
            return
        except BaseException as exc:  # handed to the test as the outcome
            self.done.set_exception(exc)
            return
        finally:
            asyncio.tasks._leave_task(self.loop, self.task)
        self.kept.append(yielded)  # the reference Granian never releases
        if yielded is None:
            self.loop.call_soon(self.step)
        elif getattr(yielded, "_asyncio_future_blocking", False):
            yielded._asyncio_future_blocking = False
            yielded.add_done_callback(self.wake, context=None)

    def wake(self, future: Any) -> None:
        try:
            future.result()
        except BaseException as exc:  # thrown into the coroutine, as Granian does
            self.step(exc)
            return
        self.step()


def run_leaky(make: Callable[[asyncio.AbstractEventLoop], Any]) -> tuple[Any, list[Any]]:
    loop = asyncio.new_event_loop()
    try:
        sched = LeakyScheduler(loop, make(loop))
        loop.call_soon(sched.step)
        return loop.run_until_complete(sched.done), sched.kept
    finally:
        loop.close()


async def _waits(loop: asyncio.AbstractEventLoop, value: str) -> str:
    future = loop.create_future()
    loop.call_soon(future.set_result, value)
    got = await future
    await asyncio.sleep(0)  # a bare yield: passed through as None
    await asyncio.sleep(0.001)  # a timer future
    return got


async def _outer(loop: asyncio.AbstractEventLoop) -> list[str]:
    got = [await _waits(loop, "plain")]
    got.append(await relayed(_waits(loop, "nested")))
    return got


def test_unwrapped_waits_leave_every_future_with_the_scheduler() -> None:
    """The control: without the relay, each awaited future is kept (what Granian leaks)."""
    value, kept = run_leaky(lambda loop: _waits(loop, "x"))
    assert value == "x"
    futures = [k for k in kept if k is not None]
    assert len(futures) == 2
    assert all(isinstance(f, asyncio.Future) for f in futures)


def test_relayed_waits_show_the_scheduler_only_the_relay() -> None:
    async def main(loop: asyncio.AbstractEventLoop) -> list[str]:
        return await relayed(_outer(loop))

    value, kept = run_leaky(main)
    assert value == ["plain", "nested"]
    assert {id(k) for k in kept} == {id(None), id(rusttasks._RELAY)}
    assert kept.count(rusttasks._RELAY) == 4  # two futures in each of the two `_waits`
    assert rusttasks._RELAY.waiting is None  # nothing held after the callback was passed on


def test_an_exception_set_on_the_awaited_future_reaches_the_coroutine() -> None:
    async def fails(loop: asyncio.AbstractEventLoop) -> str:
        future = loop.create_future()
        loop.call_soon(future.set_exception, ValueError("boom"))
        try:
            await future
        except ValueError as exc:
            return f"caught {exc}"
        return "not caught"

    value, kept = run_leaky(lambda loop: relayed(fails(loop)).__await__())
    assert value == "caught boom"
    assert kept == [rusttasks._RELAY]


def test_a_cancelled_wait_raises_cancelled_error_in_the_coroutine() -> None:
    async def cancelled(loop: asyncio.AbstractEventLoop) -> str:
        future = loop.create_future()
        loop.call_soon(future.cancel)
        try:
            await future
        except asyncio.CancelledError:
            return "cancelled"
        return "finished"

    value, _ = run_leaky(lambda loop: relayed(cancelled(loop)).__await__())
    assert value == "cancelled"


def test_asyncio_mode_and_newer_pythons_get_the_identity() -> None:
    coro = _waits(asyncio.new_event_loop(), "x")
    try:
        assert wait_for_mode("asyncio")(coro) is coro
        if uses_rust_tasks("rust"):
            assert isinstance(wait_for_mode("rust")(coro), rusttasks.Relayed)
        else:  # Python 3.12+: Granian has no Rust tasks, so an asyncio Task would meet the relay
            assert wait_for_mode("rust")(coro) is coro
    finally:
        coro.close()


def _rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0])


@pytest.mark.skipif(not uses_rust_tasks("rust"), reason="Granian has Rust tasks only below Python 3.12")
def test_a_rust_task_server_keeps_no_request_body(
    mockd_server: Callable[..., MockdProcess], tmp_path: Path
) -> None:
    """500 POSTs of 64 KiB: unfixed, Granian kept each body (~32 MiB); the log keeps 10 entries here."""
    config = tmp_path / "mocks.yaml"
    config.write_text(
        "mocks:\n"
        "  - id: upload\n"
        "    http:\n"
        "      matcher: {method: POST, path: /upload}\n"
        "      response: {statusCode: 201, body: ok}\n"
    )
    server = mockd_server("-c", str(config), "--task-impl", "rust", "--max-log-entries", "10")
    assert server.proc is not None
    body = b"x" * 65536
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)

    def post(times: int) -> None:
        for _ in range(times):
            conn.request("POST", "/upload", body=body)
            reply = conn.getresponse()
            assert (reply.status, reply.read()) == (201, b"ok")

    post(200)  # allocator and log at their steady state
    before = _rss_kib(server.proc.pid)
    post(500)
    grown = _rss_kib(server.proc.pid) - before
    conn.close()
    assert grown < 8 * 1024, f"RSS grew {grown} KiB over 500 POSTs of 64 KiB"


@pytest.mark.parametrize("task_impl", ["asyncio", "rust"])
def test_the_owners_private_port_runs_the_task_implementation_the_app_waits_with(task_impl: str) -> None:
    """Workers relay stateful requests to this port; pinned to asyncio Tasks, it hung on the relay."""
    options = ServerOptions(task_impl=task_impl)
    app = MockApp(Runtime(options))
    try:
        server = _owner_server(app, 1, options)
        expected = TaskImpl.rust if uses_rust_tasks(task_impl) else TaskImpl.asyncio
        assert (app.rust_tasks, server.task_impl) == (expected is TaskImpl.rust, expected)
    finally:
        app.close()
