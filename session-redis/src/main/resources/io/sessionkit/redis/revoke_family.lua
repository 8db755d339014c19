-- revoke_family.lua: revoke the family of a refresh token (logout of a refresh token, or a grace
-- retry whose sealed successor did not open).
-- KEYS[1] the token's record
-- ARGV[1] key base of the slot
-- Returns {0} unknown token | {1, family, subject} revoked by this call | {2} already revoked.
-- Atomic: one step in the subject's slot.
local rec = redis.call('HMGET', KEYS[1], 'm', 's')
if not rec[1] then return {0} end
local famKey = ARGV[1] .. 'F:' .. rec[1]
local fam = redis.call('GET', famKey)
if not fam then return {0} end
local abs, revoked = string.match(fam, '^(%d+):(%d)$')
if revoked == '1' then return {2} end
redis.call('SET', famKey, abs .. ':1', 'KEEPTTL')
return {1, rec[1], rec[2]}
