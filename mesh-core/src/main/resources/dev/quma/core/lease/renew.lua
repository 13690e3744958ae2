-- Extends the lease only while it still holds the caller's value (compare and set).
-- K: lease. A: value (the holder's), ttl (ms). Returns 1 if renewed, else 0.
if redis.call('GET', K.lease) == A.value then
  redis.call('PEXPIRE', K.lease, A.ttl)
  return 1
end
return 0
