-- access.lua: the write an access sometimes needs, after a plain HGETALL read the session hash and
-- the caller judged it in Java (SessionReader): a touch that is due, or the deletion of a session
-- expired by more than the clock skew. The common access (live, no touch due) runs no script.
-- KEYS[1] session hash, KEYS[2] its tombstone, KEYS[3] (a signed-in session only) the user's index,
-- the key named by the hash's 'k' field in the session's slot ('k' never changes for a session)
-- ARGV[1] now ms, ARGV[2] default idle ms (-1 none), ARGV[3] default absolute ms (-1 none),
-- ARGV[4] key base "<prefix>{tag}:", ARGV[5] touch interval ms, ARGV[6] 'T' touch if due | 'X' only
-- judge (the caller found the session expired beyond the skew), ARGV[7] handle, ARGV[8] clock skew ms; with counting, the slot's count sets are the last two KEYS
-- (prelude)
-- Returns {0} absent | {0, reason} expired by this server's clock but by no more than the skew:
-- refused, nothing changed | {1, reason} ended, tombstone alive | {2, reason, userId} expired
-- beyond the skew, deleted now (and dropped from the user's index) | {3, lastAccessedAt} live
-- (touched now if it was due) | {-3, userDigest} a signed-in session whose index is not KEYS[3]:
-- call again with it declared (nothing changed).
-- Atomic: the hash is read and judged again here, so the verdict and the write see one state: a
-- touch never recreates a session that a logout, a kick-out or an expiry removed since the
-- caller's read, and never moves lastAccessedAt back; a deletion only removes what is still
-- expired beyond the skew. A touch does not rescore the user's index (its score stays at most the
-- session's real expiry; see the prelude).
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
if sys[4] and KEYS[3] ~= ARGV[4] .. 'u:' .. sys[4] then return {-3, sys[4]} end
local skew = tonumber(ARGV[8])
local v, e, idle, abs = verdict(sys[1], sys[2], sys[3], tonumber(ARGV[2]), tonumber(ARGV[3]), now, skew)
if v == 'E' then
  return {0, expiryReason(tonumber(sys[1]), tonumber(sys[2]), idle, abs)}
end
if v == 'D' then
  redis.call('DEL', KEYS[1])
  if sys[4] then redis.call('ZREM', KEYS[3], ARGV[7]) end
  return {2, expiryReason(tonumber(sys[1]), tonumber(sys[2]), idle, abs), sys[5] or ''}
end
local a = tonumber(sys[2])
if ARGV[6] == 'T' then
  local ti = tonumber(ARGV[5])
  if idle >= 0 and idle / 10 < ti then ti = idle / 10 end
  if now > a and now - a >= ti then
    redis.call('HSET', KEYS[1], 'a', ARGV[1])
    local ne = expiry(tonumber(sys[1]), now, idle, abs)
    redis.call('PEXPIRE', KEYS[1], ttlPast(ne, now, skew))
    countSession(ARGV[7], ne, now)
    if sys[4] then countUserUntil(sys[4], ne, now) end
    return {3, ARGV[1]}
  end
end
return {3, sys[2]}
