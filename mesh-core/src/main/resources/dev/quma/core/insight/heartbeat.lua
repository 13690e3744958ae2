-- Heartbeats of the proxies one replica serves in one mesh: refreshes their scores in lastSeen and
-- online. Returns the names that are no longer in online (the lifecycle sweep closed them while this
-- replica could not reach Redis): their streams open a fresh subscription.
-- It also renews the replica's own entry in the mesh's replicas hash (see live-lib.lua).
-- K: lastSeen, online, replicas. A: now (epoch ms), instance, replica ("START:EXPIRES"), names
if A.instance ~= '' then redis.call('HSET', K.replicas, A.instance, A.replica) end
local lost = {}
for _, name in ipairs(A.names) do
  if redis.call('ZSCORE', K.online, name) then
    redis.call('ZADD', K.online, A.now, name)
    redis.call('ZADD', K.lastSeen, A.now, name)
  else
    lost[#lost + 1] = name
  end
end
return lost
