-- Closes one subscription (sets its disconnectTime and final status) and, when no subscription of
-- the dataplane is left open, takes it out of the online set. The mesh's counters follow
-- (stats-lib.lua is put in front of this script).
-- K: insight, online, record (the dataplane's), stats, services, names
-- A: id (the subscription's), disconnectTime (RFC 3339), status (json), name (the dataplane's)
local raw = redis.call('GET', K.insight)
if not raw then
  redis.call('ZREM', K.online, A.name)
  qs_restat(K, A.name, {})
  return 0
end
local insight = cjson.decode(raw)
local open = 0
for _, s in ipairs(insight['subscriptions'] or {}) do
  if s['id'] == A.id then
    if s['disconnectTime'] == nil or s['disconnectTime'] == cjson.null then
      s['disconnectTime'] = A.disconnectTime
      s['status'] = cjson.decode(A.status)
    end
  elseif s['disconnectTime'] == nil or s['disconnectTime'] == cjson.null then
    open = open + 1
  end
end
redis.call('SET', K.insight, cjson.encode(insight))
if open == 0 then redis.call('ZREM', K.online, A.name) end
qs_restat(K, A.name, {})
return 1
