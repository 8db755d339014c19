-- list.lua: the live sessions of a user, pruning the index as it is read.
-- KEYS[1] the user's index
-- ARGV[1..4] now, default idle, default absolute, key base of the user's slot
-- Returns a flat array with a stride of 10 per session: handle, c, a, o, u, n, d, l, g, p
-- ('' where a field is absent).
-- Atomic: one step; entries whose session is gone or expired are removed as they are seen.
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local out = {}
for _, hm in ipairs(members) do
  local key = ARGV[4] .. 's:' .. hm
  local f = redis.call('HMGET', key, 'c', 'a', 'o', 'u', 'n', 'd', 'l', 'g', 'p')
  if not f[1] then
    redis.call('ZREM', KEYS[1], hm)
  elseif judge(f[1], f[2], f[3], tonumber(ARGV[2]), tonumber(ARGV[3]), now) then
    redis.call('DEL', key)
    redis.call('ZREM', KEYS[1], hm)
  else
    table.insert(out, hm)
    for j = 1, 9 do table.insert(out, f[j] or '') end
  end
end
return out
