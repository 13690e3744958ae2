-- Takes the lease if nobody holds it: the holder's value gets the next token of the lease's epoch
-- counter, so every acquisition has a larger token than the one before (a fencing value).
-- KEYS: 1 lease, 2 epoch counter
-- ARGV: 1 holder id, 2 time to live (ms)
-- Returns: {'acquired', value, token} or {'held', current value}
local current = redis.call('GET', KEYS[1])
if current then return {'held', current} end
local token = redis.call('INCR', KEYS[2])
local value = ARGV[1] .. '#' .. token
redis.call('SET', KEYS[1], value, 'NX', 'PX', ARGV[2])
return {'acquired', value, token}
