-- watermark.lua: raise a "not before" watermark; a watermark never moves backwards.
-- KEYS[1] the watermark (a user's, or one slot's copy of the global one)
-- ARGV[1] now ms, ARGV[2] the new watermark ms, ARGV[3] how long to keep it, ms
-- Returns the watermark in force afterwards, ms, as a string.
-- Atomic: read-compare-write in one step, so racing raises keep the highest.
local now = tonumber(ARGV[1])
local w = tonumber(ARGV[2])
local cur = redis.call('GET', KEYS[1])
if cur then
  local cw, cu = string.match(cur, '^(%d+):(%d+)$')
  if cw and tonumber(cu) > now and tonumber(cw) > w then w = tonumber(cw) end
end
local ttl = tonumber(ARGV[3])
redis.call('SET', KEYS[1], fmt(w) .. ':' .. fmt(now + ttl), 'PX', fmt(ttl))
return fmt(w)
