-- Deletes a mesh atomically, refusing while it still has dataplanes, and deleting its secrets with it
-- (a mesh re-created under the same name must not inherit the old one's signing keys).
-- Every key is in the mesh's hash slot; secret records are addressed by ARGV[5] .. name.
-- KEYS: 1 mesh record, 2 mesh's own name index, 3 event stream, 4 version sequence,
--       5 dataplane index of the mesh, 6 secret index of the mesh, 7 stats, 8 stats services,
--       9 stats names (without dataplanes they hold nothing but the epoch and the time of the last
--       change; the epoch stays, so that it never repeats and a reconcile that began before the mesh
--       was deleted can never take a re-created mesh's counters for unchanged)
-- ARGV: 1 expected version ('' = any), 2 mesh name, 3 stream max length, 4 Mesh type name,
--       5 secret record key prefix, 6 Secret type name
-- Returns: {status, version} where status is deleted|conflict|not_found|not_empty
local record, index, events, seq, dataplanes, secrets = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local expected, mesh, maxlen, meshType, secretPrefix, secretType = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]

local currentVersion = redis.call('HGET', record, 'v')
if not currentVersion then return {'not_found'} end
if expected ~= '' and expected ~= currentVersion then return {'conflict', currentVersion} end
local remaining = redis.call('ZCARD', dataplanes)
if remaining > 0 then return {'not_empty', remaining} end

for _, secret in ipairs(redis.call('ZRANGE', secrets, 0, -1)) do
  redis.call('DEL', secretPrefix .. secret)
  local v = redis.call('INCR', seq)
  redis.call('XADD', events, 'MAXLEN', '~', maxlen, '*', 'op', 'delete', 'type', secretType, 'mesh', mesh, 'name', secret, 'version', v)
end
local epoch = redis.call('HGET', KEYS[7], 'epoch')
redis.call('DEL', secrets, record, KEYS[7], KEYS[8], KEYS[9])
if epoch then redis.call('HSET', KEYS[7], 'epoch', epoch) end
redis.call('ZREM', index, mesh)
local version = redis.call('INCR', seq)
redis.call('XADD', events, 'MAXLEN', '~', maxlen, '*', 'op', 'delete', 'type', meshType, 'mesh', mesh, 'name', mesh, 'version', version)
return {'deleted', version}
