-- rotate.lua: spend a refresh token and record its successor; hand the same successor out again
-- within the grace window; revoke the family on reuse after it.
-- KEYS[1] the presented token's record, KEYS[2] the slot's global watermark copy, KEYS[3] the
-- successor's record. The subject's watermark is named by the digest the record holds (same slot).
-- ARGV[1] now ms, ARGV[2] key base of the slot, ARGV[3] successor issue stamp, ARGV[4] refresh
-- token TTL ms, ARGV[5] grace window ms, ARGV[6] the successor sealed under the presented token,
-- ARGV[7] extra retention ms (clock skew)
-- Returns {'U'} unknown | {'V'} family or user revoked | {'E'} expired | {'C'} the successor
-- collides (draw another; nothing changed) | {'G', sealed, issue stamp, expiry ms, family, subject}
-- retry within the grace window | {'R', family, subject} reuse: the family is now revoked |
-- {'O', family, subject, successor expiry ms} rotated.
-- Atomic: one step in the subject's slot, so two concurrent rotations of one token yield one
-- successor, and a reuse cannot race a rotation.
local now = tonumber(ARGV[1])
local rec = redis.call('HMGET', KEYS[1], 'm', 's', 'i', 'e', 'r', 'q', 'j', 'k', 'u')
if not rec[1] then return {'U'} end
local famKey = ARGV[2] .. 'F:' .. rec[1]
local fam = redis.call('GET', famKey)
if not fam then return {'U'} end
local abs, revoked = string.match(fam, '^(%d+):(%d)$')
abs = tonumber(abs)
if revoked == '1' then return {'V'} end
if now >= tonumber(rec[4]) or now >= abs then return {'E'} end
local wm = redis.call('MGET', ARGV[2] .. 'w:' .. rec[9], KEYS[2])
local uw = liveStamp(wm[1], now)
local gw = liveStamp(wm[2], now)
if (uw and rec[3] < uw) or (gw and rec[3] < gw) then return {'V'} end
if rec[5] then
  local grace = tonumber(ARGV[5])
  if grace > 0 and now < tonumber(rec[5]) + grace then
    return {'G', rec[6], rec[7], rec[8], rec[1], rec[2]}
  end
  redis.call('SET', famKey, fmt(abs) .. ':1', 'KEEPTTL')
  return {'R', rec[1], rec[2]}
end
if redis.call('EXISTS', KEYS[3]) > 0 then return {'C'} end
local exp = now + tonumber(ARGV[4])
if abs < exp then exp = abs end
local skew = tonumber(ARGV[7])
redis.call('HSET', KEYS[3], 'm', rec[1], 's', rec[2], 'u', rec[9], 'i', ARGV[3], 'e', fmt(exp))
redis.call('PEXPIRE', KEYS[3], fmt(math.max(1, exp - now + skew)))
redis.call('HSET', KEYS[1], 'r', ARGV[1], 'q', ARGV[6], 'j', ARGV[3], 'k', fmt(exp))
return {'O', rec[1], rec[2], fmt(exp)}
