-- Guard that ResourceStore puts in front of delete.lua to make the lifecycle cleanup's delete:
-- the dataplane goes only while it is still offline, has not been heard from since the cutoff, and
-- the sweeper holds the newest lease token seen in this mesh. delete.lua then checks the version
-- the sweeper read (ARGV[1]) and deletes, with its indexes, insight, heartbeats and change event.
-- KEYS: as delete.lua, plus 10 sweep fence
-- ARGV: as delete.lua, plus 7 last-seen cutoff (epoch ms), 8 lease token, 9 fence expiry (ms)
-- Returns, besides delete.lua's answers: {'fenced', newest token}, {'online'}, {'seen_recently'},
--   {'never_connected'}
do
  local name, cutoff, token = ARGV[4], tonumber(ARGV[7]), tonumber(ARGV[8])
  local newest = tonumber(redis.call('GET', KEYS[10]) or '0')
  if token < newest then return {'fenced', tostring(newest)} end
  if redis.call('ZSCORE', KEYS[9], name) then return {'online'} end
  local seen = redis.call('ZSCORE', KEYS[8], name)
  if not seen then return {'never_connected'} end
  if tonumber(seen) > cutoff then return {'seen_recently'} end
  if token > newest then redis.call('SET', KEYS[10], ARGV[8], 'PX', ARGV[9]) end
end
