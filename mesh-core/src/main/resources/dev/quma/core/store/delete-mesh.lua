-- Deletes a mesh atomically, refusing while it still has dataplanes, and deleting its secrets with it
-- (a mesh re-created under the same name must not inherit the old one's signing keys).
-- Every key is in the mesh's hash slot; secret records are addressed by A.secretPrefix .. name.
-- K: record (the mesh's), index (the mesh's own name index), events, sequence, dataplanes (index of
--    the mesh), secrets (index of the mesh), stats, services, names (without dataplanes they hold
--    nothing but the epoch and the time of the last change; the epoch stays, so that it never
--    repeats and a reconcile that began before the mesh was deleted can never take a re-created
--    mesh's counters for unchanged)
-- A: expected (version, '' = any), mesh, maxlen (of the stream), meshType, secretPrefix (of the
--    secret records' keys), secretType
-- Returns: {status, version} where status is deleted|conflict|not_found|not_empty
local record, index, events, seq, dataplanes, secrets = K.record, K.index, K.events, K.sequence, K.dataplanes, K.secrets
local expected, mesh, maxlen, meshType, secretPrefix, secretType = A.expected, A.mesh, A.maxlen, A.meshType, A.secretPrefix, A.secretType

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
local epoch = redis.call('HGET', K.stats, 'epoch')
redis.call('DEL', secrets, record, K.stats, K.services, K.names)
if epoch then redis.call('HSET', K.stats, 'epoch', epoch) end
redis.call('ZREM', index, mesh)
local version = redis.call('INCR', seq)
redis.call('XADD', events, 'MAXLEN', '~', maxlen, '*', 'op', 'delete', 'type', meshType, 'mesh', mesh, 'name', mesh, 'version', version)
return {'deleted', version}
