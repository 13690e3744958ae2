-- Extends the lease only while it still holds the caller's value (compare and set).
-- KEYS: 1 lease; ARGV: 1 the holder's value, 2 time to live (ms). Returns 1 if renewed, else 0.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
