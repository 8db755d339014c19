-- login.lua: log a user in, in the user's slot: prune the user's index, enforce the login policy
-- (evict the least recently active sessions or refuse), create the session under its new id,
-- index it, and retire the current session if it lives in this slot.
-- KEYS[1] new session hash, KEYS[2] new id's tombstone, KEYS[3] the user's index,
-- KEYS[4] the current session's hash when it lives in this slot (ARGV[20] = 'L'); with counting,
-- the last two KEYS are the slot's count sets (prelude)
-- ARGV[1..4] now, default idle, default absolute, key base of the user's slot; ARGV[5] new handle;
-- ARGV[6] userId; ARGV[7] userDigest; ARGV[8] max sessions per user (0 = unlimited);
-- ARGV[9] max per device type (0 = unlimited); ARGV[10] 'E' evict oldest | 'R' reject new;
-- ARGV[11] tombstone TTL ms; ARGV[12] timeouts override "idleMs,absMs" or ''; ARGV[13] '1' to keep
-- attributes; ARGV[14] '1' if ARGV[15..18] (deviceType, label, userAgent, address; '' = none) are
-- the new metadata, '0' to keep the current session's; ARGV[19] current handle or '';
-- ARGV[20] 'L' current session in KEYS[4] | 'C' current session carried as a flat hash in
-- ARGV[21..] (taken by take.lua) | 'N' none
-- Returns {-1} the new id collides (draw another; nothing changed) | {-2, limit, 1 if per device
-- type else 0} refused, nothing changed | {1, new flat hash, 1 if a current session was retired,
-- evicted handle, evicted flat hash, ...}.
-- Atomic: the count, the evictions and the creation are one step on one slot, so logins racing on
-- different servers can never leave more sessions than the limit.
local now = tonumber(ARGV[1])
local idleDef, absDef = tonumber(ARGV[2]), tonumber(ARGV[3])
local base = ARGV[4]
if redis.call('EXISTS', KEYS[1], KEYS[2]) > 0 then return {-1} end

local old = nil
if ARGV[20] == 'L' then
  local h = redis.call('HGETALL', KEYS[4])
  if #h > 0 then
    local m = toMap(h)
    local expired = judge(m['c'], m['a'], m['o'], idleDef, absDef, now)
    if expired then
      redis.call('DEL', KEYS[4])
      if m['k'] then redis.call('ZREM', base .. 'u:' .. m['k'], ARGV[19]) end
    else
      old = m
    end
  end
elseif ARGV[20] == 'C' then
  old = {}
  for i = 21, #ARGV, 2 do old[ARGV[i]] = ARGV[i + 1] end
end

local md = {}
local mdNames = {'d', 'l', 'g', 'p'}
if ARGV[14] == '1' then
  for j = 1, 4 do
    if ARGV[14 + j] ~= '' then md[mdNames[j]] = ARGV[14 + j] end
  end
elseif old then
  for j = 1, 4 do md[mdNames[j]] = old[mdNames[j]] end
end
local device = md['d']

local idx = KEYS[3]
redis.call('ZREMRANGEBYSCORE', idx, '-inf', ARGV[1])
local members = redis.call('ZRANGE', idx, 0, -1)
local live = {}
for _, hm in ipairs(members) do
  if not (ARGV[20] == 'L' and hm == ARGV[19]) then
    local key = base .. 's:' .. hm
    local f = redis.call('HMGET', key, 'c', 'a', 'o', 'd')
    if not f[1] then
      redis.call('ZREM', idx, hm)
    elseif judge(f[1], f[2], f[3], idleDef, absDef, now) then
      redis.call('DEL', key)
      redis.call('ZREM', idx, hm)
    else
      table.insert(live, {h = hm, c = tonumber(f[1]), a = tonumber(f[2]), d = f[4]})
    end
  end
end
table.sort(live, function(x, y)
  if x.a ~= y.a then return x.a < y.a end
  if x.c ~= y.c then return x.c < y.c end
  return x.h < y.h
end)

local evict = {}
local order = {}
local maxU, maxD = tonumber(ARGV[8]), tonumber(ARGV[9])
if maxD > 0 and device then
  local same = {}
  for _, s in ipairs(live) do
    if s.d == device then table.insert(same, s) end
  end
  local excess = #same + 1 - maxD
  if excess > 0 then
    if ARGV[10] == 'R' then return {-2, maxD, 1} end
    for i = 1, excess do
      evict[same[i].h] = true
      table.insert(order, same[i].h)
    end
  end
end
if maxU > 0 then
  local remaining = {}
  for _, s in ipairs(live) do
    if not evict[s.h] then table.insert(remaining, s) end
  end
  local excess = #remaining + 1 - maxU
  if excess > 0 then
    if ARGV[10] == 'R' then return {-2, maxU, 0} end
    for i = 1, excess do
      evict[remaining[i].h] = true
      table.insert(order, remaining[i].h)
    end
  end
end

local out = {1, {}, 0}
local tombTtl = tonumber(ARGV[11])
for _, hm in ipairs(order) do
  local key = base .. 's:' .. hm
  local flat = redis.call('HGETALL', key)
  redis.call('DEL', key)
  redis.call('ZREM', idx, hm)
  tombstone(base .. 't:' .. hm, 'P', tombTtl, now)
  countSession(hm, nil, now)
  table.insert(out, hm)
  table.insert(out, flat)
end

local fields = {'c', ARGV[1], 'a', ARGV[1], 'u', ARGV[6], 'k', ARGV[7], 'n', ARGV[1]}
if ARGV[12] ~= '' then
  table.insert(fields, 'o')
  table.insert(fields, ARGV[12])
end
for j = 1, 4 do
  local v = md[mdNames[j]]
  if v then
    table.insert(fields, mdNames[j])
    table.insert(fields, v)
  end
end
if old and ARGV[13] == '1' then
  for name, v in pairs(old) do
    if string.sub(name, 1, 1) == '.' or name == 'z' then
      table.insert(fields, name)
      table.insert(fields, v)
    end
  end
end
hsetFrom(KEYS[1], fields, 1)
local _, e = judge(ARGV[1], ARGV[1], ARGV[12], idleDef, absDef, now)
redis.call('PEXPIRE', KEYS[1], fmt(e - now))
indexAdd(idx, ARGV[5], e, now)
countSession(ARGV[5], e, now)

if ARGV[20] == 'L' and old then
  redis.call('DEL', KEYS[4])
  if old['k'] then redis.call('ZREM', base .. 'u:' .. old['k'], ARGV[19]) end
  countSession(ARGV[19], nil, now)
  if old['k'] ~= ARGV[7] then countUser(old['k'], now) end
  out[3] = 1
elseif ARGV[20] == 'C' then
  out[3] = 1
end
countUser(ARGV[7], now)
out[2] = redis.call('HGETALL', KEYS[1])
return out
