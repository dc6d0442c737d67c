"""Key names and the Lua scripts that change several keys in one step (Redis runs a script atomically)."""

from __future__ import annotations

from redis.exceptions import RedisError

# What a failed store call raises: the client's errors, and the OS's for a refused or reset connection.
STORE_ERRORS = (RedisError, OSError)

PREFIX = "mockd:"
STATE = PREFIX + "state"  # JSON: the mock set and chaos settings (state.py)
VERSION = PREFIX + "version"  # bumped with every STATE write; a replica applies the newest it sees
# A random id written when the store is seeded: versions restart at 1 when a store that lost its data is
# seeded again, so (epoch, version) is what tells a replica it is up to date.
EPOCH = PREFIX + "epoch"
EVENTS = PREFIX + "events"  # pub/sub channel: "state <version>", "flush <token>"
REPLICAS = PREFIX + "replicas"  # sorted set: replica id -> heartbeat expiry (ms since the epoch)
BARRIER = PREFIX + "barrier"  # flush-barrier token counter
LOG = PREFIX + "log"  # stream: every replica's request-log entries, oldest first
SEQ = PREFIX + "seq"  # the log's sequence numbers (request ids are req-<base36 seq>, as in one process)
COUNTS = PREFIX + "counts"  # hash: mock id -> calls (exact: counter deltas, not log entries)
LAST = PREFIX + "last"  # hash: mock id -> newest call (epoch seconds)
SINCE = PREFIX + "since"  # hash: mock id -> log seq when counting (re)started (journal.Counter.since)
TABLES = PREFIX + "tables"  # hash: table key -> version token (a new random one with every write)
ID_COUNTERS = PREFIX + "idcounters"  # hash: table key -> its `sequence` id counter
TICK = PREFIX + "tick"  # the newest item clock tick written (items are ordered by ticks)
TABLE_LOCK = PREFIX + "tables:lock"  # held by the one replica writing table items


def items(table: str) -> str:
    """The hash of one table's items: item key -> JSON (tables.py)."""
    return f"{PREFIX}items:{table}"


def ack(kind: str, number: int) -> str:
    """The list every replica pushes its id to once it has done what event `number` asked."""
    return f"{PREFIX}ack:{kind}:{number}"


# Ship one flush: counter deltas and log entries, sequence numbers allocated here so they are unique and in
# append order across replicas. KEYS: SEQ, LOG, COUNTS, LAST. ARGV: maxlen, n counters, then n (id, delta,
# last) triples, then (mock id, JSON entry) per log row.
SHIP = """
local maxlen = ARGV[1]
local n = tonumber(ARGV[2])
local i = 3
for _ = 1, n do
  local id, delta, last = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  redis.call('HINCRBY', KEYS[3], id, delta)
  local old = redis.call('HGET', KEYS[4], id)
  if not old or tonumber(old) < tonumber(last) then redis.call('HSET', KEYS[4], id, last) end
  i = i + 3
end
local entries = (#ARGV - i + 1) / 2
if entries == 0 then return redis.call('GET', KEYS[1]) end
local seq = redis.call('INCRBY', KEYS[1], entries) - entries
while i <= #ARGV do
  seq = seq + 1
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', maxlen, '*', 's', seq, 'm', ARGV[i], 'e', ARGV[i + 1])
  i = i + 2
end
return seq
"""

# Write the state if nobody changed it since `base` (optimistic concurrency), bump the version, announce
# it. KEYS: VERSION, STATE. ARGV: base version, state JSON, channel. Returns the new version, or -1.
PUBLISH_STATE = """
local current = redis.call('GET', KEYS[1]) or '0'
if current ~= ARGV[1] then return -1 end
redis.call('SET', KEYS[2], ARGV[2])
local v = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[3], 'state ' .. v)
return v
"""

# Seed the store with a replica's config if it holds nothing yet. KEYS: VERSION, STATE, EPOCH. ARGV: state
# JSON, a new epoch. Returns 1 when this replica seeded, 0 when the store already had a state (adopt it).
SEED = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[1], 1)
redis.call('SET', KEYS[3], ARGV[2])
return 1
"""

# Restart one mock's count: a deleted mock (its older entries stay in the log but no longer belong to it),
# or DELETE /mocks/{id}/invocations (ARGV[2] = '1': its entries leave the log too). KEYS: SEQ, COUNTS, LAST,
# SINCE, LOG. ARGV: mock id, drop flag. Returns the entries removed.
RESTART_COUNT = """
local removed = 0
if ARGV[2] == '1' then
  for _, item in ipairs(redis.call('XRANGE', KEYS[5], '-', '+')) do
    local fields = item[2]
    for j = 1, #fields, 2 do
      if fields[j] == 'm' and fields[j + 1] == ARGV[1] then
        redis.call('XDEL', KEYS[5], item[1])
        removed = removed + 1
      end
    end
  end
end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], redis.call('GET', KEYS[1]) or '0')
return removed
"""

# Clear the log and every count (DELETE /verify, DELETE /requests). KEYS: LOG, COUNTS, LAST, SINCE.
CLEAR = """
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return 1
"""
