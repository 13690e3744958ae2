-- Deletes one resource atomically, with its index entries and a change event; a dataplane also with
-- its insight, heartbeats and contribution to the mesh's counters (stats-lib.lua is put in front).
-- Also the body of the lifecycle cleanup's conditional delete (stale-guard.lua goes before it).
-- K: record, index (names), tagIndex, events, sequence; for a dataplane also insight, lastSeen,
--    online, departures, probes, stats, services, names
-- A: expected (version, '' = any), type, mesh, name, maxlen (of the stream)
-- Returns: {status, version} where status is deleted|conflict|not_found
local current = redis.call('HMGET', K.record, 'v', 'ti', 'xc')
local currentVersion, tags, counted = current[1], current[2], current[3]
if not currentVersion then return {'not_found'} end
if A.expected ~= '' and A.expected ~= currentVersion then return {'conflict', currentVersion} end

if tags and tags ~= '' then
  for entry in string.gmatch(tags, '[^\n]+') do redis.call('ZREM', K.tagIndex, entry .. '\1' .. A.name) end
end
redis.call('DEL', K.record)
redis.call('ZREM', K.index, A.name)
if K.insight then
  redis.call('DEL', K.insight)
  redis.call('ZREM', K.lastSeen, A.name)
  redis.call('ZREM', K.online, A.name)
  redis.call('HDEL', K.departures, A.name)
  redis.call('HDEL', K.probes, A.name)
  qs_forget(K, counted)
end
local version = redis.call('INCR', K.sequence)
redis.call('XADD', K.events, 'MAXLEN', '~', A.maxlen, '*', 'op', 'delete', 'type', A.type, 'mesh', A.mesh, 'name', A.name, 'version', version)
return {'deleted', version}
