"""The owner's side of `--workers N`: starting, feeding, draining, restarting and stopping the workers.

All state stays in the owner's `Runtime`. The pool keeps the workers in step with it:

- `before_admin` (every admin call) pulls every worker's buffered log entries into the journal first;
- `after_admin` pushes the mock set to every worker, and waits for each to install it, when the call
  changed the route table or turned chaos on or off;
- a watch task pulls entries every `TICK` while someone reads the log live (`/requests/stream`), else every
  `IDLE_PULL_INTERVAL`; it also pushes changes made outside the admin API (`--watch` reloads) and restarts
  a worker that died.

One asyncio lock serialises those operations, so a verify never runs between a pull and its apply.
Workers are spawned from the owner's main thread: PR_SET_PDEATHSIG follows the thread that forked.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

from mockd.errors import MockdError
from mockd.runtime.workers import shipping
from mockd.runtime.workers.channel import Channel, ChannelClosed

if TYPE_CHECKING:
    from mockd.runtime.options import ServerOptions
    from mockd.runtime.world import Runtime

TICK = 0.05  # seconds between the watch task's looks (dead workers, changes to push, a live log reader)
# Seconds between pulls when nobody reads the log live. Admin calls pull anyway, and a worker's buffer is
# bounded by the log's size, so this only bounds what a crashed worker takes with it. Pulling every tick
# instead cost about 30 % more CPU per request (each pull ships up to a log's worth of entries).
IDLE_PULL_INTERVAL = 1.0
RESTART_BACKOFF = 1.0  # seconds at least between two restarts of the same worker
# Seconds a started worker may take to answer a pull or install a pushed state. One that does not is killed
# (and restarted): a late answer would otherwise be read as the answer to the next question.
ANSWER_TIMEOUT = 30.0


class WorkerFailed(MockdError):
    """A worker could not start (its port could not be bound, it crashed while loading)."""


@dataclasses.dataclass
class Worker:
    number: int  # 1..N, as the log messages name it
    proc: subprocess.Popen
    chan: Channel
    started: float


def snapshot(rt: Runtime) -> dict[str, Any]:
    """What a worker serves: the mock set, the generated routes it relays, workspace prefixes, the config
    files' folders (body files), and whether chaos is on (then it relays everything)."""
    return {
        "mocks": [m.compiled for m in rt.store],
        "routes": [spec for spec, _ in rt.state.resource_routes()],
        "prefixes": dict(rt.store.route_prefixes),
        "sources": list(rt.sources),
        "relay_all": rt.chaos is not None,
    }


def _describe(code: int) -> str:
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


class WorkerPool:
    def __init__(self, rt: Runtime, options: ServerOptions, count: int, owner_port: int) -> None:
        self.rt = rt
        self.count = count
        self.owner_port = owner_port
        self.worker_options = dataclasses.replace(options, pid_file=None, ready_fd=None)
        self.workers: list[Worker] = []
        self.stopping = False
        self._lock = asyncio.Lock()
        self._pushed: tuple[object, bool] = (None, False)  # (route table, chaos on) the workers have

    # -- start -----------------------------------------------------------------------------------------

    def _launch(self, number: int) -> Worker:
        """Spawn one worker (on the main thread, see the module docstring)."""
        mine, theirs = socket.socketpair()
        proc = subprocess.Popen(
            [sys.executable, "-m", "mockd.runtime.workers.child", str(theirs.fileno()), str(os.getpid())],
            pass_fds=(theirs.fileno(),),
        )
        theirs.close()
        return Worker(number, proc, Channel(mine), time.monotonic())

    def _handshake(self, worker: Worker, state: dict[str, Any]) -> None:
        """Send the options and state; wait until the worker listens on the mock port (runs in a thread)."""
        try:
            worker.chan.send(("init", self.worker_options, self.owner_port, state))
            reply = worker.chan.recv()
        except ChannelClosed as exc:
            reply = ("failed", f"it exited while starting ({exc})")
        if reply[0] != "ready":
            raise WorkerFailed(f"worker {worker.number} failed to start: {reply[1]}")
        worker.chan.sock.settimeout(ANSWER_TIMEOUT)

    def _generation(self) -> tuple[object, bool]:
        return (self.rt.store.table, self.rt.chaos is not None)

    async def start(self) -> None:
        """Start every worker and wait until all listen. Raises WorkerFailed (the caller stops the rest)."""
        async with self._lock:
            generation = self._generation()
            state = snapshot(self.rt)
            self.workers = [self._launch(n) for n in range(1, self.count + 1)]
            await asyncio.gather(*(asyncio.to_thread(self._handshake, w, state) for w in self.workers))
            self._pushed = generation

    # -- keeping the workers in step -------------------------------------------------------------------

    async def before_admin(self, method: str, path: str) -> None:
        async with self._lock:
            await self._pull()

    async def after_admin(self) -> None:
        if self._changed():
            async with self._lock:
                await self._push()

    def _changed(self) -> bool:
        table, chaos = self._generation()
        return table is not self._pushed[0] or chaos != self._pushed[1]

    @staticmethod
    def _ask(worker: Worker, message: tuple) -> Any:
        try:
            return worker.chan.call(message)
        except ChannelClosed:  # dead or stuck: the watch task restarts it (its unshipped entries are lost)
            if worker.proc.poll() is None:
                worker.proc.kill()
            worker.chan.close()
            return None

    async def _pull(self) -> None:
        # One cut for all workers (see WorkerJournal.take); a live log reader needs every entry.
        flush = ("flush", time.time(), self.rt.journal.has_subscribers)
        replies = await asyncio.gather(*(asyncio.to_thread(self._ask, w, flush) for w in self.workers))
        shipping.apply(self.rt.journal, [r for r in replies if r is not None])

    async def _push(self) -> None:
        if not self._changed():
            return
        generation = self._generation()  # before the snapshot: a change made meanwhile is pushed next time
        state = snapshot(self.rt)
        await asyncio.gather(*(asyncio.to_thread(self._ask, w, ("state", state)) for w in self.workers))
        self._pushed = generation

    async def watch(self) -> None:
        """Until stopped: pull log entries, push changes made outside the admin API, restart dead workers."""
        pulled = time.monotonic()
        while not self.stopping:
            await asyncio.sleep(TICK)
            async with self._lock:
                if self.stopping:
                    return
                await self._restart_dead()
                now = time.monotonic()
                if self.rt.journal.has_subscribers or now - pulled >= IDLE_PULL_INTERVAL:
                    pulled = now
                    await self._pull()
                await self._push()

    async def _restart_dead(self) -> None:
        for i, worker in enumerate(self.workers):
            if self.stopping:  # a worker exiting on our SIGTERM is not a crash
                return
            code = worker.proc.poll()
            if code is None or time.monotonic() - worker.started < RESTART_BACKOFF:
                continue
            print(
                f"mockd: worker {worker.number} (pid {worker.proc.pid}) exited with {_describe(code)}; "
                "restarting it",
                file=sys.stderr,
                flush=True,
            )
            worker.chan.close()
            fresh = self._launch(worker.number)
            self.workers[i] = fresh
            try:
                await asyncio.to_thread(self._handshake, fresh, snapshot(self.rt))
            except WorkerFailed as exc:
                print(f"mockd: {exc}", file=sys.stderr, flush=True)
                continue
            print(
                f"mockd: worker {fresh.number} restarted (pid {fresh.proc.pid})", file=sys.stderr, flush=True
            )
        # A restarted worker got the current state, so the others decide whether a push is due.

    # -- stop ------------------------------------------------------------------------------------------

    def terminate(self) -> None:
        """Ask every worker to stop (SIGTERM: each closes its listener at once and drains)."""
        self.stopping = True
        for worker in self.workers:
            if worker.proc.poll() is None:
                worker.proc.send_signal(signal.SIGTERM)

    async def wait_stopped(self, grace: float) -> None:
        """Wait for every worker to exit; kill those still running after `grace` seconds."""
        self.terminate()
        deadline = time.monotonic() + grace
        while any(w.proc.poll() is None for w in self.workers) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        for worker in self.workers:
            if worker.proc.poll() is None:
                worker.proc.kill()
                worker.proc.wait()
            worker.chan.close()

    def pids(self) -> list[int]:
        return [w.proc.pid for w in self.workers]
