-- issue.lua: start a refresh-token family with its first token.
-- KEYS[1] the token's record, KEYS[2] the family, KEYS[3] the slot's global watermark copy,
-- KEYS[4] the subject's watermark
-- ARGV[1] now ms, ARGV[2] family handle, ARGV[3] subject, ARGV[4] subject digest, ARGV[5] issue
-- stamp (now), ARGV[6] token expiry ms, ARGV[7] family absolute expiry ms, ARGV[8] extra retention
-- ms (clock skew), ARGV[9] the stamp to write if the slot lost its memory
-- Returns {1, the token's issue stamp, 1 if the slot's memory was found lost else 0}, or {0} if the
-- token collides with a known one (the caller draws another). The issue stamp is the later of now
-- and the watermarks in force: a token issued after a watermark (in Redis order) is never refused
-- by it, even when the watermark was widened by the clock skew.
-- Atomic: the collision check, the watermark reads and both writes are one step in the subject's slot.
local now = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[1]) > 0 then return {0} end
local g, lost = ensureEpoch(KEYS[3], redis.call('GET', KEYS[3]), ARGV[9])
local stamp = ARGV[5]
if g > stamp then stamp = g end
local uw = liveStamp(redis.call('GET', KEYS[4]), now)
if uw and uw > stamp then stamp = uw end
local skew = tonumber(ARGV[8])
redis.call('SET', KEYS[2], ARGV[7] .. ':0', 'PX', fmt(math.max(1, tonumber(ARGV[7]) - now + skew)))
redis.call('HSET', KEYS[1], 'm', ARGV[2], 's', ARGV[3], 'u', ARGV[4], 'i', stamp, 'e', ARGV[6])
redis.call('PEXPIRE', KEYS[1], fmt(math.max(1, tonumber(ARGV[6]) - now + skew)))
return {1, stamp, lost and 1 or 0}
