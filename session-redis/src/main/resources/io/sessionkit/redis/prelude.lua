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

