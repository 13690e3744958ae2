-- Also the body of the lifecycle cleanup's conditional delete: ResourceStore puts stale-guard.lua in front.
-- Deletes one resource atomically, with its index entries, its insight and a change event.
-- KEYS: 1 record hash, 2 name index, 3 tag index, 4 event stream, 5 version sequence,
--       6 guard index (must be empty when ARGV[6] == '1'), 7 insight key, 8 last-seen zset,
--       9 online zset
-- ARGV: 1 expected version ('' = any), 2 type, 3 mesh, 4 name, 5 stream max length, 6 guard ('1'|'0')
-- Returns: {status, version} where status is deleted|conflict|not_found|not_empty
local record, index, tagIndex, events, seq, guard, insight, lastSeen, online = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local expected, rtype, mesh, name, maxlen, useGuard = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]

local current = redis.call('HMGET', record, 'v', 'ti')
local currentVersion, tags = current[1], current[2]
if not currentVersion then return {'not_found'} end
if expected ~= '' and expected ~= currentVersion then return {'conflict', currentVersion} end
if useGuard == '1' then
  local remaining = redis.call('ZCARD', guard)
  if remaining > 0 then return {'not_empty', remaining} end
end

if tags and tags ~= '' then
  for entry in string.gmatch(tags, '[^\n]+') do redis.call('ZREM', tagIndex, entry .. '\1' .. name) end
end
redis.call('DEL', record, insight)
redis.call('ZREM', index, name)
redis.call('ZREM', lastSeen, name)
redis.call('ZREM', online, name)
local version = redis.call('INCR', seq)
redis.call('XADD', events, 'MAXLEN', '~', maxlen, '*', 'op', 'delete', 'type', rtype, 'mesh', mesh, 'name', name, 'version', version)
return {'deleted', version}
