-- Creates or updates one resource atomically, with its indexes and a change event; a dataplane's
-- contribution to its mesh's counters follows (stats-lib.lua, put in front of this script).
-- KEYS: 1 record hash, 2 name index (zset), 3 tag index (zset), 4 event stream, 5 version sequence,
--       6 mesh record (checked when ARGV[11] == '1'), 7 online zset, 8 stats, 9 stats services,
--       10 stats names (7-10 used only with a spec class)
-- ARGV: 1 mode (create|update|upsert), 2 expected version ('' = any), 3 now, 4 labels json, 5 spec json,
--       6 tag entries ("key\1value" joined by "\n"), 7 type, 8 mesh, 9 name, 10 stream max length,
--       11 check mesh ('1'|'0'), 12 spec class of a dataplane ('' for other types)
-- Returns: {status, version, creationTime} where status is created|updated|exists|conflict|not_found|no_mesh
local record, index, tagIndex, events, seq, meshRecord = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local mode, expected, now, labels, spec, tags = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local rtype, mesh, name, maxlen, checkMesh, specClass = ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11], ARGV[12]
local counters = {record = record, online = KEYS[7], stats = KEYS[8], services = KEYS[9], names = KEYS[10]}

if checkMesh == '1' and redis.call('EXISTS', meshRecord) == 0 then
  return {'no_mesh'}
end

local function split(entries)
  local out = {}
  if entries == nil or entries == false or entries == '' then return out end
  for entry in string.gmatch(entries, '[^\n]+') do out[#out + 1] = entry end
  return out
end

local current = redis.call('HMGET', record, 'v', 'ct', 'ti')
local currentVersion, createdAt, oldTags = current[1], current[2], current[3]

if not currentVersion then
  if mode == 'update' or expected ~= '' then return {'not_found'} end
  local version = redis.call('INCR', seq)
  redis.call('HSET', record, 'v', version, 'ct', now, 'mt', now, 'labels', labels, 'spec', spec, 'ti', tags)
  redis.call('ZADD', index, 0, name)
  for _, entry in ipairs(split(tags)) do redis.call('ZADD', tagIndex, 0, entry .. '\1' .. name) end
  if specClass ~= '' then qs_restat(counters, name, {xs = specClass}) end
  redis.call('XADD', events, 'MAXLEN', '~', maxlen, '*', 'op', 'create', 'type', rtype, 'mesh', mesh, 'name', name, 'version', version)
  return {'created', version, now}
end

if mode == 'create' then return {'exists', currentVersion} end
if expected ~= '' and expected ~= currentVersion then return {'conflict', currentVersion} end

local version = redis.call('INCR', seq)
for _, entry in ipairs(split(oldTags)) do redis.call('ZREM', tagIndex, entry .. '\1' .. name) end
for _, entry in ipairs(split(tags)) do redis.call('ZADD', tagIndex, 0, entry .. '\1' .. name) end
redis.call('HSET', record, 'v', version, 'mt', now, 'labels', labels, 'spec', spec, 'ti', tags)
if specClass ~= '' then qs_restat(counters, name, {xs = specClass}) end
redis.call('XADD', events, 'MAXLEN', '~', maxlen, '*', 'op', 'update', 'type', rtype, 'mesh', mesh, 'name', name, 'version', version)
return {'updated', version, createdAt}
