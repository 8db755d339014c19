-- mark.lua: revoke one token: keep its mark until keep-until (never shortening an existing mark).
-- KEYS[1] the token's mark
-- ARGV[1] now ms, ARGV[2] keep-until ms, ARGV[3] clock skew ms (the key outlives keep-until by it,
-- for servers whose clocks run behind the revoking one)
-- Returns 1.
-- Atomic: read-compare-write in one step.
local now = tonumber(ARGV[1])
local keep = tonumber(ARGV[2])
local cur = tonumber(redis.call('GET', KEYS[1]) or '')
if cur and cur > keep then keep = cur end
redis.call('SET', KEYS[1], fmt(keep), 'PX', fmt(math.max(1, keep - now + tonumber(ARGV[3]))))
return 1
