-- Adds a subscription to a dataplane's insight (keeping the last ARGV[4]; closed ones are dropped
-- first) and records the heartbeat, but only while the dataplane exists. The mesh's counters follow
-- (mesh-core's stats-lib.lua is put in front of this script).
-- KEYS: 1 dataplane record, 2 insight, 3 lastseen zset, 4 online zset, 5 stats, 6 stats services,
--       7 stats names
-- ARGV: 1 subscription json, 2 now (epoch ms), 3 dataplane name, 4 subscriptions to keep,
--       5 kuma-dp version, 6 Envoy version (as counted, '' = unknown)
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local raw = redis.call('GET', KEYS[2])
local insight = raw and cjson.decode(raw) or {}
local subscriptions = insight['subscriptions']
if type(subscriptions) ~= 'table' then subscriptions = {} end
table.insert(subscriptions, cjson.decode(ARGV[1]))
local keep = tonumber(ARGV[4])
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
redis.call('SET', KEYS[2], cjson.encode(insight))
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[3])
qs_restat({record = KEYS[1], online = KEYS[4], stats = KEYS[5], services = KEYS[6], names = KEYS[7]},
  ARGV[3], {kumaDp = ARGV[5], envoy = ARGV[6]})
return 1
