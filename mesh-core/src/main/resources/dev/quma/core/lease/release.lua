-- Gives the lease up only while it still holds the caller's value (compare and delete).
-- K: lease. A: value (the holder's). Returns 1 if released, else 0.
if redis.call('GET', K.lease) == A.value then
  redis.call('DEL', K.lease)
  return 1
end
return 0
