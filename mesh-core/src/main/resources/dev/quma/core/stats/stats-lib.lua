-- The dataplane counters of a mesh (what GET /mesh-insights/{mesh} shows), kept current by every
-- script that changes what they count. Put in front of those scripts (LuaScript.load joins it), it
-- only defines local functions. Each dataplane record remembers what it adds to the counters:
--   xs  spec class:    KIND \t READINESS [\t SERVICEKIND \1 SERVICE]...
--       KIND standard|gatewayBuiltin|gatewayDelegated, READINESS ready|degraded|down (of the inbounds
--       that are not Ignored), or their list when some has a service probe (see qs_readiness),
--       SERVICEKIND internal|gatewayBuiltin|gatewayDelegated
--   xi  insight class: KUMADP \t ENVOY \t MTLS(0|1) \t ISSUEDBACKEND [\t SUPPORTEDBACKEND]...
--       versions of the latest subscription ('' = unknown)
--   xc  the contribution counted now: STATUS \n xs \n xi, STATUS online|offline|partiallyDegraded
-- A change recomputes xc (status from xs and membership of the online set) and, when it differs,
-- subtracts the old contribution and adds the new one, as net deltas. Keys (all in the mesh's slot):
--   stats     hash dp|KIND|STATUS, kumaDp|VERSION|STATUS, envoy|VERSION|STATUS,
--             issued|BACKEND|STATUS, supported|BACKEND|STATUS, svc|SERVICEKIND|STATUS ('|' is \1),
--             epoch (+1 on every change), mt (epoch ms of the last change)
--   services  hash t|SERVICEKIND|SERVICE, o|SERVICEKIND|SERVICE: its dataplanes, its online ones
--   names     hash SERVICE -> dataplanes carrying it (HLEN: distinct services)
-- Fields that reach zero are deleted, so every hash stays as small as what it counts.
local QS_SEP = '\1'

local function qs_split(text, separator)
  local out = {}
  if not text or text == '' then return out end
  local from = 1
  while true do
    local at = string.find(text, separator, from, true)
    if not at then
      out[#out + 1] = string.sub(text, from)
      return out
    end
    out[#out + 1] = string.sub(text, from, at - 1)
    from = at + 1
  end
end

local function qs_status(kind, readiness, online)
  if not online then return 'offline' end
  if kind ~= 'standard' then return 'online' end -- a gateway counts its inbounds as ready
  if readiness == 'down' then return 'offline' end
  if readiness == 'degraded' then return 'partiallyDegraded' end
  return 'online'
end

-- The readiness of a dataplane's inbounds, from its spec class's READINESS and the probe results
-- stored for it ("SINCE;R;PORT=H,...", or false for none). A proxy whose readiness reporter fails
-- (R 0) has no ready inbound. A summary (ready|degraded|down) is final otherwise; a per-inbound
-- list ("p" PORT=R[p],...) takes a probed inbound as ready only when the spec and its last probe
-- result both say so (no result yet: not ready).
local function qs_readiness(readiness, probes)
  local results = {}
  if probes then
    local parts = qs_split(probes, ';')
    if parts[2] == '0' then return 'down' end
    for _, result in ipairs(qs_split(parts[3] or '', ',')) do
      local at = string.find(result, '=', 1, true)
      if at then results[string.sub(result, 1, at - 1)] = string.sub(result, at + 1) end
    end
  end
  if string.sub(readiness, 1, 1) ~= 'p' then return readiness end
  local counted, notReady = 0, 0
  for _, inbound in ipairs(qs_split(string.sub(readiness, 2), ',')) do
    local at = string.find(inbound, '=', 1, true)
    local port, state = string.sub(inbound, 1, at - 1), string.sub(inbound, at + 1)
    counted = counted + 1
    local ready = string.sub(state, 1, 1) == '1'
    if ready and string.sub(state, 2) == 'p' then ready = results[port] == '1' end
    if not ready then notReady = notReady + 1 end
  end
  if notReady == counted then return 'down' end
  if notReady > 0 then return 'degraded' end
  return 'ready'
end

local function qs_service_status(total, online)
  if total <= 0 then return nil end
  if online <= 0 then return 'offline' end
  if online >= total then return 'online' end
  return 'partiallyDegraded'
end

local function qs_version(text)
  if text == nil or text == '' then return 'unknown' end
  return text
end

-- Adds sign x (a contribution) to the pending deltas.
local function qs_accumulate(acc, xc, sign)
  local parts = qs_split(xc, '\n')
  local status = parts[1]
  local spec = qs_split(parts[2], '\t')
  local insight = qs_split(parts[3], '\t')
  local function add(field)
    acc.stats[field] = (acc.stats[field] or 0) + sign
  end
  add('dp' .. QS_SEP .. spec[1] .. QS_SEP .. status)
  add('kumaDp' .. QS_SEP .. qs_version(insight[1]) .. QS_SEP .. status)
  add('envoy' .. QS_SEP .. qs_version(insight[2]) .. QS_SEP .. status)
  if insight[3] == '1' then
    add('issued' .. QS_SEP .. (insight[4] or '') .. QS_SEP .. status)
    for i = 5, #insight do add('supported' .. QS_SEP .. insight[i] .. QS_SEP .. status) end
  end
  local online = 0
  if status == 'online' then online = sign end
  for i = 3, #spec do
    local service = spec[i]
    local delta = acc.services[service]
    if not delta then
      delta = {0, 0}
      acc.services[service] = delta
    end
    delta[1] = delta[1] + sign
    delta[2] = delta[2] + online
    local name = string.sub(service, string.find(service, QS_SEP, 1, true) + 1)
    acc.names[name] = (acc.names[name] or 0) + sign
  end
end

local function qs_bump(key, field, n)
  if n == 0 then return end
  if redis.call('HINCRBY', key, field, n) == 0 then redis.call('HDEL', key, field) end
end

-- Writes the net deltas: counters, per-service totals (and the services' status counters), names.
local function qs_flush(k, acc)
  for field, n in pairs(acc.stats) do qs_bump(k.stats, field, n) end
  for service, delta in pairs(acc.services) do
    if delta[1] ~= 0 or delta[2] ~= 0 then
      local totalField, onlineField = 't' .. QS_SEP .. service, 'o' .. QS_SEP .. service
      local current = redis.call('HMGET', k.services, totalField, onlineField)
      local total0, online0 = tonumber(current[1] or 0), tonumber(current[2] or 0)
      local total1, online1 = total0 + delta[1], online0 + delta[2]
      local kind = string.sub(service, 1, string.find(service, QS_SEP, 1, true) - 1)
      local before, after = qs_service_status(total0, online0), qs_service_status(total1, online1)
      if before ~= after then
        if before then qs_bump(k.stats, 'svc' .. QS_SEP .. kind .. QS_SEP .. before, -1) end
        if after then qs_bump(k.stats, 'svc' .. QS_SEP .. kind .. QS_SEP .. after, 1) end
      end
      if total1 <= 0 then
        redis.call('HDEL', k.services, totalField, onlineField)
      else
        redis.call('HSET', k.services, totalField, total1, onlineField, online1)
      end
    end
  end
  for name, n in pairs(acc.names) do qs_bump(k.names, name, n) end
end

local function qs_touch(k)
  redis.call('HINCRBY', k.stats, 'epoch', 1)
  local now = redis.call('TIME')
  redis.call('HSET', k.stats, 'mt', now[1] .. string.format('%03d', math.floor(tonumber(now[2]) / 1000)))
end

local function qs_new_deltas()
  return {stats = {}, services = {}, names = {}}
end

-- Adds a contribution to counters that are being rebuilt (no epoch: they are not live yet).
local function qs_add(k, xc)
  local acc = qs_new_deltas()
  qs_accumulate(acc, xc, 1)
  qs_flush(k, acc)
end

-- Removes a deleted dataplane's contribution (xc as its record held it; nothing when absent).
local function qs_forget(k, xc)
  if not xc or xc == '' then return end
  local acc = qs_new_deltas()
  qs_accumulate(acc, xc, -1)
  qs_flush(k, acc)
  qs_touch(k)
end

-- Replaces the versions in an insight class, keeping its mTLS part.
local function qs_with_versions(xi, kumaDp, envoy)
  local parts = qs_split(xi, '\t')
  if #parts < 3 then parts = {'', '', '0'} end
  parts[1], parts[2] = kumaDp, envoy
  return table.concat(parts, '\t')
end

-- Recomputes one dataplane's contribution and applies the difference. k: record, online, stats,
-- services, names, probes. opts (all optional): xs and xsVersion (a new spec class, taken only while the
-- record is still at that version; no version: always), xi (a new insight class), kumaDp and envoy
-- (versions of a new subscription). Returns the contribution now counted (false: no record, or a
-- record not classified yet) and whether it changed.
local function qs_restat(k, name, opts)
  local current = redis.call('HMGET', k.record, 'v', 'xs', 'xi', 'xc')
  if not current[1] then return false, false end
  local xs, xi = current[2], current[3] or ''
  if opts.xs and opts.xs ~= '' and (not opts.xsVersion or opts.xsVersion == current[1]) then
    xs = opts.xs
  end
  if opts.xi then xi = opts.xi end
  if opts.kumaDp then xi = qs_with_versions(xi, opts.kumaDp, opts.envoy or '') end
  if xi ~= (current[3] or '') then redis.call('HSET', k.record, 'xi', xi) end
  if not xs then return false, false end
  if xs ~= current[2] then redis.call('HSET', k.record, 'xs', xs) end
  local spec = qs_split(xs, '\t')
  local online = redis.call('ZSCORE', k.online, name) ~= false
  local probes = false
  if k.probes then probes = redis.call('HGET', k.probes, name) end
  local xc = qs_status(spec[1], qs_readiness(spec[2], probes), online) .. '\n' .. xs .. '\n' .. xi
  if xc == current[4] then return xc, false end
  local acc = qs_new_deltas()
  if current[4] then qs_accumulate(acc, current[4], -1) end
  qs_accumulate(acc, xc, 1)
  qs_flush(k, acc)
  redis.call('HSET', k.record, 'xc', xc)
  qs_touch(k)
  return xc, true
end
-- (end of the counters library)
