-- Moves the lease's epoch counter up to at least ARGV[1], so that the next acquisition gets a larger
-- token than one a mesh has already seen (the counter can fall behind when Redis loses writes in a
-- failover).
-- KEYS: 1 epoch counter; ARGV: 1 the newest token seen. Returns the counter's value.
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local newest = tonumber(ARGV[1])
if current < newest then
  redis.call('SET', KEYS[1], ARGV[1])
  return newest
end
return current
