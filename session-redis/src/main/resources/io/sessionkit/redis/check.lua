-- check.lua: is a token revoked? One read of its mark, its slot's copy of the global watermark and
-- its user's watermark.
-- KEYS[1] the token's mark, KEYS[2] the slot's global watermark copy, KEYS[3] the subject's
-- watermark (absent for a token without subject)
-- ARGV[1] now ms, ARGV[2] the token's issuedAt ms
-- Returns 0 active | 1 revoked | 2 issued before its user's watermark | 3 before the global one.
-- Atomic: a single consistent read of the three keys, all in one slot.
local now = tonumber(ARGV[1])
local iat = tonumber(ARGV[2])
local v = redis.call('MGET', unpack(KEYS))
if v[1] and tonumber(v[1]) and tonumber(v[1]) > now then return 1 end
if v[3] then
  local w, u = string.match(v[3], '^(%d+):(%d+)$')
  if w and tonumber(u) > now and iat < tonumber(w) then return 2 end
end
if v[2] then
  local w, u = string.match(v[2], '^(%d+):(%d+)$')
  if w and tonumber(u) > now and iat < tonumber(w) then return 3 end
end
return 0
