-- Closes one subscription (sets its disconnectTime and final status) and, when no subscription of
-- the dataplane is left open, takes it out of the online set. The mesh's counters follow
-- (stats-lib.lua and live-lib.lua are put in front of this script). Open subscriptions of replicas
-- that are no longer live (live-lib.lua) do not count, and are closed at A.disconnectTime too. When
-- this closed the last open subscription of a
-- dataplane that exists, the proxy has departed: A.departure ('left': it closed its stream, 'lost':
-- the stream broke) since A.nowMillis goes into the departures hash, and the mesh's change stream
-- says so, for every xDS replica's view.
-- K: insight, online, record (the dataplane's), departures, events, replicas, stats, services, names
-- A: id (the subscription's), disconnectTime (RFC 3339), status (json), name (the dataplane's),
--    departure, nowMillis, mesh, maxlen (of the stream), eventType
-- Returns 2 when the proxy departed, 1 when the subscription was closed, 0 when there is no insight.
local raw = redis.call('GET', K.insight)
if not raw then
  redis.call('ZREM', K.online, A.name)
  qs_restat(K, A.name, {})
  return 0
end
local insight = cjson.decode(raw)
local replicas = ql_replicas(K.replicas)
local now = tonumber(A.nowMillis)
local open = 0
local closedNow = false
for _, s in ipairs(insight['subscriptions'] or {}) do
  if s['id'] == A.id then
    if s['disconnectTime'] == nil or s['disconnectTime'] == cjson.null then
      s['disconnectTime'] = A.disconnectTime
      s['status'] = cjson.decode(A.status)
      closedNow = true
    end
  elseif ql_live(s, replicas, now) then
    open = open + 1
  elseif ql_is_open(s) then
    s['disconnectTime'] = A.disconnectTime -- its replica died without closing it
  end
end
redis.call('SET', K.insight, cjson.encode(insight))
if open == 0 then redis.call('ZREM', K.online, A.name) end
if open == 0 and closedNow and redis.call('EXISTS', K.record) == 1 then
  redis.call('HSET', K.departures, A.name, A.departure .. ':' .. A.nowMillis)
  redis.call('XADD', K.events, 'MAXLEN', '~', A.maxlen, '*', 'op', 'update', 'type', A.eventType, 'mesh', A.mesh, 'name', A.name, 'version', '0')
  qs_restat(K, A.name, {})
  return 2
end
qs_restat(K, A.name, {})
return 1
