-- Replaces the status of one open subscription (its counters), keeping everything else.
-- Returns 1 when written, 0 when the dataplane or the subscription is gone, and 2 when someone
-- (the lifecycle sweep) closed the subscription meanwhile: the stream then opens a new one.
-- KEYS: 1 dataplane record, 2 insight
-- ARGV: 1 subscription id, 2 status json
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local raw = redis.call('GET', KEYS[2])
if not raw then return 0 end
local insight = cjson.decode(raw)
for _, s in ipairs(insight['subscriptions'] or {}) do
  if s['id'] == ARGV[1] then
    if s['disconnectTime'] ~= nil and s['disconnectTime'] ~= cjson.null then return 2 end
    s['status'] = cjson.decode(ARGV[2])
    redis.call('SET', KEYS[2], cjson.encode(insight))
    return 1
  end
end
return 0
