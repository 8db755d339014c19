-- rotate.lua: spend a refresh token and record its successor; hand the same successor out again
-- within the grace window; revoke the family on reuse after it.
-- KEYS[1] the presented token's record, KEYS[2] its family, KEYS[3] the slot's global watermark
-- copy, KEYS[4] the subject's watermark, KEYS[5] the successor's record. The caller read the
-- record's family and subject digest first, to name KEYS[2] and KEYS[4]; they are checked again here.
-- ARGV[1] now ms, ARGV[2] family handle read, ARGV[3] subject digest read, ARGV[4] successor issue
-- stamp (now), ARGV[5] refresh token TTL ms, ARGV[6] grace window ms, ARGV[7] the successor sealed
-- under the presented token, ARGV[8] extra retention ms (clock skew), ARGV[9] the stamp to write
-- if the slot lost its memory
-- Returns {'U'} unknown (or not the record that was read) | {'V'} family or user revoked |
-- {'L'} the slot lost its memory: revoked | {'E'} expired | {'C'} the successor collides (draw
-- another; nothing changed) | {'G', sealed, issue stamp, expiry ms, family, subject} retry within
-- the grace window | {'R', family, subject} reuse: the family is now revoked |
-- {'O', family, subject, successor expiry ms, successor issue stamp} rotated.
-- Atomic: one step in the subject's slot, so two concurrent rotations of one token yield one
-- successor, and a reuse cannot race a rotation.
local now = tonumber(ARGV[1])
local rec = redis.call('HMGET', KEYS[1], 'm', 's', 'i', 'e', 'r', 'q', 'j', 'k', 'u')
if not rec[1] or rec[1] ~= ARGV[2] or rec[9] ~= ARGV[3] then return {'U'} end
local g, lost = ensureEpoch(KEYS[3], redis.call('GET', KEYS[3]), ARGV[9])
if lost then return {'L'} end
local fam = redis.call('GET', KEYS[2])
if not fam then return {'U'} end
local abs, revoked = string.match(fam, '^(%d+):(%d)$')
abs = tonumber(abs)
if revoked == '1' then return {'V'} end
if now >= tonumber(rec[4]) or now >= abs then return {'E'} end
local uw = liveStamp(redis.call('GET', KEYS[4]), now)
if (uw and rec[3] < uw) or rec[3] < g then return {'V'} end
if rec[5] then
  local grace = tonumber(ARGV[6])
  if grace > 0 and now < tonumber(rec[5]) + grace then
    return {'G', rec[6], rec[7], rec[8], rec[1], rec[2]}
  end
  redis.call('SET', KEYS[2], fmt(abs) .. ':1', 'KEEPTTL')
  return {'R', rec[1], rec[2]}
end
if redis.call('EXISTS', KEYS[5]) > 0 then return {'C'} end
local exp = now + tonumber(ARGV[5])
if abs < exp then exp = abs end
local skew = tonumber(ARGV[8])
local stamp = ARGV[4]
if g > stamp then stamp = g end
if uw and uw > stamp then stamp = uw end
redis.call('HSET', KEYS[5], 'm', rec[1], 's', rec[2], 'u', rec[9], 'i', stamp, 'e', fmt(exp))
redis.call('PEXPIRE', KEYS[5], fmt(math.max(1, exp - now + skew)))
redis.call('HSET', KEYS[1], 'r', ARGV[1], 'q', ARGV[7], 'j', stamp, 'k', fmt(exp))
return {'O', rec[1], rec[2], fmt(exp), stamp}
