"""`SharedState`: one replica's link to the store (docs/shared-state.md has the protocol with a picture).

Invariants, and what keeps them:

- **Admin reads see every replica.** Before an admin call the replica catches up with the stored mock set,
  then runs a flush barrier: it ships its own buffer, publishes `flush <token>`, and waits until every live
  replica has shipped its buffer and pushed its id to `ack:flush:<token>`. A replica appends a request's log
  entry in the same synchronous step that sends the response, and flushes after the barrier's message
  arrives, so every response sent before the admin call began is in the store when the call reads it.
- **Admin writes are everywhere when the call returns.** An admin call that changed the mocks or chaos
  writes the whole document with a compare-and-set on the version (`keys.PUBLISH_STATE`), which also
  publishes `state <version>`; every live replica installs it (the store's atomic swap) and pushes its id to
  `ack:state:<version>`, and the call returns once all have, or after `ACK_TIMEOUT`. Admin writes on one
  replica are serialised by `_write_lock`; two replicas writing at once: the second gets 409 and its change
  is replaced by the store's state.
- **Live replicas** are the members of a sorted set scored by heartbeat expiry (`HEARTBEAT_TTL`), refreshed
  every `HEARTBEAT_INTERVAL`. A replica that dies stops being waited for once its entry expires.
- **Outage.** The mock port never waits for the store. While it is unreachable, admin calls (except
  `GET /health`, `/ready` and `/shared-state`) answer 503 `shared_state_unavailable`, and log entries and
  counts the flusher cannot ship are dropped and counted (`GET /shared-state`). The listener retries every
  `RETRY_INTERVAL`; once back, the replica re-registers and adopts the store's state, or seeds it with its own
  when the store came back empty.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import os
import socket
import time
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from mockd.errors import MockdError
from mockd.runtime.admin.http import AdminError
from mockd.runtime.shared import keys, state
from mockd.runtime.shared.tables import SharedTables
from mockd.runtime.state.tables import StoreUnavailable

if TYPE_CHECKING:
    from mockd.runtime.shared.journal import SharedJournal
    from mockd.runtime.world import Runtime

log = logging.getLogger("mockd.shared")

FLUSH_INTERVAL = 0.05  # seconds between the flusher's shipments (a barrier ships at once anyway)
BATCH = 500  # log entries per shipping script call
HEARTBEAT_INTERVAL = 1.0
HEARTBEAT_TTL = 3.0  # a replica silent this long is no longer waited for
ACK_TIMEOUT = 5.0  # the longest an admin call waits for the other replicas (a barrier or a state install)
RETRY_INTERVAL = 0.2  # seconds between reconnection attempts while the store is down
# Admin calls that answer from this replica alone, so a load balancer's health check works in an outage.
LOCAL_PATHS = frozenset(("/health", "/ready", "/shared-state"))
_STORE_ERRORS = keys.STORE_ERRORS
# Set by `before_admin` when this admin call holds the write lock; read by `after_admin` in the same task.
_WRITING: contextvars.ContextVar[bool] = contextvars.ContextVar("mockd_shared_writing", default=False)


class SharedStateError(MockdError):
    """The store cannot be reached at start-up (the CLI prints it and exits 1)."""


def display_url(url: str) -> str:
    """`url` without its password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class SharedState:
    def __init__(self, rt: Runtime, url: str) -> None:
        self.rt = rt
        self.url = url
        self.shown_url = display_url(url)
        self.journal: SharedJournal = rt.journal  # type: ignore[assignment]  # SharedRuntime's factory
        self.replica_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        # No client-side retries: a refused connection must become a 503 at once, not after backoffs.
        self.redis = Redis.from_url(
            url, socket_connect_timeout=1.0, socket_timeout=ACK_TIMEOUT + 2, retry=Retry(NoBackoff(), 0)
        )
        self._ship_script = self.redis.register_script(keys.SHIP)
        self._publish_script = self.redis.register_script(keys.PUBLISH_STATE)
        self._seed_script = self.redis.register_script(keys.SEED)
        self._restart_script = self.redis.register_script(keys.RESTART_COUNT)
        self._clear_script = self.redis.register_script(keys.CLEAR)
        self.applied = 0  # the store version this replica serves
        self.epoch: bytes | None = None  # ... of this store epoch (keys.EPOCH)
        self._published: tuple[int, Any] = (-1, None)  # (store.commits, chaos) as last published or adopted
        self._mine: set[int] = set()  # versions this replica wrote (it does not ack its own)
        self._sync_lock = asyncio.Lock()  # one adopt or publish at a time
        self._write_lock = asyncio.Lock()  # held from before_admin to after_admin by a write call
        # `state` events that arrived while the write lock was held: installed and acknowledged as soon as
        # the holder lets go (`_settle`), never queued behind the admin writes waiting for the lock.
        self._deferred: list[int] = []
        self._ship_lock = asyncio.Lock()  # shipments in order
        self.connected = False
        self.stale = False  # a change could not be published: adopt the store's state once it is back
        self.dropped_calls = 0  # counter increments lost in an outage (their log entries: journal.dropped)
        self.late_acks = 0  # admin calls that stopped waiting for a replica after ACK_TIMEOUT
        self._tasks: list[asyncio.Task] = []
        self._handlers: set[asyncio.Task] = set()
        self.tables = SharedTables(self.redis, rt.state, self._message)

    # -- lifecycle ---------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Register, then seed the store with this replica's mocks if it is empty, else adopt the store's.
        Runs before the ports listen, so the first request already sees the shared mocks."""
        try:
            await self.redis.ping()
            await self._heartbeat()
            await self._seed_or_adopt()
            # Tables: item changes are written by the guard around each request (tables.py).
            self.rt.state.watch(self.tables.touched, lambda: None)
            self.rt.state.durable = self.tables
            await self.tables.start()
        except _STORE_ERRORS as exc:
            await self.redis.aclose()
            raise SharedStateError(f"cannot reach the shared state store {self.shown_url}: {exc}") from None
        self.connected = True
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(job()) for job in (self._listen, self._beat, self._flush_loop)]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        with contextlib.suppress(*_STORE_ERRORS):
            await asyncio.wait_for(self.flush(), 2.0)
            await self.redis.zrem(keys.REPLICAS, self.replica_id)
        await self.redis.aclose()

    def status(self) -> dict[str, Any]:
        """`GET /shared-state`: how this replica stands with the store."""
        return {
            "url": self.shown_url,
            "replicaId": self.replica_id,
            "connected": self.connected,
            "version": self.applied,
            "droppedLogEntries": self.journal.dropped,
            "droppedCalls": self.dropped_calls,
            "lateAcks": self.late_acks,
        }

    # -- admin hooks (Runtime.cluster) -------------------------------------------------------------------

    async def before_admin(self, method: str, path: str) -> None:
        if path in LOCAL_PATHS:
            return
        write = method not in ("GET", "HEAD")
        if write:
            await self._write_lock.acquire()
            _WRITING.set(True)
        try:
            if write:
                async with self._sync_lock:
                    if await self._behind():
                        await self._adopt()
                await self._ack_deferred()
            elif await self._behind():
                # A read adopts only between writes: an adopt between a write's handler and its publish
                # would replace the write's change, and the publish would then announce a state without it.
                async with self._write_lock, self._sync_lock:
                    if await self._behind():
                        await self._adopt()
                self._settle()
            await self._barrier()
            await self._snapshot()
            await self.tables.admin_begin(write=write)  # a write holds the tables lock until after_admin
        except BaseException as exc:
            if write:
                _WRITING.set(False)
                self._write_lock.release()
                self._settle()
            if isinstance(exc, _STORE_ERRORS):
                raise self._unavailable(exc) from None
            if isinstance(exc, StoreUnavailable):  # the tables lock could not be had in time
                raise AdminError(503, "shared_state_unavailable", str(exc)) from None
            raise

    async def after_admin(self) -> None:
        if not _WRITING.get():
            return  # a read, or a local path: nothing to publish
        _WRITING.set(False)
        try:
            ops, self.journal.ops = self.journal.ops, []
            try:
                await self.tables.admin_end()  # table changes (a reset...) first, then the locks go
                for op in ops:
                    if op[0] == "clear":
                        await self._clear_script(keys=[keys.LOG, keys.COUNTS, keys.LAST, keys.SINCE])
                    else:
                        restart_keys = [keys.SEQ, keys.COUNTS, keys.LAST, keys.SINCE, keys.LOG]
                        await self._restart_script(keys=restart_keys, args=[op[1], "1" if op[2] else "0"])
                if (self.rt.store.commits, state.chaos_of(self.rt)) != self._published:
                    await self._publish()
            except _STORE_ERRORS as exc:
                self.stale = True
                raise self._unavailable(exc) from None
            except StoreUnavailable as exc:  # the tables lock was lost: the store's state wins
                self.stale = True
                raise AdminError(503, "shared_state_unavailable", str(exc)) from None
        finally:
            self._write_lock.release()
            self._settle()

    def _settle(self) -> None:
        """Right after the write lock is let go: install and acknowledge the `state` events that arrived
        while it was held. The task waits for the lock like anyone, but a write that gets it first installs
        the newer state itself (`before_admin`) and acknowledges them there."""
        if self._deferred:
            task = asyncio.ensure_future(self._install_deferred())
            self._handlers.add(task)
            task.add_done_callback(self._handlers.discard)

    async def _install_deferred(self) -> None:
        try:
            async with self._write_lock, self._sync_lock:
                if self._deferred and max(self._deferred) > self.applied:
                    await self._adopt()
            await self._ack_deferred()
        except _STORE_ERRORS:
            self.connected = False
        except Exception:
            log.exception("mockd: installing a deferred shared state failed")

    async def _ack_deferred(self) -> None:
        """Acknowledge the deferred `state` events this replica now serves (or has passed)."""
        done = [n for n in self._deferred if n <= self.applied]
        if done:
            self._deferred = [n for n in self._deferred if n > self.applied]
            for number in done:
                await self._ack(keys.ack("state", number))

    def _message(self, exc: BaseException) -> str:
        """The 503 message of a call the store failed (the client's detail goes to the log, not the reply:
        it varies by platform and client version, and a test suite compares the reply)."""
        self.connected = False
        log.warning("mockd: a call failed on the shared state store %s: %s", self.shown_url, exc)
        return (
            f"the shared state store {self.shown_url} is unreachable; admin and stateful calls are refused "
            "until it is back"
        )

    def _unavailable(self, exc: BaseException) -> AdminError:
        return AdminError(503, "shared_state_unavailable", self._message(exc))

    # -- mocks and chaos ---------------------------------------------------------------------------------

    async def _behind(self) -> bool:
        """Whether the store holds a state this replica does not serve (call with `_sync_lock` held)."""
        version, epoch = await self.redis.mget(keys.VERSION, keys.EPOCH)
        return self.stale or int(version or 0) != self.applied or epoch != self.epoch

    async def _seed(self) -> bool:
        """Seed an empty store with what this replica serves; False if it was not empty."""
        epoch = uuid.uuid4().hex
        seed_keys = [keys.VERSION, keys.STATE, keys.EPOCH]
        if not await self._seed_script(keys=seed_keys, args=[state.encode(self.rt), epoch]):
            return False
        self.applied = 1
        self.epoch = epoch.encode()
        self._mine.add(1)
        self._mark_published()
        self.stale = False
        return True

    async def _seed_or_adopt(self) -> None:
        async with self._sync_lock:
            if not await self._seed():
                await self._adopt()

    async def _adopt(self) -> None:
        """Install the store's state (call with `_sync_lock` held)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.get(keys.STATE)
            pipe.get(keys.VERSION)
            pipe.get(keys.EPOCH)
            raw, version, epoch = await pipe.execute()
        # None: the store lost its data (restarted without persistence): seed it again with what we serve.
        if raw is None and await self._seed():
            return
        if raw is None:  # another replica seeded it in between
            await self._adopt()
            return
        await state.install(self.rt, state.decode(raw))
        self.applied = int(version)
        self.epoch = epoch
        self._mark_published()
        self.stale = False

    def _mark_published(self) -> None:
        self._published = (self.rt.store.commits, state.chaos_of(self.rt))

    async def _publish(self) -> None:
        async with self._sync_lock:
            doc = state.encode(self.rt)
            version = int(
                await self._publish_script(
                    keys=[keys.VERSION, keys.STATE], args=[self.applied, doc, keys.EVENTS]
                )
            )
            if version < 0:  # another replica wrote first: the store's state wins
                await self._adopt()
                raise AdminError(
                    409,
                    "shared_state_conflict",
                    "another replica changed the mocks during this call; this change was not applied, "
                    "retry it",
                )
            self.applied = version
            self._mine.add(version)
            if len(self._mine) > 1000:  # only recent versions can still be announced
                self._mine = {v for v in self._mine if v > version - 1000}
            self._mark_published()
        await self._wait_acks(keys.ack("state", version))

    # -- the request log -----------------------------------------------------------------------------------

    async def flush(self) -> None:
        """Ship everything buffered so far. A failed shipment is dropped and counted, then re-raised."""
        async with self._ship_lock:
            journal = self.journal
            while True:
                args, entries, calls = journal.take(BATCH)
                if not entries and args[0] == "0":
                    return
                try:
                    await self._ship_script(
                        keys=[keys.SEQ, keys.LOG, keys.COUNTS, keys.LAST], args=[journal.max_kept, *args]
                    )
                except _STORE_ERRORS:
                    journal.dropped += entries
                    self.dropped_calls += calls
                    raise
                if entries < BATCH:
                    return

    async def _barrier(self) -> None:
        token = int(await self.redis.incr(keys.BARRIER))
        await self.flush()
        await self.redis.publish(keys.EVENTS, f"flush {token}")
        await self._wait_acks(keys.ack("flush", token))

    async def _snapshot(self) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xrevrange(keys.LOG, "+", "-", count=self.journal.max_kept)
            for name in (keys.COUNTS, keys.LAST, keys.SINCE):
                pipe.hgetall(name)
            pipe.get(keys.SEQ)
            rows, counts, last, since, seq = await pipe.execute()
        self.journal.load_snapshot(rows, counts, last, since, int(seq or 0))

    # -- replicas ------------------------------------------------------------------------------------------

    async def _live_others(self) -> int:
        now_ms = int(time.time() * 1000)
        live: list[bytes] = await self.redis.zrangebyscore(keys.REPLICAS, now_ms, "+inf")  # type: ignore[assignment]
        return sum(1 for r in live if r != self.replica_id.encode())

    async def _wait_acks(self, key: str) -> None:
        """Wait until every other live replica pushed its id to `key`, or `ACK_TIMEOUT`."""
        wanted = await self._live_others()
        mine = self.replica_id.encode()
        deadline = time.monotonic() + ACK_TIMEOUT
        got: set[bytes] = set()
        while len(got) < wanted:
            left = deadline - time.monotonic()
            if left <= 0:
                self.late_acks += 1
                log.warning("mockd: %d replica(s) did not answer %s within %.0f s", wanted - len(got), key,
                            ACK_TIMEOUT)  # fmt: skip
                return
            popped = await self.redis.blpop([key], timeout=max(0.01, left))
            # This replica's own listener gets the event too, and may ack it: only other replicas count.
            if popped is not None and popped[1] != mine:
                got.add(bytes(popped[1]))  # type: ignore[arg-type]  # redis-py types replies loosely

    async def _heartbeat(self) -> None:
        now_ms = int(time.time() * 1000)
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zadd(keys.REPLICAS, {self.replica_id: now_ms + int(HEARTBEAT_TTL * 1000)})
            pipe.zremrangebyscore(keys.REPLICAS, "-inf", now_ms)
            await pipe.execute()

    async def _ack(self, key: str) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.rpush(key, self.replica_id)
            pipe.expire(key, 60)
            await pipe.execute()

    async def _on_event(self, kind: str, number: int) -> None:
        try:
            if kind == "flush":
                await self.flush()
                await self._ack(keys.ack("flush", number))
            elif kind == "state" and number not in self._mine:
                if number > self.applied:
                    # Never between an admin write's handler and its publish: the adopt would replace the
                    # write's local change, and the publish would then announce the state without it. Nor
                    # behind the admin writes queued for the lock: the replica that published waits for this
                    # ack, and each of them waits for that replica's acks in turn (seconds under load).
                    if self._write_lock.locked():
                        self._deferred.append(number)
                        return
                    async with self._write_lock, self._sync_lock:
                        if number > self.applied:
                            await self._adopt()
                    self._settle()
                await self._ack(keys.ack("state", number))
        except _STORE_ERRORS:
            self.connected = False
        except Exception:
            log.exception("mockd: shared state event %s %d failed", kind, number)

    # -- background tasks ----------------------------------------------------------------------------------

    async def _listen(self) -> None:
        """Follow the event channel; on a lost connection, retry until the store is back, then resync."""
        resync = False
        while True:
            pubsub = self.redis.pubsub()
            try:
                await pubsub.subscribe(keys.EVENTS)
                if resync:
                    await self._heartbeat()
                    async with self._write_lock, self._sync_lock:
                        if await self._behind():
                            await self._adopt()
                    self._settle()
                    await self.tables.resync()
                    log.warning("mockd: the shared state store %s is reachable again", self.shown_url)
                    resync = False
                self.connected = True
                while True:
                    msg = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                    if msg is None or msg["type"] != "message":
                        continue
                    kind, _, number = msg["data"].decode().partition(" ")
                    task = asyncio.ensure_future(self._on_event(kind, int(number)))
                    self._handlers.add(task)
                    task.add_done_callback(self._handlers.discard)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not resync:
                    log.warning("mockd: lost the shared state store %s: %s", self.shown_url, exc)
                self.connected = False
                resync = True
                await asyncio.sleep(RETRY_INTERVAL)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_INTERVAL)
            with contextlib.suppress(*_STORE_ERRORS):
                await self._heartbeat()

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_INTERVAL)
            with contextlib.suppress(*_STORE_ERRORS):
                await self.flush()
