-- check.lua: what stands against a token: its revocation mark, its subject's watermark and its
-- slot's copy of the global watermark, read at once; and the flush defence: a slot whose global
-- copy (kept without TTL) is missing lost its memory, so the copy is written at `lost stamp` and
-- every token issued before it is refused.
-- KEYS[1] the token's mark, KEYS[2] the slot's global watermark copy, KEYS[3] the subject's
-- watermark (absent for a token without subject)
-- ARGV[1] now ms, ARGV[2] the stamp to write if the slot lost its memory (now + clock skew)
-- Returns {1 if a live mark exists else 0, the subject's watermark stamp or '', the global
-- watermark stamp, 1 if this call found the slot's memory lost else 0}; the caller compares the
-- token's issue time to the stamps exactly.
-- Atomic: one consistent read (and at most one write) of keys in one slot.
local now = tonumber(ARGV[1])
local v = redis.call('MGET', unpack(KEYS))
local marked = 0
if v[1] and tonumber(v[1]) and tonumber(v[1]) > now then marked = 1 end
local g, lost = ensureEpoch(KEYS[2], v[2], ARGV[2])
return {marked, liveStamp(v[3], now) or '', g, lost and 1 or 0}
