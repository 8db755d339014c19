-- take.lua: first step of a login whose current session lives in another slot than the user's:
-- read the current session and delete it, in one step, so that no other request can use it while
-- it moves.
-- KEYS[1] session hash; with counting, KEYS[2..3] the slot's count sets (prelude)
-- ARGV[1..4] now, default idle, default absolute, key base; ARGV[5] handle
-- Returns {0} not live | {2, reason, userId} found expired and deleted now | {1, flat hash}.
-- Atomic: read and delete are one step; two logins racing on one session cannot both carry it.
local now = tonumber(ARGV[1])
local h = redis.call('HGETALL', KEYS[1])
if #h == 0 then return {0} end
local m = toMap(h)
local expired, e, idle, abs = judge(m['c'], m['a'], m['o'], tonumber(ARGV[2]), tonumber(ARGV[3]), now)
redis.call('DEL', KEYS[1])
if m['k'] then redis.call('ZREM', ARGV[4] .. 'u:' .. m['k'], ARGV[5]) end
if expired then
  return {2, expiryReason(tonumber(m['c']), tonumber(m['a']), idle, abs), m['u'] or ''}
end
countSession(ARGV[5], nil, now)
countUser(m['k'], now)
return {1, h}
