-- Replaces the status of one open subscription (its counters), keeping everything else.
-- Returns 1 when written, 0 when the dataplane or the subscription is gone, and 2 when someone
-- (the lifecycle sweep) closed the subscription meanwhile: the stream then opens a new one.
-- K: record (the dataplane's), insight. A: id (the subscription's), status (json)
if redis.call('EXISTS', K.record) == 0 then return 0 end
local raw = redis.call('GET', K.insight)
if not raw then return 0 end
local insight = cjson.decode(raw)
for _, s in ipairs(insight['subscriptions'] or {}) do
  if s['id'] == A.id then
    if s['disconnectTime'] ~= nil and s['disconnectTime'] ~= cjson.null then return 2 end
    s['status'] = cjson.decode(A.status)
    redis.call('SET', K.insight, cjson.encode(insight))
    return 1
  end
end
return 0
