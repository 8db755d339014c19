-- update.lua: apply attribute changes, timeouts or metadata to a live session; never recreates it.
-- KEYS[1] session hash, KEYS[2] (only when ARGV[7] changes the timeouts of a user's session) the
-- user's index; with counting, the last two KEYS are the slot's count sets (prelude)
-- ARGV[1..4] now, default idle, default absolute, key base; ARGV[5] handle; ARGV[6] max bytes;
-- ARGV[7] new timeouts override "idleMs,absMs" or '' for unchanged; ARGV[8] 'M' to replace the
-- metadata with ARGV[9..12] (deviceType, label, userAgent, address; '' = none) or '';
-- ARGV[13] number S of attributes set; ARGV[14 .. 13+2S] field, encoded value pairs;
-- then ARGV[14+2S] the clock skew ms; the rest: fields to remove. Fields are '.' .. attribute name.
-- Returns {0} not live | {2, reason, userId} found expired and deleted now | {-4, size} too large,
-- nothing written | {-3, userDigest} new timeouts of a user's session: call again with its index
-- as KEYS[2] (nothing written) | {1} applied.
-- Atomic: the liveness check, the size check and every write are one step, so an update racing a
-- logout or an expiry writes nothing, and concurrent updates of different attributes all land.
local now = tonumber(ARGV[1])
local s = tonumber(ARGV[13])
local first = 14
local last = 13 + 2 * s
local skew = tonumber(ARGV[last + 1])
local sys = redis.call('HMGET', KEYS[1], 'c', 'a', 'o', 'k', 'u', 'z')
if not sys[1] then return {0} end
local v, e, idle, abs = verdict(sys[1], sys[2], sys[3], tonumber(ARGV[2]), tonumber(ARGV[3]), now, skew)
if v == 'E' then return {0} end
if v == 'D' then
  redis.call('DEL', KEYS[1])
  return {2, expiryReason(tonumber(sys[1]), tonumber(sys[2]), idle, abs), sys[5] or ''}
end
if ARGV[7] ~= '' and sys[4] and KEYS[2] ~= ARGV[4] .. 'u:' .. sys[4] then return {-3, sys[4]} end
local z0 = tonumber(sys[6]) or 0
local z = z0
for i = first, last, 2 do
  local old = redis.call('HSTRLEN', KEYS[1], ARGV[i])
  if old > 0 then
    z = z - old + #ARGV[i + 1]
  else
    z = z + #ARGV[i] - 1 + #ARGV[i + 1]
  end
end
local removals = {}
for i = last + 2, #ARGV do
  local old = redis.call('HSTRLEN', KEYS[1], ARGV[i])
  if old > 0 then
    z = z - old - (#ARGV[i] - 1)
    table.insert(removals, ARGV[i])
  end
end
if z > tonumber(ARGV[6]) and z > z0 then return {-4, z} end
if s > 0 then
  local kv = {}
  for i = first, last do table.insert(kv, ARGV[i]) end
  hsetFrom(KEYS[1], kv, 1)
end
local i = 1
while i <= #removals do
  local j = math.min(i + 999, #removals)
  redis.call('HDEL', KEYS[1], unpack(removals, i, j))
  i = j + 1
end
if z ~= z0 then
  if z > 0 then redis.call('HSET', KEYS[1], 'z', z) else redis.call('HDEL', KEYS[1], 'z') end
end
if ARGV[8] == 'M' then
  local names = {'d', 'l', 'g', 'p'}
  for j = 1, 4 do
    local v = ARGV[8 + j]
    if v == '' then redis.call('HDEL', KEYS[1], names[j]) else redis.call('HSET', KEYS[1], names[j], v) end
  end
end
if ARGV[7] ~= '' then
  redis.call('HSET', KEYS[1], 'o', ARGV[7])
  local _, ne, _, nabs = verdict(sys[1], sys[2], ARGV[7], -1, -1, now, skew)
  redis.call('PEXPIRE', KEYS[1], ttlPast(ne, now, skew))
  if sys[4] then indexPut(KEYS[2], ARGV[5], ne, deadline(sys[1], nabs), now, skew) end
  countSession(ARGV[5], ne, now)
  if sys[4] then countUser(sys[4], KEYS[2], now) end
end
return {1}
