-- Heartbeats of the proxies one replica serves in one mesh: refreshes their scores in lastseen and
-- online. Returns the names that are no longer in online (the lifecycle sweep closed them while this
-- replica could not reach Redis): their streams open a fresh subscription.
-- KEYS: 1 lastseen zset, 2 online zset
-- ARGV: 1 now (epoch ms), 2.. dataplane names
local lost = {}
for i = 2, #ARGV do
  local name = ARGV[i]
  if redis.call('ZSCORE', KEYS[2], name) then
    redis.call('ZADD', KEYS[2], ARGV[1], name)
    redis.call('ZADD', KEYS[1], ARGV[1], name)
  else
    lost[#lost + 1] = name
  end
end
return lost
