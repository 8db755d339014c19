-- access.lua: validate + touch (coalesced) + read a session, atomically.
-- KEYS[1] session hash, KEYS[2] its tombstone
-- ARGV[1] now ms, ARGV[2] default idle ms (-1 none), ARGV[3] default absolute ms (-1 none),
-- ARGV[4] key base "<prefix>{tag}:", ARGV[5] touch interval ms, ARGV[6] 'E' extend | 'P' passive,
-- ARGV[7] handle, ARGV[8] clock skew ms; with counting, KEYS[3..4] the slot's count sets (prelude)
-- Returns {0} absent | {1, reason} ended, tombstone alive | {2, reason, userId} found expired and
-- deleted now | {3, flat hash} live (with the new lastAccessedAt if touched).
-- Atomic: one script; the read, the expiry verdict and the touch see one state, so a touch can
-- never recreate a session that a concurrent logout or expiry removed.
local now = tonumber(ARGV[1])
local h = redis.call('HGETALL', KEYS[1])
if #h == 0 then
  local t = redis.call('GET', KEYS[2])
  if t then
    local r, u = string.match(t, '^(%a):(%d+)$')
    if r and tonumber(u) > now then return {1, r} end
  end
  return {0}
end
local m = toMap(h)
local skew = tonumber(ARGV[8])
local v, e, idle, abs = verdict(m['c'], m['a'], m['o'], tonumber(ARGV[2]), tonumber(ARGV[3]), now, skew)
-- Expired by this server's clock: refused; deleted only once expired beyond the skew (the index
-- entry stays until a login or a list of the user reads it and finds the session gone).
if v == 'E' then return {0} end
if v == 'D' then
  redis.call('DEL', KEYS[1])
  return {2, expiryReason(tonumber(m['c']), tonumber(m['a']), idle, abs), m['u'] or ''}
end
if ARGV[6] == 'E' then
  local ti = tonumber(ARGV[5])
  if idle >= 0 and idle / 10 < ti then ti = idle / 10 end
  if now - tonumber(m['a']) >= ti then
    redis.call('HSET', KEYS[1], 'a', ARGV[1])
    for i = 1, #h, 2 do
      if h[i] == 'a' then h[i + 1] = ARGV[1] end
    end
    local ne = expiry(tonumber(m['c']), now, idle, abs)
    redis.call('PEXPIRE', KEYS[1], ttlPast(ne, now, skew))
    countSession(ARGV[7], ne, now)
    countUserUntil(m['k'], ne, now)
  end
end
return {3, h}
