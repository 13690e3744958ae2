-- Closes the open subscriptions of one dataplane whose replicas are no longer live (live-lib.lua is
-- put in front, after stats-lib.lua): a replica that crashed never closed them. When none is left
-- live, the dataplane leaves the online set and has departed 'lost' since A.nowMillis (unless it
-- departed already), with a change event, so the xDS tiers' views drop its endpoints after their
-- grace period. A sweeper holding an older lease token than the newest seen in this mesh is refused.
-- K: online, insight, fence (the sweep's), replicas, record (the dataplane's), departures, events,
--    stats, services, names
-- A: name, nowMillis, now (RFC 3339), token (the lease's), fenceExpiry (ms), mesh, maxlen, eventType
-- Returns: 'closed' | 'live' | 'not_online' | 'fenced'
local newest = tonumber(redis.call('GET', K.fence) or '0')
local token = tonumber(A.token)
if token < newest then return 'fenced' end
if not redis.call('ZSCORE', K.online, A.name) then return 'not_online' end
local replicas = ql_replicas(K.replicas)
local now = tonumber(A.nowMillis)
local raw = redis.call('GET', K.insight)
local insight = raw and cjson.decode(raw) or nil
local closed = 0
if insight then
  for _, s in ipairs(insight['subscriptions'] or {}) do
    if ql_live(s, replicas, now) then return 'live' end
  end
  for _, s in ipairs(insight['subscriptions'] or {}) do
    if ql_is_open(s) then
      s['disconnectTime'] = A.now
      closed = closed + 1
    end
  end
end
if token > newest then redis.call('SET', K.fence, A.token, 'PX', A.fenceExpiry) end
if closed > 0 then redis.call('SET', K.insight, cjson.encode(insight)) end
redis.call('ZREM', K.online, A.name)
if redis.call('EXISTS', K.record) == 1 and redis.call('HEXISTS', K.departures, A.name) == 0 then
  redis.call('HSET', K.departures, A.name, 'lost:' .. A.nowMillis)
  redis.call('XADD', K.events, 'MAXLEN', '~', A.maxlen, '*', 'op', 'update', 'type', A.eventType, 'mesh', A.mesh, 'name', A.name, 'version', '0')
end
qs_restat(K, A.name, {})
return 'closed'
