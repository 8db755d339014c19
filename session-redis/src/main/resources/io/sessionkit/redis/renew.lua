-- renew.lua: move a live session to a new id with the same slot tag (fixation protection).
-- KEYS[1] old session hash, KEYS[2] new session hash, KEYS[3] new id's tombstone; with counting,
-- KEYS[4..5] the slot's count sets (prelude)
-- ARGV[1..4] now, default idle, default absolute, key base; ARGV[5] old handle; ARGV[6] new handle
-- Returns {0} not live | {2, reason, userId} found expired and deleted now | {-1} the new id
-- collides (draw another) | {1, flat hash of the session under its new id}.
-- Atomic: COPY + DEL in one slot (no RENAME, no cross-slot move); the index entry moves with it, so
-- the old id is dead the moment the new one lives.
local now = tonumber(ARGV[1])
local sys = redis.call('HMGET', KEYS[1], 'c', 'a', 'o', 'k', 'u')
if not sys[1] then return {0} end
local expired, e, idle, abs = judge(sys[1], sys[2], sys[3], tonumber(ARGV[2]), tonumber(ARGV[3]), now)
if expired then
  redis.call('DEL', KEYS[1])
  if sys[4] then redis.call('ZREM', ARGV[4] .. 'u:' .. sys[4], ARGV[5]) end
  return {2, expiryReason(tonumber(sys[1]), tonumber(sys[2]), idle, abs), sys[5] or ''}
end
if redis.call('EXISTS', KEYS[2], KEYS[3]) > 0 then return {-1} end
redis.call('COPY', KEYS[1], KEYS[2])
redis.call('DEL', KEYS[1])
if sys[4] then
  local idx = ARGV[4] .. 'u:' .. sys[4]
  redis.call('ZREM', idx, ARGV[5])
  indexAdd(idx, ARGV[6], e, now)
end
countSession(ARGV[5], nil, now)
countSession(ARGV[6], e, now)
return {1, redis.call('HGETALL', KEYS[2])}
