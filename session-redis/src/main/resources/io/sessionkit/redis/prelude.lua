-- prelude.lua: helpers prepended to every SessionKit script (one EVALSHA each; never run alone).
--
-- Session hash fields (system fields are one character; attribute fields are '.' .. name, so an
-- attribute name can never collide with a system field):
--   c createdAt ms   a lastAccessedAt ms   u userId   k userDigest (names the user's index)
--   n authenticatedAt ms   o timeouts override "idleMs,absMs" (empty part = none)
--   z bytes of attribute names and values   d deviceType   l deviceLabel   g userAgent   p address
-- Tombstone value: reason char ':' keep-until ms. Watermark value: stamp ':' keep-until ms, where a
-- stamp is an instant as 12-digit epoch seconds '.' 9-digit nanoseconds, so that comparing stamps as
-- strings compares the instants exactly (Lua numbers cannot hold epoch nanoseconds).
-- Times are milliseconds of the application's injected Clock, passed as ARGV; key TTLs (PEXPIRE,
-- relative to that clock) are defence in depth: every script judges expiry from ARGV's `now`.

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

-- Adds or rescores a member of a user's index and keeps the index alive as long as its longest-lived member.
local function indexAdd(idx, handle, exp, now)
  redis.call('ZADD', idx, fmt(exp), handle)
  local want = exp - now
  if want < 1 then want = 1 end
  local pt = redis.call('PTTL', idx)
  if pt < want then redis.call('PEXPIRE', idx, fmt(want)) end
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


-- Cluster-wide counts (RedisOptions.Counting.EXACT). The caller then passes, as the last two KEYS,
-- this slot's <base>n (every live session's handle, scored by its expiry) and <base>m (every
-- signed-in user's digest, scored by the expiry of the user's last session); the store sums
-- ZCOUNT (now +inf over every slot. Without those keys (the default) the helpers do nothing. A session
-- that expires needs no call: its score is its expiry, so it stops counting by itself; members past
-- their score are pruned whenever the set is written.
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

-- A user's index changed: the user counts until its highest score, the expiry of the last session.
local function countUser(digest, now)
  if not digest or digest == '' or not counting() then return end
  local m = KEYS[#KEYS]
  redis.call('ZREMRANGEBYSCORE', m, '-inf', fmt(now))
  local top = redis.call('ZRANGE', ARGV[4] .. 'u:' .. digest, -1, -1, 'WITHSCORES')
  if top[2] and tonumber(top[2]) > now then
    redis.call('ZADD', m, top[2], digest)
  else
    redis.call('ZREM', m, digest)
  end
end
