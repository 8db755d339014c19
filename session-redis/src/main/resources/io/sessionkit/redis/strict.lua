-- strict.lua: test mode only, prepended before prelude.lua when the system property
-- sessionkit.redis.strictKeys is set (see LuaScript). It shadows `redis` for the rest of the
-- script with a wrapper whose call and pcall fail on any key not declared in KEYS, and on any
-- command whose key positions are not in the table below, the way ElastiCache Serverless,
-- Dragonfly or Kvrocks' strict mode refuse undeclared keys.
-- KEYS, ARGV: those of the script it guards. Returns: nothing of its own; raises
-- "undeclared key" errors.
-- Atomic: it only checks; every command still runs inside the one script.
local redis = (function(real)
  local declared = {}
  for _, k in ipairs(KEYS) do declared[k] = true end
  -- command -> key positions: a number n (the n-th argument), 'all' (every argument), 0 (none)
  local positions = {
    get = 1, set = 1, strlen = 1, incr = 1, incrby = 1, getdel = 1, getex = 1, setnx = 1,
    hgetall = 1, hmget = 1, hget = 1, hset = 1, hsetnx = 1, hdel = 1, hstrlen = 1, hexists = 1,
    hlen = 1, hkeys = 1, hvals = 1, hincrby = 1,
    pexpire = 1, pexpireat = 1, expire = 1, expireat = 1, pttl = 1, ttl = 1, persist = 1, type = 1,
    zadd = 1, zrem = 1, zrange = 1, zrangebyscore = 1, zrevrange = 1, zremrangebyscore = 1,
    zremrangebyrank = 1, zcard = 1, zscore = 1, zcount = 1, zrank = 1,
    sadd = 1, srem = 1, smembers = 1, sismember = 1, scard = 1,
    del = 'all', unlink = 'all', exists = 'all', mget = 'all', touch = 'all',
    copy = 2, rename = 2,
    time = 0, ping = 0, publish = 0, spublish = 0,
  }
  local function check(cmd, ...)
    local c = string.lower(tostring(cmd))
    local pos = positions[c]
    if pos == nil then error('strict keys: command ' .. c .. ' has no key table entry', 3) end
    local args = {...}
    local last = 0
    if pos == 'all' then last = #args else last = pos end
    for i = 1, last do
      local k = args[i]
      if not declared[k] then
        error('strict keys: undeclared key accessed by ' .. c .. ': ' .. tostring(k), 3)
      end
    end
  end
  return setmetatable({
    call = function(cmd, ...)
      check(cmd, ...)
      return real.call(cmd, ...)
    end,
    pcall = function(cmd, ...)
      local ok, err = pcall(check, cmd, ...)
      if not ok then return real.error_reply(tostring(err)) end
      return real.pcall(cmd, ...)
    end,
  }, {__index = real})
end)(redis)
