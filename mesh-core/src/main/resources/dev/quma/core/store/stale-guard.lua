-- Guard that the lifecycle cleanup puts in front of delete.lua: the dataplane goes only while it is
-- still offline, has not been heard from since the cutoff, and the sweeper holds the newest lease
-- token seen in this mesh. delete.lua then checks the version the sweeper read (A.expected) and
-- deletes, with its indexes, insight, heartbeats and change event.
-- K: as delete.lua for a dataplane, plus fence (the sweep's)
-- A: as delete.lua, plus cutoff (last seen, epoch ms), token (the lease's), fenceExpiry (ms)
-- Returns, besides delete.lua's answers: {'fenced', newest token}, {'online'}, {'seen_recently'},
--   {'never_connected'}
do
  local cutoff, token = tonumber(A.cutoff), tonumber(A.token)
  local newest = tonumber(redis.call('GET', K.fence) or '0')
  if token < newest then return {'fenced', tostring(newest)} end
  if redis.call('ZSCORE', K.online, A.name) then return {'online'} end
  local seen = redis.call('ZSCORE', K.lastSeen, A.name)
  if not seen then return {'never_connected'} end
  if tonumber(seen) > cutoff then return {'seen_recently'} end
  if token > newest then redis.call('SET', K.fence, A.token, 'PX', A.fenceExpiry) end
end
