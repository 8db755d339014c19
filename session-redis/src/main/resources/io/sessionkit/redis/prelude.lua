-- prelude.lua: helpers prepended to every SessionKit script (one EVALSHA each; never run alone).
--
-- Session hash fields (the Java side: internal/Fields.java; system fields are one character; attribute fields are '.' .. name, so an
-- attribute name can never collide with a system field):
--   c createdAt ms   a lastAccessedAt ms   u userId   k userDigest (names the user's index)
--   n authenticatedAt ms   o timeouts override "idleMs,absMs" (empty part = none)
--   z bytes of attribute names and values   d deviceType   l deviceLabel   g userAgent   p address
-- Tombstone value: reason char ':' keep-until ms. Watermark value: stamp ':' keep-until ms, where a
-- stamp is an instant as 12-digit epoch seconds '.' 9-digit nanoseconds, so that comparing stamps as
-- strings compares the instants exactly (Lua numbers cannot hold epoch nanoseconds).
-- Times are milliseconds of the application's injected Clock, passed as ARGV; key TTLs (PEXPIRE,
-- relative to that clock) are defence in depth: every script judges expiry from ARGV's `now`.
-- Clock skew (SessionConfig.clockSkew, ms, passed as ARGV): a server refuses a session its own
-- clock says has expired, but deletes it (or its index entry) as expired only once it has expired
-- by more than the skew, and key TTLs run the skew past the expiry, so that a server whose clock
-- runs ahead never removes what is live for the others (see verdict below).
-- A user's index holds every live session of the user, scored by an expiry that is at most the
-- session's own (touches do not rescore it): an entry is removed only after its hash was read
-- (declared in KEYS) and found gone or expired beyond the skew.
-- Return codes mean one thing in every session script: 0 not live (nothing done), 1 done,
-- 2 found expired and deleted now (the caller reports the end once), -1 the new id collides,
-- -2 login refused by the policy, -3 more keys must be declared (listed after the code; nothing
-- was changed), -4 too large. access.lua, which only touches or deletes after the caller's own read,
-- also answers 1 with the reason of a live tombstone and 3 with the lastAccessedAt of a live session.

local function fmt(n)
  return string.format('%.0f', n)
end

local function toMap(flat)
  local m = {}
  for i = 1, #flat, 2 do
    m[flat[i]] = flat[i + 1]
  end
  return m
end

-- The timeouts of a session: its override field, else the policy's (-1 = none).
local function timeouts(o, idleDef, absDef)
  if o and o ~= '' then
    local i, a = string.match(o, '^(%d*),(%d*)$')
    return tonumber(i) or -1, tonumber(a) or -1
  end
  return idleDef, absDef
end

local function expiry(c, a, idle, abs)
  local e = nil
  if idle >= 0 then e = a + idle end
  if abs >= 0 then
    local x = c + abs
    if e == nil or x < e then e = x end
  end
  return e
end

-- Which timeout ended a session: absolute when its deadline is not after the idle one.
local function expiryReason(c, a, idle, abs)
  if abs < 0 then return 'I' end
  if idle < 0 then return 'A' end
  if c + abs > a + idle then return 'I' end
  return 'A'
end

-- HSET from a flat array, in chunks (Lua's unpack has a stack limit).
local function hsetFrom(key, arr, from)
  local i = from
  while i <= #arr do
    local j = math.min(i + 999, #arr)
    redis.call('HSET', key, unpack(arr, i, j))
    i = j + 1
  end
end

local function tombstone(key, reason, ttl, now)
  if ttl > 0 then
    redis.call('SET', key, reason .. ':' .. fmt(now + ttl), 'PX', fmt(ttl))
  end
end

-- A live or ended-by-time verdict on a session's system fields: returns expired, expiresAt, idle, abs.
local function judge(c, a, o, idleDef, absDef, now)
  local idle, abs = timeouts(o, idleDef, absDef)
  local e = expiry(tonumber(c), tonumber(a), idle, abs)
  return now >= e, e, idle, abs
end

-- The expiry verdict under the clock-skew rule, on a session's c, a, o fields: returns
-- 'L' live, 'E' expired by this server's clock but by no more than the skew (refuse it, keep it,
-- count it against limits), or 'D' expired by more than the skew (it may be deleted); then
-- expiresAt, idle, absolute.
local function verdict(c, a, o, idleDef, absDef, now, skew)
  local idle, abs = timeouts(o, idleDef, absDef)
  local e = expiry(tonumber(c), tonumber(a), idle, abs)
  if now < e then return 'L', e, idle, abs end
  if now - skew < e then return 'E', e, idle, abs end
  return 'D', e, idle, abs
end

-- A key TTL that runs the skew past an expiry (never below 1 ms).
local function ttlPast(e, now, skew)
  local t = e - now + skew
  if t < 1 then t = 1 end
  return fmt(t)
end

-- Adds or rescores a member of a user's index, scored by its expiry, and keeps the index alive as
-- long as any member could live: until the absolute deadline plus the skew, or for good when the
-- session has no absolute timeout (touches do not reach the index, so only a fixed deadline bounds it).
local function indexPut(idx, handle, e, deadline, now, skew)
  local pt = redis.call('PTTL', idx)
  redis.call('ZADD', idx, fmt(e), handle)
  if deadline == nil or deadline < 0 then
    redis.call('PERSIST', idx)
    return
  end
  local want = deadline - now + skew
  if want < 1 then want = 1 end
  if pt == -2 or (pt >= 0 and pt < want) then redis.call('PEXPIRE', idx, fmt(want)) end
end

-- The absolute deadline of a session (nil if it has none).
local function deadline(c, abs)
  if abs < 0 then return nil end
  return tonumber(c) + abs
end

-- The stamp of a watermark that is still kept at `now`, or nil.
local function liveStamp(v, now)
  if not v then return nil end
  local w, u = string.match(v, '^([%d.]+):(%d+)$')
  if w and tonumber(u) > now then return w end
  return nil
end

-- Raises a watermark (never lowers it) and keeps it ttl ms; returns the stamp in force.
local function raiseWatermark(key, stamp, ttl, now)
  local cur = liveStamp(redis.call('GET', key), now)
  if cur and cur > stamp then stamp = cur end
  redis.call('SET', key, stamp .. ':' .. fmt(now + ttl), 'PX', fmt(ttl))
  return stamp
end

-- A slot's global watermark copy doubles as its flush-defence epoch, kept without TTL: a missing
-- one means the slot lost its memory. Its value is a stamp (an earlier release wrote
-- 'stamp:keep-until' with a TTL; that form is read too). Returns the stamp, or nil.
local function epochStamp(v)
  if not v then return nil end
  return string.match(v, '^([%d.]+)')
end

-- Makes sure a slot's epoch exists. If it is missing, writes `lostStamp` (every token issued before
-- it is refused) and returns lostStamp, true; else returns its stamp, false. An epoch in the
-- earlier form is rewritten without TTL.
local function ensureEpoch(key, v, lostStamp)
  local s = epochStamp(v)
  if s then
    if s ~= v then redis.call('SET', key, s) end
    return s, false
  end
  redis.call('SET', key, lostStamp)
  return lostStamp, true
end

-- Cluster-wide counts (RedisOptions.Counting.EXACT). The caller then declares, as the last two KEYS,
-- this slot's <base>n (every live session's handle, scored by its expiry) and <base>m (every
-- signed-in user's digest, scored by the expiry of the user's last session); the store sums
-- ZCOUNT (now +inf over every slot. Without those keys (the default) the helpers do nothing. A session
-- that expires needs no call: its score is its expiry, so it stops counting by itself; members past
-- their score are pruned whenever the set is written. <base>n holds exact expiries (touches rescore
-- it), unlike the user's index, so a user's score is recomputed from <base>n, never from the index.
local function counting()
  local b = ARGV[4]
  return #KEYS >= 2 and type(b) == 'string' and KEYS[#KEYS] == b .. 'm'
end

-- A session now expires at exp, or (exp nil) ended before its expiry.
local function countSession(handle, exp, now)
  if not counting() then return end
  local n = KEYS[#KEYS - 1]
  redis.call('ZREMRANGEBYSCORE', n, '-inf', fmt(now))
  if exp then redis.call('ZADD', n, fmt(exp), handle) else redis.call('ZREM', n, handle) end
end

-- One of the user's sessions now lives until exp: the user counts at least that long (needs no
-- index: a later expiry only raises the user's score).
local function countUserUntil(digest, exp, now)
  if not digest or digest == '' or not counting() then return end
  local m = KEYS[#KEYS]
  redis.call('ZREMRANGEBYSCORE', m, '-inf', fmt(now))
  redis.call('ZADD', m, 'GT', fmt(exp), digest)
end

-- Most index entries countUser reads; a larger index (a deleteAllForUser still under way) leaves the
-- user's score as it is, an upper bound that the step which empties the index makes exact.
local COUNT_USER_READS = 256

-- The user's sessions changed (one ended, or a timeout shrank): the user counts until the latest
-- expiry in <base>n of the sessions of its index idx (a declared key), or not at all.
local function countUser(digest, idx, now)
  if not digest or digest == '' or not counting() then return end
  local n, m = KEYS[#KEYS - 1], KEYS[#KEYS]
  redis.call('ZREMRANGEBYSCORE', m, '-inf', fmt(now))
  if redis.call('ZCARD', idx) > COUNT_USER_READS then return end
  local top = nil
  for _, h in ipairs(redis.call('ZRANGE', idx, 0, -1)) do
    local x = tonumber(redis.call('ZSCORE', n, h))
    if x and x > now and (top == nil or x > top) then top = x end
  end
  if top then redis.call('ZADD', m, fmt(top), digest) else redis.call('ZREM', m, digest) end
end
