-- delete_all.lua: one bounded step of ending every session of a user (optionally sparing one):
-- end the declared sessions, leave their tombstones, optionally raise the user's token watermark,
-- and name the next sessions to end. The caller repeats until none is left.
-- KEYS[1] the user's index, KEYS[2] the user's watermark, KEYS[3..] for each handle in ARGV[12..]:
-- its session hash, then its tombstone; with counting, the last two KEYS are the slot's count sets
-- (prelude)
-- ARGV[1..5] now, default idle, default absolute, key base of the user's slot, clock skew ms;
-- ARGV[6] reason char; ARGV[7] tombstone TTL ms; ARGV[8] handle to spare or ''; ARGV[9] new
-- watermark stamp or '' for none; ARGV[10] watermark TTL ms; ARGV[11] batch size; ARGV[12..] the
-- handles to end now (from the previous step's reply)
-- Returns {watermark stamp in force or '', {handle of each session ended}, {next handles, at most
-- the batch size}, entries left in the index}.
-- Atomic per step: each declared session is re-checked against the index and ended with its index
-- entry and tombstone in one step. Bounded: at most batch sessions per call, whatever the user
-- holds. Nothing is ever restored, so a session ended here stays ended.
local now = tonumber(ARGV[1])
local idleDef, absDef = tonumber(ARGV[2]), tonumber(ARGV[3])
local skew = tonumber(ARGV[5])
local keep = ARGV[8]
local wm = ''
if ARGV[9] ~= '' then
  wm = raiseWatermark(KEYS[2], ARGV[9], tonumber(ARGV[10]), now)
end
local ended = {}
local tombTtl = tonumber(ARGV[7])
for i = 12, #ARGV do
  local hm = ARGV[i]
  local key = KEYS[3 + 2 * (i - 12)]
  if hm ~= keep and redis.call('ZSCORE', KEYS[1], hm) then
    local f = redis.call('HMGET', key, 'c', 'a', 'o')
    if f[1] then
      redis.call('DEL', key)
      countSession(hm, nil, now)
      -- Expired for this server but perhaps not for a slower one: ended all the same, and told.
      if verdict(f[1], f[2], f[3], idleDef, absDef, now, skew) ~= 'D' then
        tombstone(KEYS[4 + 2 * (i - 12)], ARGV[6], tombTtl, now)
        table.insert(ended, hm)
      end
    end
    redis.call('ZREM', KEYS[1], hm)
  end
end
countUser(string.sub(KEYS[1], #ARGV[4] + 3), KEYS[1], now)
local batch = tonumber(ARGV[11])
local nextOnes = {}
for _, hm in ipairs(redis.call('ZRANGE', KEYS[1], 0, batch)) do
  if hm ~= keep and #nextOnes < batch then table.insert(nextOnes, hm) end
end
return {wm, ended, nextOnes, redis.call('ZCARD', KEYS[1])}
