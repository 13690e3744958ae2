-- Gives the lease up only while it still holds the caller's value (compare and delete).
-- KEYS: 1 lease; ARGV: 1 the holder's value. Returns 1 if released, else 0.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
