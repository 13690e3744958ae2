-- Closes one subscription (sets its disconnectTime and final status) and, when no subscription of
-- the dataplane is left open, takes it out of the online set. The mesh's counters follow
-- (mesh-core's stats-lib.lua is put in front of this script).
-- KEYS: 1 insight, 2 online zset, 3 dataplane record, 4 stats, 5 stats services, 6 stats names
-- ARGV: 1 subscription id, 2 disconnect time (RFC 3339), 3 status json, 4 dataplane name
local counters = {record = KEYS[3], online = KEYS[2], stats = KEYS[4], services = KEYS[5], names = KEYS[6]}
local raw = redis.call('GET', KEYS[1])
if not raw then
  redis.call('ZREM', KEYS[2], ARGV[4])
  qs_restat(counters, ARGV[4], {})
  return 0
end
local insight = cjson.decode(raw)
local open = 0
for _, s in ipairs(insight['subscriptions'] or {}) do
  if s['id'] == ARGV[1] then
    if s['disconnectTime'] == nil or s['disconnectTime'] == cjson.null then
      s['disconnectTime'] = ARGV[2]
      s['status'] = cjson.decode(ARGV[3])
    end
  elseif s['disconnectTime'] == nil or s['disconnectTime'] == cjson.null then
    open = open + 1
  end
end
redis.call('SET', KEYS[1], cjson.encode(insight))
if open == 0 then redis.call('ZREM', KEYS[2], ARGV[4]) end
qs_restat(counters, ARGV[4], {})
return 1
