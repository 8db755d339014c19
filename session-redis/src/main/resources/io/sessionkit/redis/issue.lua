-- issue.lua: start a refresh-token family with its first token.
-- KEYS[1] the token's record, KEYS[2] the family
-- ARGV[1] now ms, ARGV[2] family handle, ARGV[3] subject, ARGV[4] subject digest (names the
-- subject's watermark), ARGV[5] issue stamp, ARGV[6] token expiry ms, ARGV[7] family absolute
-- expiry ms, ARGV[8] extra retention ms (clock skew)
-- Returns 1, or 0 if the token collides with a known one (the caller draws another).
-- Atomic: the collision check and both writes are one step in the subject's slot.
local now = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[1]) > 0 then return 0 end
local skew = tonumber(ARGV[8])
redis.call('SET', KEYS[2], ARGV[7] .. ':0', 'PX', fmt(math.max(1, tonumber(ARGV[7]) - now + skew)))
redis.call('HSET', KEYS[1], 'm', ARGV[2], 's', ARGV[3], 'u', ARGV[4], 'i', ARGV[5], 'e', ARGV[6])
redis.call('PEXPIRE', KEYS[1], fmt(math.max(1, tonumber(ARGV[6]) - now + skew)))
return 1
