"""Stateful tables shared through the store (`--shared-state`): every replica serves the same items.

Each replica keeps its tables in memory, as one process does, and runs the unchanged table code on them;
this module keeps the memory in step with the store around every stateful request and admin call:

- **Reads** (GET, HEAD): one round trip reads every table's version (`keys.TABLES`); a table another
  replica changed since this replica last saw it is read back whole, then the request is handled.
- **Writes** (any other method, admin writes): the replica takes the group's table lock (`SET NX PX`, one
  holder in the whole group; the lock script also returns the versions), catches up as a read does, handles
  the request, then writes the items it changed, the tables' new versions and id counters, and releases the
  lock, all in one MULTI/EXEC. So writes are serialised across replicas: ids are unique (a `sequence` id
  counter travels with the table), a read after a write sees it from any replica, and a reset (a whole table
  rewritten in one MULTI/EXEC) is one step for every reader.
- Item order: items are ordered by clock ticks (`resource._ticks`). The store keeps the newest tick used,
  and a replica holding the lock moves its own clock past it, so ticks, and the order of creation and
  update, agree across replicas.

Writes are group-committed: the writes that arrive while one group holds the lock form the next group,
which takes the lock once, runs them in arrival order and writes their changes in one script, so under load
a replica pays the two round trips per group, not per request. A local asyncio lock serialises this
replica's groups, reads and admin calls, so a read's catch-up never replaces items a write of the same
replica has changed but not yet written. What this costs (a store round trip or
two per stateful request, a whole-table read after another replica's write) is in docs/shared-state.md.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from mockd.runtime.shared import keys
from mockd.runtime.state import resource as resource_module
from mockd.runtime.state.resource import Item
from mockd.runtime.state.tables import StoreUnavailable

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from mockd.runtime.state import StateStore

T = TypeVar("T")

LOCK_TTL_MS = 10_000  # a replica that dies holding the lock holds it at most this long
LOCK_WAIT = 10.0  # seconds a request waits for the lock before it answers 503

# Take the table lock; return the tables' versions and the newest tick, or nil when someone else holds it.
# KEYS: TABLE_LOCK, TABLES, TICK. ARGV: token, ttl ms.
_LOCK = """
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return {redis.call('HGETALL', KEYS[2]), redis.call('GET', KEYS[3]) or '0'}
"""
# Write a request's table changes if this replica still holds the lock, then (ARGV[3] = '1') release it.
# KEYS: TABLE_LOCK, TABLES, ID_COUNTERS, TICK. ARGV: token, tick, release flag, then per table: table key,
# items hash, whole ('1': replace the hash), version token, id counter, n, and n (item key, JSON or '' to
# delete). The items hashes are passed as arguments: a single Redis or Valkey, not a cluster.
_WRITE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local i = 4
while i <= #ARGV do
  local table, hash, whole, version, counter, n = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4],
    tonumber(ARGV[i + 5])
  i = i + 6
  if whole == '1' then redis.call('DEL', hash) end
  for _ = 1, n do
    if ARGV[i + 1] == '' then redis.call('HDEL', hash, ARGV[i])
    else redis.call('HSET', hash, ARGV[i], ARGV[i + 1]) end
    i = i + 2
  end
  redis.call('HSET', KEYS[2], table, version)
  redis.call('HSET', KEYS[3], table, counter)
end
redis.call('SET', KEYS[4], ARGV[2])
if ARGV[3] == '1' then redis.call('DEL', KEYS[1]) end
return 1
"""
# Release the lock if this replica still holds it. KEYS: TABLE_LOCK. ARGV: token.
_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _item_json(it: Item) -> bytes:
    return orjson.dumps([it.id, it.key, it.data, it.created, it.updated, it.seq, it.useq,
                         it.view if it.seeded else None])  # fmt: skip


def _item(raw: bytes) -> Item:
    id_value, key, data, created, updated, seq, useq, view = orjson.loads(raw)
    return Item(id_value, key, data, created, updated, seq, useq, view)


class SharedTables:
    """The state store's `durable` with `--shared-state` (see the module docstring)."""

    def __init__(self, redis: Redis, state: StateStore, unavailable: Callable[[BaseException], str]) -> None:
        self.redis = redis
        self.state = state
        self._message = unavailable  # the 503 message naming the store
        self.changes = 0  # Durable: bumped by every item change
        self.versions: dict[str, bytes] = {}  # table key -> the store's version token for the items held
        self.dirty: dict[str, set[str] | None] = {}  # table key -> changed item keys (None: the whole table)
        self._local = asyncio.Lock()
        self._lock_script = redis.register_script(_LOCK)
        self._unlock_script = redis.register_script(_UNLOCK)
        self._write_script = redis.register_script(_WRITE)
        self._token = ""  # the lock's token while this replica holds it, else ""
        # Stateful writes waiting for the next group commit (`_commit_all`), and whether one is running.
        self._queue: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = []
        self._committing = False
        self._committer: asyncio.Future[None] | None = None

    # -- Durable ---------------------------------------------------------------------------------------

    async def flush(self) -> None:
        """Nothing to do: `guard` writes the changes before the reply."""

    def touched(self, table: str, item: str | None, created: bool) -> None:
        """`Resource.on_change`: remember what to write."""
        self.changes += 1
        if item is None:
            self.dirty[table] = None
        else:
            keys_changed = self.dirty.setdefault(table, set())
            if keys_changed is not None:
                keys_changed.add(item)

    async def guard(self, handle: Callable[[], T], *, write: bool) -> T:
        """Run `handle` (synchronous table code) on items in step with the store; see the module docstring.
        Raises `StoreUnavailable` when the store cannot be reached."""
        if write:
            future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            self._queue.append((handle, future))
            if not self._committing:
                # Its own task: a writer whose client went away (its task cancelled) must not stop the
                # commit the others wait for.
                self._committing = True
                self._committer = asyncio.ensure_future(self._commit_all())
            return await future
        async with self._local:
            try:
                async with self.redis.pipeline(transaction=False) as pipe:
                    pipe.hgetall(keys.TABLES)
                    pipe.get(keys.TICK)
                    versions, tick = await pipe.execute()
                await self._catch_up(versions, int(tick or 0))
            except keys.STORE_ERRORS as exc:
                raise StoreUnavailable(self._message(exc)) from None
            return handle()

    async def _commit_all(self) -> None:
        """Group commit: take the lock once for every write queued, run them in arrival order, write their
        changes in one script, then answer them. Writes arriving meanwhile form the next group, so under
        load a replica pays two round trips per group, not per request."""
        try:
            while self._queue:
                await self._commit_group()
        finally:
            self._committing = False

    async def _commit_group(self) -> None:
        async with self._local:
            group, self._queue = self._queue, []
            outcomes: list[tuple[asyncio.Future[Any], Any, BaseException | None]] = []
            try:
                await self.acquire()
                try:
                    for handle, future in group:
                        try:
                            outcomes.append((future, handle(), None))
                        except Exception as exc:  # the request's own failure (answered as it would be)
                            outcomes.append((future, None, exc))
                    await self.write_back(release=True)
                finally:
                    await self.release()  # only if write_back did not (it raised)
            except Exception as exc:  # the store failed (or a bug): nobody in the group may wait for ever
                self.versions.clear()  # unsaved changes in memory: re-read every table next time
                problem = exc
                if isinstance(exc, keys.STORE_ERRORS):
                    problem = StoreUnavailable(self._message(exc))
                for _, future in group:
                    if not future.done():
                        future.set_exception(problem)
                return
        for future, result, error in outcomes:
            if future.done():  # its request was cancelled (the client went away)
                continue
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)

    # -- the lock, for guard and for admin writes ------------------------------------------------------

    async def acquire(self) -> None:
        """Take the group's table lock and catch up with the store."""
        token = uuid.uuid4().hex
        deadline = time.monotonic() + LOCK_WAIT
        pause = 0.0005
        while True:
            got = await self._lock_script(
                keys=[keys.TABLE_LOCK, keys.TABLES, keys.TICK], args=[token, LOCK_TTL_MS]
            )
            if got:
                break
            if time.monotonic() > deadline:
                raise StoreUnavailable(
                    "timed out waiting for the shared tables lock (another replica holds it)"
                )
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.01)
        self._token = token
        flat, tick = got
        versions = dict(zip(flat[::2], flat[1::2], strict=True))
        await self._catch_up(versions, int(tick))

    async def release(self) -> None:
        token, self._token = self._token, ""
        if token:
            await self._unlock_script(keys=[keys.TABLE_LOCK], args=[token])

    async def write_back(self, *, release: bool = False) -> None:
        """Write what changed since the last write (call holding the lock) in one script, which first checks
        that this replica still holds the lock (so one whose lock expired never overwrites another's
        writes) and, with `release`, releases it: a write request costs two round trips, lock and write."""
        dirty, self.dirty = self.dirty, {}
        tables = self.state.tables
        written = [(key, changed) for key, changed in dirty.items() if key in tables]
        if not written and not release:
            return
        tick = next(resource_module._ticks)
        tokens = {key: uuid.uuid4().hex.encode() for key, _ in written}
        args: list[bytes | str | int] = [self._token, tick, "1" if release else "0"]
        for key, changed in written:
            resource = tables[key]
            if changed is None:
                pairs = [(k, _item_json(it)) for k, it in resource.items.items()]
            else:
                pairs = [
                    (k, _item_json(it) if (it := resource.items.get(k)) is not None else b"") for k in changed
                ]
            args += (key, keys.items(key), "1" if changed is None else "0", tokens[key], resource.ids.counter,
                     len(pairs))  # fmt: skip
            for pair in pairs:
                args += pair
        done = await self._write_script(
            keys=[keys.TABLE_LOCK, keys.TABLES, keys.ID_COUNTERS, keys.TICK], args=args
        )
        if not done:
            self.versions.clear()  # what this replica holds is no longer what the store holds: re-read all
            self._token = ""
            raise StoreUnavailable(
                f"lost the shared tables lock (held longer than {LOCK_TTL_MS // 1000} s); the change was not "
                "saved"
            )
        if release:
            self._token = ""
        self.versions.update(tokens)

    # -- admin calls -----------------------------------------------------------------------------------

    async def admin_begin(self, *, write: bool) -> None:
        """Before an admin call: catch up; a write also takes both locks until `admin_end`."""
        await self._local.acquire()
        try:
            if write:
                await self.acquire()
                return
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.hgetall(keys.TABLES)
                pipe.get(keys.TICK)
                versions, tick = await pipe.execute()
            await self._catch_up(versions, int(tick or 0))
        except BaseException:
            self._local.release()
            raise
        self._local.release()

    async def admin_end(self) -> None:
        """After an admin write: write its table changes (a reset, a clear...) and release both locks."""
        try:
            await self.write_back(release=True)
        finally:
            try:
                await self.release()  # only if write_back did not (it raised)
            finally:
                self._local.release()

    async def _catch_up(self, versions: dict[bytes, bytes], tick: int) -> None:
        """Read back each table another replica changed; move the local clock past the store's."""
        tables = self.state.tables
        stale = [
            name
            for k, v in versions.items()
            if (name := k.decode()) in tables and self.versions.get(name) != v
        ]
        for name in tables:
            if name.encode() not in versions:
                # The store does not hold this table (it lost its data, or the table is new): the next
                # write stores it whole, from what this replica serves.
                self.versions.pop(name, None)
                if self._token:
                    self.dirty[name] = None
        if stale:
            async with self.redis.pipeline(transaction=True) as pipe:
                for key in stale:
                    pipe.hget(keys.TABLES, key)
                    pipe.hgetall(keys.items(key))
                    pipe.hget(keys.ID_COUNTERS, key)
                replies = await pipe.execute()
            for i, key in enumerate(stale):
                version, raw_items, counter = replies[3 * i : 3 * i + 3]
                items = sorted((_item(raw) for raw in raw_items.values()), key=lambda it: it.seq)
                resource = tables[key]
                resource.items = {it.key: it for it in items}
                resource.ids.counter = int(counter or 0)
                self.versions[key] = version
                self.dirty.pop(key, None)
        mine = next(resource_module._ticks)  # one tick spent: harmless, ticks only order items
        resource_module._ticks = itertools.count(max(mine, tick) + 1)

    async def start(self) -> None:
        """At start-up, and when the store is back after an outage: store the tables it does not hold (from
        this replica's items), adopt the items of those it does."""
        async with self._local:
            await self.acquire()  # its catch-up marks the tables the store lacks
            try:
                await self.write_back(release=True)
            finally:
                await self.release()

    resync = start
