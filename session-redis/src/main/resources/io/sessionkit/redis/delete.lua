-- delete.lua: end one session (logout, revoke by handle, retire an id at login) and leave a
-- tombstone saying why.
-- KEYS[1] session hash, KEYS[2] its tombstone, KEYS[3] (optional; required for a user's session
-- with counting) the index of the user the session belongs to; with counting, the last two KEYS
-- are the slot's count sets (prelude)
-- ARGV[1..5] now, default idle, default absolute, key base, clock skew ms; ARGV[6] handle;
-- ARGV[7] reason char; ARGV[8] tombstone TTL ms (0 = none); ARGV[9] the user the session must
-- belong to, or ''
-- Returns {0} not live (or another user's) | {2, reason, userId} found expired and deleted now |
-- {1, userId} ended by this call | {-3, userDigest} a user's session with counting: call again with
-- its index as KEYS[3] (nothing changed), so that the user's count is recomputed exactly.
-- Atomic: the session, its index entry (when the index is declared) and its tombstone change in
-- one step. Without the index (a logout knows only the id) the entry stays until a login or a
-- list of that user reads it and finds the session gone.
local now = tonumber(ARGV[1])
local sys = redis.call('HMGET', KEYS[1], 'c', 'a', 'o', 'k', 'u')
if not sys[1] then return {0} end
if ARGV[9] ~= '' and sys[5] ~= ARGV[9] then return {0} end
if counting() and sys[4] and KEYS[3] ~= ARGV[4] .. 'u:' .. sys[4] then return {-3, sys[4]} end
local v, e, idle, abs = verdict(sys[1], sys[2], sys[3], tonumber(ARGV[2]), tonumber(ARGV[3]), now, tonumber(ARGV[5]))
redis.call('DEL', KEYS[1])
local indexed = KEYS[3] and sys[4] and KEYS[3] == ARGV[4] .. 'u:' .. sys[4]
if indexed then redis.call('ZREM', KEYS[3], ARGV[6]) end
countSession(ARGV[6], nil, now)
if indexed then countUser(sys[4], KEYS[3], now) end
if v ~= 'L' then
  return {2, expiryReason(tonumber(sys[1]), tonumber(sys[2]), idle, abs), sys[5] or ''}
end
tombstone(KEYS[2], ARGV[7], tonumber(ARGV[8]), now)
return {1, sys[5] or ''}
