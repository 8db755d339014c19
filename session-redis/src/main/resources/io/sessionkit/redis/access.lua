-- access.lua: the write an access sometimes needs, after a plain HGETALL read the session hash and
-- the caller judged it in Java: a touch that is due, or the deletion of a session expired for good.
-- The common access (live, no touch due) runs no script at all.
-- KEYS[1] session hash, KEYS[2] its tombstone, KEYS[3] the user's index (only for a signed-in
-- session: the key named by the hash's 'k' field, which never changes for a session)
-- ARGV[1] now ms, ARGV[2] default idle ms (-1 none), ARGV[3] default absolute ms (-1 none),
-- ARGV[4] handle, ARGV[5] 'T' touch if due | 'X' delete if expired beyond the skew,
-- ARGV[6] touch interval ms, ARGV[7] clock skew ms
-- Returns {0} absent | {1, reason} ended, tombstone alive | {2, reason, userId} expired by more
-- than the skew and deleted now | {3, lastAccessedAt} live (touched now if it was due) |
-- {4, reason} expired at `now` but not beyond the skew: refused, nothing deleted.
-- Atomic: the hash is read again here, so the verdict and the write see one state: a touch never
-- recreates a session that a logout, a kick-out or an expiry removed since the caller's read, and
-- never moves lastAccessedAt back; a deletion only removes what is still expired.
local now = tonumber(ARGV[1])
local sys = redis.call('HMGET', KEYS[1], 'c', 'a', 'o', 'k', 'u')
if not sys[1] then
  local t = redis.call('GET', KEYS[2])
  if t then
    local r, u = string.match(t, '^(%a):(%d+)$')
    if r and tonumber(u) > now then return {1, r} end
  end
  return {0}
end
if sys[4] and #KEYS < 3 then
  return redis.error_reply('ERR access.lua: the user index of a signed-in session must be in KEYS')
end
local skew = tonumber(ARGV[7])
local expired, e, idle, abs = judge(sys[1], sys[2], sys[3], tonumber(ARGV[2]), tonumber(ARGV[3]), now)
if expired then
  local reason = expiryReason(tonumber(sys[1]), tonumber(sys[2]), idle, abs)
  if ARGV[5] == 'X' and now - skew > e then
    redis.call('DEL', KEYS[1])
    if sys[4] then redis.call('ZREM', KEYS[3], ARGV[4]) end
    return {2, reason, sys[5] or ''}
  end
  return {4, reason}
end
local a = tonumber(sys[2])
if ARGV[5] == 'T' then
  local ti = tonumber(ARGV[6])
  if idle >= 0 and idle / 10 < ti then ti = idle / 10 end
  if now > a and now - a >= ti then
    redis.call('HSET', KEYS[1], 'a', ARGV[1])
    local ne = expiry(tonumber(sys[1]), now, idle, abs)
    redis.call('PEXPIRE', KEYS[1], fmt(ne - now))
    if sys[4] then indexAdd(KEYS[3], ARGV[4], ne, now) end
    return {3, ARGV[1]}
  end
end
return {3, sys[2]}
