-- restore.lua: undo take.lua when the login it was for was refused (OnLimit.REJECT_NEW): put the
-- session back as it was, unless something took its place meanwhile.
-- KEYS[1] session hash; with counting, KEYS[2..3] the slot's count sets (prelude)
-- ARGV[1..4] now, default idle, default absolute, key base; ARGV[5] handle; ARGV[6..] flat hash
-- Returns 1 if restored, 0 if not (expired meanwhile, or the key exists).
-- Atomic: one step; a restored session is exactly the taken one, with its index entry.
local now = tonumber(ARGV[1])
if redis.call('EXISTS', KEYS[1]) > 0 then return 0 end
local m = {}
for i = 6, #ARGV, 2 do m[ARGV[i]] = ARGV[i + 1] end
local expired, e = judge(m['c'], m['a'], m['o'], tonumber(ARGV[2]), tonumber(ARGV[3]), now)
if expired then return 0 end
hsetFrom(KEYS[1], ARGV, 6)
redis.call('PEXPIRE', KEYS[1], fmt(e - now))
if m['k'] then indexAdd(ARGV[4] .. 'u:' .. m['k'], ARGV[5], e, now) end
countSession(ARGV[5], e, now)
countUser(m['k'], now)
return 1
