-- renew.lua: move a live session to a new id with the same slot tag (fixation protection).
-- KEYS[1] old session hash, KEYS[2] new session hash, KEYS[3] new id's tombstone,
-- KEYS[4] (for a user's session) the user's index; with counting, the last two KEYS are the slot's
-- count sets (prelude)
-- ARGV[1..5] now, default idle, default absolute, key base, clock skew ms; ARGV[6] old handle;
-- ARGV[7] new handle
-- Returns {0} not live | {2, reason, userId} found expired and deleted now | {-1} the new id
-- collides (draw another) | {-3, userDigest} a user's session: call again with its index as KEYS[4]
-- (nothing changed) | {1, flat hash of the session under its new id}.
-- Atomic: COPY + DEL in one slot (no RENAME, no cross-slot move); the index entry moves with it, so
-- the old id is dead the moment the new one lives, and the new one is in the index at once.
local now = tonumber(ARGV[1])
local skew = tonumber(ARGV[5])
local sys = redis.call('HMGET', KEYS[1], 'c', 'a', 'o', 'k', 'u')
if not sys[1] then return {0} end
local v, e, idle, abs = verdict(sys[1], sys[2], sys[3], tonumber(ARGV[2]), tonumber(ARGV[3]), now, skew)
if v == 'E' then return {0} end
if v == 'D' then
  redis.call('DEL', KEYS[1])
  return {2, expiryReason(tonumber(sys[1]), tonumber(sys[2]), idle, abs), sys[5] or ''}
end
if sys[4] and KEYS[4] ~= ARGV[4] .. 'u:' .. sys[4] then return {-3, sys[4]} end
if redis.call('EXISTS', KEYS[2], KEYS[3]) > 0 then return {-1} end
redis.call('COPY', KEYS[1], KEYS[2])
redis.call('DEL', KEYS[1])
if sys[4] then
  redis.call('ZREM', KEYS[4], ARGV[6])
  indexPut(KEYS[4], ARGV[7], e, deadline(sys[1], abs), now, skew)
end
countSession(ARGV[6], nil, now)
countSession(ARGV[7], e, now)
return {1, redis.call('HGETALL', KEYS[2])}
