-- Which subscriptions are live, put in front of the scripts that ask. A subscription is live when it
-- is open and its replica is: the mesh's replicas hash (instance id -> "START:EXPIRES", epoch ms,
-- written by each xDS replica with its heartbeats) has the replica's heartbeat not yet expired, and
-- the subscription was opened by that run of the replica (connectTime >= START), not by one that
-- crashed and was restarted under the same id. A replica without an entry (one of a version that
-- does not write them) is trusted. Only local functions.

-- RFC 3339 in UTC ("2026-12-02T16:25:10.123Z", as Java writes an Instant) to epoch ms; nil if not.
local function ql_epoch_millis(text)
  if type(text) ~= 'string' then return nil end
  local y, mo, d, h, mi, s, frac = string.match(text, '^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)%.?(%d*)Z$')
  if not y then return nil end
  y, mo = tonumber(y), tonumber(mo)
  if mo <= 2 then y = y - 1; mo = mo + 12 end
  local days = 365 * y + math.floor(y / 4) - math.floor(y / 100) + math.floor(y / 400)
    + math.floor((153 * (mo - 3) + 2) / 5) + tonumber(d) - 719469
  local millis = (((days * 24 + tonumber(h)) * 60 + tonumber(mi)) * 60 + tonumber(s)) * 1000
  if frac ~= '' then millis = millis + math.floor(tonumber('0.' .. frac) * 1000) end
  return millis
end

local function ql_is_open(subscription)
  return type(subscription) == 'table'
    and subscription.connectTime ~= nil and subscription.connectTime ~= cjson.null
    and (subscription.disconnectTime == nil or subscription.disconnectTime == cjson.null)
end

-- The replicas hash as a table: instance id -> {start = ms, expires = ms}.
local function ql_replicas(key)
  local replicas = {}
  local flat = redis.call('HGETALL', key)
  for i = 1, #flat, 2 do
    local start, expires = string.match(flat[i + 1], '^(%d+):(%d+)$')
    if start then replicas[flat[i]] = {start = tonumber(start), expires = tonumber(expires)} end
  end
  return replicas
end

local function ql_live(subscription, replicas, now)
  if not ql_is_open(subscription) then return false end
  local replica = replicas[subscription.controlPlaneInstanceId]
  if not replica then return true end
  if replica.expires < now then return false end
  local connected = ql_epoch_millis(subscription.connectTime)
  return connected == nil or connected >= replica.start
end
