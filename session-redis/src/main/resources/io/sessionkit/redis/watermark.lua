-- watermark.lua: raise a "not before" watermark; a watermark never moves backwards.
-- Two forms. A user's watermark: KEYS[1] the watermark; ARGV[3] > 0.
-- Copies of the global watermark (each slot's, kept without TTL: its flush-defence epoch): KEYS are
-- one or more slot copies (several only on a server that holds every slot: standalone, Sentinel);
-- ARGV[3] = 0.
-- ARGV[1] now ms, ARGV[2] the new watermark stamp ('' to raise nothing: only make sure each slot's
-- epoch exists), ARGV[3] how long to keep a user's watermark, ms (0 for global copies), ARGV[4] for
-- global copies, the stamp to write into a copy that is missing (its slot lost its memory)
-- Returns a user's watermark: the stamp in force afterwards. Global copies: 'lost/stamp', the
-- number of copies that were missing and the highest stamp in force afterwards.
-- Atomic: read-compare-write in one step, so racing raises keep the highest.
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  return raiseWatermark(KEYS[1], ARGV[2], ttl, tonumber(ARGV[1]))
end
local lost, max = 0, ''
for i = 1, #KEYS do
  local cur, missing = ensureEpoch(KEYS[i], redis.call('GET', KEYS[i]), ARGV[4])
  if ARGV[2] ~= '' and ARGV[2] > cur then
    cur = ARGV[2]
    redis.call('SET', KEYS[i], cur)
  end
  if missing then lost = lost + 1 end
  if cur > max then max = cur end
end
return lost .. '/' .. max
