-- Writes a dataplane's insight and heartbeat, only while the dataplane exists; the mesh's counters
-- follow (stats-lib.lua is put in front of this script).
-- KEYS: 1 dataplane record, 2 insight, 3 lastseen zset, 4 online zset, 5 stats, 6 stats services,
--       7 stats names
-- ARGV: 1 insight json, 2 heartbeat (epoch ms), 3 name, 4 online ('1'|'0'), 5 insight class
-- Returns 1 when written, 0 when the dataplane does not exist.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
if ARGV[4] == '1' then
  redis.call('ZADD', KEYS[4], ARGV[2], ARGV[3])
else
  redis.call('ZREM', KEYS[4], ARGV[3])
end
qs_restat({record = KEYS[1], online = KEYS[4], stats = KEYS[5], services = KEYS[6], names = KEYS[7]}, ARGV[3], {xi = ARGV[5]})
return 1
