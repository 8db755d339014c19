-- count.lua: the cluster-wide counts of RedisOptions.Counting.EXACT on a standalone or Sentinel
-- server, in one command (on Cluster the store pipelines one ZCOUNT per set instead).
-- KEYS[1..T] every slot's set of counted sessions, KEYS[T+1..2T] every slot's set of counted users
-- ARGV[1] now ms, ARGV[2] T
-- Returns {live sessions, signed-in users}: members scored after now.
-- Atomic: one script, so both figures are of one instant. Read-only.
local now = '(' .. ARGV[1]
local t = tonumber(ARGV[2])
local sessions, users = 0, 0
for i = 1, t do
  sessions = sessions + redis.call('ZCOUNT', KEYS[i], now, '+inf')
  users = users + redis.call('ZCOUNT', KEYS[t + i], now, '+inf')
end
return {sessions, users}
