-- create.lua: create a session unless its id collides with a live session or a tombstone.
-- KEYS[1] session hash, KEYS[2] its tombstone
-- ARGV[1..4] now, default idle, default absolute, key base (see prelude); ARGV[5] TTL ms;
-- ARGV[6..] field, value pairs; with counting, KEYS[3..4] the slot's count sets (prelude)
-- Returns 1 if created, 0 on a collision (the caller draws a new id).
-- Atomic: the existence check and the write are one step, so two servers can never share an id.
if redis.call('EXISTS', KEYS[1], KEYS[2]) > 0 then return 0 end
hsetFrom(KEYS[1], ARGV, 6)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
-- Counted until its expiry, not its key TTL (which runs the clock skew past it).
local _, e = judge(ARGV[1], ARGV[1], nil, tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[1]))
countSession(string.sub(KEYS[1], #ARGV[4] + 3), e, tonumber(ARGV[1]))
return 1
