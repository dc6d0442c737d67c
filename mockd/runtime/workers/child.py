"""A worker process: `python -m mockd.runtime.workers.child FD OWNER_PID`, started by the owner only.

FD is this end of the control channel. The first message carries the server options, the owner's private port
and the state to serve; the worker answers `("ready", pid)` once it listens on the mock port, then answers
the owner's questions until the channel closes or it is signalled. It dies with the owner: PR_SET_PDEATHSIG
asks the kernel for SIGKILL when the owner goes (even by `kill -9`), and a closed channel stops it too.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ctypes
import gc
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from mockd.runtime.protocols import close_streams
from mockd.runtime.server import _embedded, _new_loop
from mockd.runtime.workers.channel import Channel, ChannelClosed
from mockd.runtime.workers.shipping import WorkerJournal
from mockd.runtime.workers.worker import WorkerApp, WorkerRuntime

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1


def _die_with_owner(owner: int) -> None:
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the closed channel still stops us
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != owner:  # the owner died before the request above took effect
        os._exit(1)


def _on_loop(loop: asyncio.AbstractEventLoop, fn: Callable[[], T]) -> T:
    """Run `fn` on the loop thread (where the journal and the route table live) and wait for its result."""
    done: concurrent.futures.Future[T] = concurrent.futures.Future()

    def run() -> None:
        try:
            done.set_result(fn())
        except BaseException as exc:  # handed to the waiting control thread
            done.set_exception(exc)

    loop.call_soon_threadsafe(run)
    return done.result()


def _control(chan: Channel, rt: WorkerRuntime, app: WorkerApp, loop: Any, stop: Callable[[], None]) -> None:
    """Answer the owner until the channel closes (the owner is gone or stopping us)."""
    while True:
        try:
            message = chan.recv()
            kind = message[0]
            reply: Any
            if kind == "flush":
                _, cutoff, keep_all = message
                journal: WorkerJournal = rt.journal  # type: ignore[assignment]  # always one in a worker
                reply = _on_loop(loop, lambda: journal.take(cutoff, keep_all))  # noqa: B023
            elif kind == "state":
                state = message[1]
                _on_loop(loop, lambda: app.apply(state))  # noqa: B023 - waited for before the next message
                reply = ("ok",)
            else:  # "stop"
                loop.call_soon_threadsafe(stop)
                reply = ("ok",)
            chan.send(reply)
        except ChannelClosed:
            with contextlib.suppress(RuntimeError):  # the loop is already closed
                loop.call_soon_threadsafe(stop)
            return


async def _serve(rt: WorkerRuntime, app: WorkerApp, chan: Channel) -> int:
    options = rt.options
    loop = asyncio.get_running_loop()
    server = _embedded(
        app, options.host, options.port, options.task_impl, options.read_timeout, websockets=True
    )
    server.workers_kill_timeout = max(1, int(options.shutdown_grace))
    stopping = False

    def stop() -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            close_streams()
            server.stop()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)

    def on_startup() -> None:
        chan.send(("ready", os.getpid()))
        threading.Thread(target=_control, args=(chan, rt, app, loop, stop), daemon=True).start()

    server.on_startup(on_startup)
    try:
        await server.serve()
    except Exception as exc:  # a bind failure: tell the owner why instead of leaving it waiting
        with contextlib.suppress(ChannelClosed):
            chan.send(("failed", f"{type(exc).__name__}: {exc}"))
        return 1
    finally:
        app.close()
        await rt.link.aclose()
    return 0


def main(argv: list[str]) -> int:
    fd, owner = int(argv[1]), int(argv[2])
    _die_with_owner(owner)
    chan = Channel(socket.socket(fileno=fd))
    _, options, owner_port, state = chan.recv()
    rt = WorkerRuntime(options, owner_port)
    app = WorkerApp(rt)
    app.apply(state)
    gc.freeze()  # as runtime.server: the loaded plan lives as long as the process
    loop = _new_loop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(_serve(rt, app, chan))
    finally:
        with contextlib.suppress(Exception):
            loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
