-- list.lua: the live sessions of a user among the handles the caller read from the index,
-- pruning the entries whose session is gone or expired beyond the clock skew.
-- KEYS[1] the user's index, KEYS[2..] the session hash of each handle in ARGV[7..]
-- ARGV[1..5] now, default idle, default absolute, key base of the user's slot, clock skew ms;
-- ARGV[6] userId; ARGV[7..] handles
-- Returns a flat array with a stride of 10 per session: handle, c, a, o, u, n, d, l, g, p
-- ('' where a field is absent).
-- Atomic: one step; bounded by the number of handles the caller passes. A session expired by this
-- server's clock but within the skew is not listed, and not removed.
local now = tonumber(ARGV[1])
local idleDef, absDef = tonumber(ARGV[2]), tonumber(ARGV[3])
local skew = tonumber(ARGV[5])
local out = {}
for i = 7, #ARGV do
  local hm = ARGV[i]
  local key = KEYS[i - 5]
  local f = redis.call('HMGET', key, 'c', 'a', 'o', 'u', 'n', 'd', 'l', 'g', 'p')
  if not f[1] or f[4] ~= ARGV[6] then
    redis.call('ZREM', KEYS[1], hm)
  else
    local v = verdict(f[1], f[2], f[3], idleDef, absDef, now, skew)
    if v == 'D' then
      redis.call('DEL', key)
      redis.call('ZREM', KEYS[1], hm)
    elseif v == 'L' then
      table.insert(out, hm)
      for j = 1, 9 do table.insert(out, f[j] or '') end
    end
  end
end
return out
