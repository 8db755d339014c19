-- delete_all.lua: end every session of a user (optionally sparing one), leave their tombstones,
-- and optionally raise the user's token watermark, whatever the number of sessions.
-- KEYS[1] the user's index, KEYS[2] the user's watermark; with counting, KEYS[3..4] the slot's
-- count sets (prelude)
-- ARGV[1..4] now, default idle, default absolute, key base of the user's slot; ARGV[5] reason char;
-- ARGV[6] tombstone TTL ms; ARGV[7] handle to spare or ''; ARGV[8] new watermark stamp or '' for none;
-- ARGV[9] watermark TTL ms
-- Returns {watermark stamp in force or '', handle of each session ended, ...}.
-- Atomic: one step on one slot, so no session of the user survives and none can be created
-- half-way (logins of the same user run in the same slot, before or after).
local now = tonumber(ARGV[1])
local wm = ''
if ARGV[8] ~= '' then
  wm = raiseWatermark(KEYS[2], ARGV[8], tonumber(ARGV[9]), now)
end
local out = {wm}
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local tombTtl = tonumber(ARGV[6])
for _, hm in ipairs(members) do
  if hm ~= ARGV[7] then
    local key = ARGV[4] .. 's:' .. hm
    local f = redis.call('HMGET', key, 'c', 'a', 'o')
    if f[1] then
      redis.call('DEL', key)
      if not judge(f[1], f[2], f[3], tonumber(ARGV[2]), tonumber(ARGV[3]), now) then
        tombstone(ARGV[4] .. 't:' .. hm, ARGV[5], tombTtl, now)
        table.insert(out, hm)
        countSession(hm, nil, now)
      end
    end
    redis.call('ZREM', KEYS[1], hm)
  end
end
countUser(string.sub(KEYS[1], #ARGV[4] + 3), now)
return out
