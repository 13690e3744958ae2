-- Moves the lease's epoch counter up to at least the newest token seen, so that the next
-- acquisition gets a larger token than one a mesh has already seen (the counter can fall behind
-- when Redis loses writes in a failover).
-- K: epoch (counter). A: newest (token seen). Returns the counter's value.
local current = tonumber(redis.call('GET', K.epoch) or '0')
local newest = tonumber(A.newest)
if current < newest then
  redis.call('SET', K.epoch, A.newest)
  return newest
end
return current
