-- check.lua: what stands against a token: its revocation mark, its subject's watermark and its
-- slot's copy of the global watermark, read at once.
-- KEYS[1] the token's mark, KEYS[2] the slot's global watermark copy, KEYS[3] the subject's
-- watermark (absent for a token without subject)
-- ARGV[1] now ms
-- Returns {1 if a live mark exists else 0, the subject's watermark stamp or '', the global
-- watermark stamp or ''}; the caller compares the token's issue time to the stamps exactly.
-- Atomic: one consistent read of keys in one slot.
local now = tonumber(ARGV[1])
local v = redis.call('MGET', unpack(KEYS))
local marked = 0
if v[1] and tonumber(v[1]) and tonumber(v[1]) > now then marked = 1 end
return {marked, liveStamp(v[3], now) or '', liveStamp(v[2], now) or ''}
