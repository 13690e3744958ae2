-- Marks one dataplane Offline if nothing was heard from it since the cutoff: closes every open
-- subscription of its insight (disconnectTime = now, as Kuma's subscription finalizer does) and takes
-- it out of the online set, atomically with the re-check of its heartbeat. A sweeper holding an older
-- lease token than the newest seen in this mesh is refused.
-- The mesh's counters follow (stats-lib.lua is put in front of this script).
-- A proxy marked Offline has departed 'offline' since A.nowMillis, unless it left (the xDS tiers'
-- views drop its endpoints, the panic guard no longer holds them), and the change stream says so.
-- K: online, insight, fence (the sweep's), record (the dataplane's), departures, events, stats,
--    services, names
-- A: name, cutoff (epoch ms), now (RFC 3339), token (the lease's), fenceExpiry (ms), nowMillis, mesh,
--    maxlen (of the stream), eventType
-- Returns: 'offline' | 'heard_from' | 'not_online' | 'fenced'
local online, insightKey, fence = K.online, K.insight, K.fence
local name, cutoff, now, token = A.name, tonumber(A.cutoff), A.now, tonumber(A.token)

local newest = tonumber(redis.call('GET', fence) or '0')
if token < newest then return 'fenced' end
local heartbeat = redis.call('ZSCORE', online, name)
if not heartbeat then return 'not_online' end
if tonumber(heartbeat) > cutoff then return 'heard_from' end
if token > newest then redis.call('SET', fence, A.token, 'PX', A.fenceExpiry) end

local function isOpen(subscription)
  return type(subscription) == 'table'
    and subscription.connectTime ~= nil and subscription.connectTime ~= cjson.null
    and (subscription.disconnectTime == nil or subscription.disconnectTime == cjson.null)
end

-- cjson writes an empty table as {}: the insight's list fields are put back as [] after encoding.
local EMPTY_LIST = 'quma_empty_list_2f0c8e' -- no Lua pattern characters: it is used in gsub
local function keepListShape(object, field)
  if type(object) == 'table' and type(object[field]) == 'table' and next(object[field]) == nil then
    object[field] = EMPTY_LIST
  end
end

local document = redis.call('GET', insightKey)
if document then
  local insight = cjson.decode(document)
  local closed = false
  if type(insight.subscriptions) == 'table' then
    for _, subscription in ipairs(insight.subscriptions) do
      if isOpen(subscription) then
        subscription.disconnectTime = now
        closed = true
      end
    end
  end
  if closed then
    keepListShape(insight, 'subscriptions')
    keepListShape(insight.mTLS, 'supportedBackends')
    local encoded = string.gsub(cjson.encode(insight), '"' .. EMPTY_LIST .. '"', '[]')
    redis.call('SET', insightKey, encoded)
  end
end
redis.call('ZREM', online, name)
local departed = redis.call('HGET', K.departures, name)
if redis.call('EXISTS', K.record) == 1 and not (departed and string.sub(departed, 1, 5) == 'left:') then
  redis.call('HSET', K.departures, name, 'offline:' .. A.nowMillis)
  redis.call('XADD', K.events, 'MAXLEN', '~', A.maxlen, '*', 'op', 'update', 'type', A.eventType, 'mesh', A.mesh, 'name', name, 'version', '0')
end
qs_restat(K, name, {})
return 'offline'
