-- delete.lua: end one session (logout, revoke by handle) and leave a tombstone saying why.
-- KEYS[1] session hash, KEYS[2] its tombstone; with counting, KEYS[3..4] the slot's count sets
-- ARGV[1..4] now, default idle, default absolute, key base; ARGV[5] handle; ARGV[6] reason char;
-- ARGV[7] tombstone TTL ms (0 = none); ARGV[8] the user the session must belong to, or ''
-- Returns {0} not live (or another user's) | {2, reason, userId} found expired and deleted now |
-- {1, userId} ended by this call.
-- Atomic: the session, its index entry and its tombstone change in one step.
local now = tonumber(ARGV[1])
local sys = redis.call('HMGET', KEYS[1], 'c', 'a', 'o', 'k', 'u')
if not sys[1] then return {0} end
if ARGV[8] ~= '' and sys[5] ~= ARGV[8] then return {0} end
local expired, e, idle, abs = judge(sys[1], sys[2], sys[3], tonumber(ARGV[2]), tonumber(ARGV[3]), now)
redis.call('DEL', KEYS[1])
if sys[4] then redis.call('ZREM', ARGV[4] .. 'u:' .. sys[4], ARGV[5]) end
if expired then
  return {2, expiryReason(tonumber(sys[1]), tonumber(sys[2]), idle, abs), sys[5] or ''}
end
tombstone(KEYS[2], ARGV[6], tonumber(ARGV[7]), now)
countSession(ARGV[5], nil, now)
countUser(sys[4], now)
return {1, sys[5] or ''}
