-- Creates or updates one resource atomically, with its indexes and a change event; a dataplane's
-- contribution to its mesh's counters follows (stats-lib.lua, put in front of this script).
-- K: record, index (names), tagIndex, events, sequence; meshRecord (when given, it must exist);
--    for a dataplane also online, stats, services, names
-- A: mode (create|update|upsert), expected (version, '' = any), now, labels (json), spec (json),
--    tags (entries "key\1value" joined by "\n"), type, mesh, name, maxlen (of the stream);
--    specClass for a dataplane
-- Returns: {status, version, creationTime} where status is created|updated|exists|conflict|not_found|no_mesh
if K.meshRecord and redis.call('EXISTS', K.meshRecord) == 0 then
  return {'no_mesh'}
end

local function split(entries)
  local out = {}
  if entries == nil or entries == false or entries == '' then return out end
  for entry in string.gmatch(entries, '[^\n]+') do out[#out + 1] = entry end
  return out
end

local current = redis.call('HMGET', K.record, 'v', 'ct', 'ti')
local currentVersion, createdAt, oldTags = current[1], current[2], current[3]

if not currentVersion then
  if A.mode == 'update' or A.expected ~= '' then return {'not_found'} end
  local version = redis.call('INCR', K.sequence)
  redis.call('HSET', K.record, 'v', version, 'ct', A.now, 'mt', A.now, 'labels', A.labels, 'spec', A.spec, 'ti', A.tags)
  redis.call('ZADD', K.index, 0, A.name)
  for _, entry in ipairs(split(A.tags)) do redis.call('ZADD', K.tagIndex, 0, entry .. '\1' .. A.name) end
  if A.specClass then qs_restat(K, A.name, {xs = A.specClass}) end
  redis.call('XADD', K.events, 'MAXLEN', '~', A.maxlen, '*', 'op', 'create', 'type', A.type, 'mesh', A.mesh, 'name', A.name, 'version', version)
  return {'created', version, A.now}
end

if A.mode == 'create' then return {'exists', currentVersion} end
if A.expected ~= '' and A.expected ~= currentVersion then return {'conflict', currentVersion} end

local version = redis.call('INCR', K.sequence)
for _, entry in ipairs(split(oldTags)) do redis.call('ZREM', K.tagIndex, entry .. '\1' .. A.name) end
for _, entry in ipairs(split(A.tags)) do redis.call('ZADD', K.tagIndex, 0, entry .. '\1' .. A.name) end
redis.call('HSET', K.record, 'v', version, 'mt', A.now, 'labels', A.labels, 'spec', A.spec, 'ti', A.tags)
if A.specClass then qs_restat(K, A.name, {xs = A.specClass}) end
redis.call('XADD', K.events, 'MAXLEN', '~', A.maxlen, '*', 'op', 'update', 'type', A.type, 'mesh', A.mesh, 'name', A.name, 'version', version)
return {'updated', version, createdAt}
