-- Takes the lease if nobody holds it: the holder's value gets the next token of the lease's epoch
-- counter, so every acquisition has a larger token than the one before (a fencing value).
-- K: lease, epoch (counter). A: holder (id), ttl (ms).
-- Returns: {'acquired', value, token} or {'held', current value}
local current = redis.call('GET', K.lease)
if current then return {'held', current} end
local token = redis.call('INCR', K.epoch)
local value = A.holder .. '#' .. token
redis.call('SET', K.lease, value, 'NX', 'PX', A.ttl)
return {'acquired', value, token}
