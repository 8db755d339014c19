-- login.lua: log a user in, in the user's slot: prune the user's index (bounded), enforce the login
-- policy (evict the least recently active sessions or refuse), create the session under its new
-- id, index it, and retire the current session if it lives in this slot.
-- KEYS[1] new session hash, KEYS[2] new id's tombstone, KEYS[3] the user's index,
-- KEYS[4] the current session's hash when it lives in this slot (mode 'L'; else KEYS[4] = KEYS[1]),
-- KEYS[5..] for each handle in p.dh: its session hash, then its tombstone (sessions of the index
-- this call may read, evict or prune, as a previous -3 reply asked for); with counting, the last
-- two KEYS are the slot's count sets (prelude).
-- ARGV[1..5] now, default idle, default absolute, key base of the user's slot, clock skew (ms);
-- ARGV[6] the options as JSON, p:
--   h new handle, u userId, k userDigest, mu max per user (0 none), md max per device type (0 none),
--   rj true to refuse beyond a limit (else evict the oldest), tt tombstone TTL ms,
--   o timeouts override "idleMs,absMs" or '', m metadata [deviceType, label, userAgent, address]
--   ('' = none) or [] to keep the current session's, old current handle or '',
--   mode 'L' current session in KEYS[4] | 'C' current session in another slot, its carried fields
--   in cf (flat field, value; filtered by the caller) | 'N' none,
--   cm carry mode for 'L': 'N' none, 'A' all, 'S' the fields in cn (each '.' .. name),
--   rd how many index entries at most a limit decision reads, ev most evictions per call,
--   pr most prune candidates per call, dh declared handles.
-- Returns {-1} the new id collides (draw another; nothing changed) | {-3, handle, ...} declare the
-- sessions of these handles and call again (nothing changed) | {-2, limit, 1 if per device type
-- else 0} refused, nothing changed | {1, new flat hash, 1 if a current session was retired,
-- evicted handle, evicted flat hash, ...}.
-- Atomic: the count, the evictions and the creation are one step on one slot, so logins racing on
-- different servers can never leave more sessions than the limit. Work is bounded by rd + pr
-- sessions, whatever the size of the index. A session is removed from the index only after its
-- hash was read here, so a live session is never lost from it.
local now = tonumber(ARGV[1])
local idleDef, absDef = tonumber(ARGV[2]), tonumber(ARGV[3])
local skew = tonumber(ARGV[5])
local p = cjson.decode(ARGV[6])
if redis.call('EXISTS', KEYS[1], KEYS[2]) > 0 then return {-1} end
local idx = KEYS[3]

-- The current session in this slot: retired if the login is accepted. Only an anonymous session
-- or the user's own lends its attributes and metadata; another user's lends nothing.
local old, oldLive, oldOwnIndexed = nil, false, false
if p.mode == 'L' then
  local h = redis.call('HGETALL', KEYS[4])
  if #h > 0 then
    old = toMap(h)
    oldLive = verdict(old['c'], old['a'], old['o'], idleDef, absDef, now, skew) == 'L'
    oldOwnIndexed = old['u'] == p.u
  end
end
local lends = oldLive and (old['u'] == nil or old['u'] == p.u)

local md = {}
local mdNames = {'d', 'l', 'g', 'p'}
if #p.m == 4 then
  for j = 1, 4 do
    if p.m[j] ~= '' then md[mdNames[j]] = p.m[j] end
  end
elseif lends then
  for j = 1, 4 do md[mdNames[j]] = old[mdNames[j]] end
end
local device = md['d']

-- Which index entries this call must read: the prune candidates (scores are at most the expiry,
-- so only an entry scored below now - skew can be gone), and every entry when a limit may be hit.
local maxU, maxD = tonumber(p.mu), tonumber(p.md)
local card = redis.call('ZCARD', idx)
local others = card
if oldOwnIndexed and redis.call('ZSCORE', idx, p.old) then others = others - 1 end
local full = (maxU > 0 and others + 1 > maxU) or (maxD > 0 and device ~= nil and others + 1 > maxD)
local need
if full then
  need = redis.call('ZRANGE', idx, 0, p.rd - 1)
else
  need = redis.call('ZRANGEBYSCORE', idx, '-inf', '(' .. fmt(now - skew), 'LIMIT', 0, p.pr)
end
local declared = {}
for i, h in ipairs(p.dh) do declared[h] = 3 + 2 * i end
local missing = {-3}
for _, hm in ipairs(need) do
  if not declared[hm] and not (oldOwnIndexed and hm == p.old) then table.insert(missing, hm) end
end
if #missing > 1 then return missing end

local live = {}
for _, hm in ipairs(need) do
  if not (oldOwnIndexed and hm == p.old) then
    local key = KEYS[declared[hm]]
    local f = redis.call('HMGET', key, 'c', 'a', 'o', 'd', 'u')
    if not f[1] or f[5] ~= p.u then
      redis.call('ZREM', idx, hm)
    else
      local v, e = verdict(f[1], f[2], f[3], idleDef, absDef, now, skew)
      if v == 'D' then
        redis.call('DEL', key)
        redis.call('ZREM', idx, hm)
      else
        -- 'E' counts too: a refusal or an eviction is widened by the skew, never narrowed. A prune
        -- candidate found live gets its true expiry as score (touches do not rescore the index).
        if not full then redis.call('ZADD', idx, 'XX', 'GT', fmt(e), hm) end
        table.insert(live, {h = hm, c = tonumber(f[1]), a = tonumber(f[2]), d = f[4], k = declared[hm]})
      end
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
if full then
  -- When the index holds more than rd entries (a cap lowered later, say), only the ones read
  -- are candidates and at most ev go per call: each login makes progress, none blocks.
  local count = #live
  local ranked = redis.call('ZCARD', idx)
  if oldOwnIndexed and redis.call('ZSCORE', idx, p.old) then ranked = ranked - 1 end
  if ranked > count then count = ranked end
  local budget = tonumber(p.ev)
  if maxD > 0 and device then
    local same = {}
    for _, s in ipairs(live) do
      if s.d == device then table.insert(same, s) end
    end
    local excess = #same + 1 - maxD
    if excess > 0 then
      if p.rj then return {-2, maxD, 1} end
      for i = 1, math.min(excess, budget) do
        evict[same[i].h] = same[i]
        table.insert(order, same[i])
      end
    end
  end
  if maxU > 0 then
    local excess = count - #order + 1 - maxU
    if excess > 0 then
      if p.rj then return {-2, maxU, 0} end
      for _, s in ipairs(live) do
        if excess <= 0 or #order >= budget then break end
        if not evict[s.h] then
          evict[s.h] = s
          table.insert(order, s)
          excess = excess - 1
        end
      end
    end
  end
end

local out = {1, {}, 0}
local tombTtl = tonumber(p.tt)
for _, s in ipairs(order) do
  local key = KEYS[s.k]
  local flat = redis.call('HGETALL', key)
  redis.call('DEL', key)
  redis.call('ZREM', idx, s.h)
  tombstone(KEYS[s.k + 1], 'P', tombTtl, now)
  countSession(s.h, nil, now)
  table.insert(out, s.h)
  table.insert(out, flat)
end

local fields = {'c', ARGV[1], 'a', ARGV[1], 'u', p.u, 'k', p.k, 'n', ARGV[1]}
if p.o ~= '' then
  table.insert(fields, 'o')
  table.insert(fields, p.o)
end
for j = 1, 4 do
  local v = md[mdNames[j]]
  if v then
    table.insert(fields, mdNames[j])
    table.insert(fields, v)
  end
end
if p.mode == 'C' then
  for i = 1, #p.cf do table.insert(fields, p.cf[i]) end
elseif lends and p.cm == 'A' then
  for name, v in pairs(old) do
    if string.sub(name, 1, 1) == '.' or name == 'z' then
      table.insert(fields, name)
      table.insert(fields, v)
    end
  end
elseif lends and p.cm == 'S' then
  local z = 0
  for _, name in ipairs(p.cn) do
    local v = old[name]
    if v then
      table.insert(fields, name)
      table.insert(fields, v)
      z = z + #name - 1 + #v
    end
  end
  if z > 0 then
    table.insert(fields, 'z')
    table.insert(fields, tostring(z))
  end
end
hsetFrom(KEYS[1], fields, 1)
local _, e, _, abs = verdict(ARGV[1], ARGV[1], p.o, idleDef, absDef, now, skew)
redis.call('PEXPIRE', KEYS[1], ttlPast(e, now, skew))
indexPut(idx, p.h, e, deadline(now, abs), now, skew)
countSession(p.h, e, now)

if old then
  redis.call('DEL', KEYS[4])
  if oldOwnIndexed then redis.call('ZREM', idx, p.old) end
  if oldLive then out[3] = 1 end
  countSession(p.old, nil, now)
end
countUser(p.k, idx, now)
out[2] = redis.call('HGETALL', KEYS[1])
return out
