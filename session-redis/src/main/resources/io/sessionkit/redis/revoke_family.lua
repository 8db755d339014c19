-- revoke_family.lua: revoke the family of a refresh token (logout of a refresh token, or a grace
-- retry whose sealed successor did not open).
-- KEYS[1] the token's record, KEYS[2] its family (named from the record, read first by the caller)
-- ARGV[1] the family handle read
-- Returns {0} unknown token (or not the record that was read) | {1, family, subject} revoked by
-- this call | {2} already revoked.
-- Atomic: one step in the subject's slot.
local rec = redis.call('HMGET', KEYS[1], 'm', 's')
if not rec[1] or rec[1] ~= ARGV[1] then return {0} end
local fam = redis.call('GET', KEYS[2])
if not fam then return {0} end
local abs, revoked = string.match(fam, '^(%d+):(%d)$')
if revoked == '1' then return {2} end
redis.call('SET', KEYS[2], abs .. ':1', 'KEEPTTL')
return {1, rec[1], rec[2]}
