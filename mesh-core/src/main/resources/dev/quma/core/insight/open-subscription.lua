-- Adds a subscription to a dataplane's insight (keeping the last A.keep; closed ones are dropped
-- first) and records the heartbeat, but only while the dataplane exists. The mesh's counters follow
-- (stats-lib.lua is put in front of this script).
-- A proxy that had departed is back: its departure goes, and the mesh's change stream says so.
-- The replica's entry in the mesh's replicas hash is renewed (see live-lib.lua).
-- A proxy instance (A.proxyInstance, '' = unknown) opens nothing while another known instance holds
-- a live subscription (live-lib.lua, put in front too) under a name whose heartbeat is recent
-- (online score >= A.heldSince): two proxies never share a name. Answers {2, the holder's replica,
-- its connectTime}; else {0} (no dataplane) or {1} (opened). The instance is kept in the
-- subscription as proxyInstance.
-- K: record (the dataplane's), insight, lastSeen, online, departures, events, replicas, stats,
--    services, names
-- A: subscription (json), now (epoch ms), name (the dataplane's), keep, kumaDp (version), envoy
--    (version, as counted, '' = unknown), mesh, maxlen (of the stream), eventType, instance,
--    replica ("START:EXPIRES"), proxyInstance, heldSince (epoch ms)
if redis.call('EXISTS', K.record) == 0 then return {0} end
local raw = redis.call('GET', K.insight)
local insight = raw and cjson.decode(raw) or {}
local subscriptions = insight['subscriptions']
if type(subscriptions) ~= 'table' then subscriptions = {} end
if A.proxyInstance ~= '' then
  local score = redis.call('ZSCORE', K.online, A.name)
  if score and tonumber(score) >= tonumber(A.heldSince) then
    local replicas = ql_replicas(K.replicas)
    for _, s in ipairs(subscriptions) do
      local holder = type(s) == 'table' and s['proxyInstance'] or nil
      if type(holder) == 'string' and holder ~= '' and holder ~= A.proxyInstance
          and ql_live(s, replicas, tonumber(A.now)) then
        local replica = s['controlPlaneInstanceId']
        local since = s['connectTime']
        return {2, type(replica) == 'string' and replica or '', type(since) == 'string' and since or ''}
      end
    end
  end
end
local opened = cjson.decode(A.subscription)
if A.proxyInstance ~= '' then opened['proxyInstance'] = A.proxyInstance end
table.insert(subscriptions, opened)
local keep = tonumber(A.keep)
while #subscriptions > keep do
  local dropped = false
  for i, s in ipairs(subscriptions) do
    if s['disconnectTime'] ~= nil and s['disconnectTime'] ~= cjson.null then
      table.remove(subscriptions, i)
      dropped = true
      break
    end
  end
  if not dropped then table.remove(subscriptions, 1) end
end
insight['subscriptions'] = subscriptions
redis.call('SET', K.insight, cjson.encode(insight))
redis.call('ZADD', K.lastSeen, A.now, A.name)
redis.call('ZADD', K.online, A.now, A.name)
if A.instance ~= '' then redis.call('HSET', K.replicas, A.instance, A.replica) end
if redis.call('HDEL', K.departures, A.name) == 1 then
  redis.call('XADD', K.events, 'MAXLEN', '~', A.maxlen, '*', 'op', 'update', 'type', A.eventType, 'mesh', A.mesh, 'name', A.name, 'version', '0')
end
qs_restat(K, A.name, {kumaDp = A.kumaDp, envoy = A.envoy})
return {1}
