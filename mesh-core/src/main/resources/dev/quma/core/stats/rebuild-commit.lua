-- Ends a reconcile (after stats-lib.lua). If nothing was counted since it began but its own
-- corrections (the epoch is the one expected), the rebuilt counters replace the live ones where
-- they differ; a busy mesh keeps its live counters until the next reconcile. The rebuilt keys go
-- either way.
-- K: stats, services, names (live), rebuiltStats, rebuiltServices, rebuiltNames
-- A: epoch (expected)
-- Returns {'busy', epoch} | {'same', 0} | {'replaced', fields that differed}
local epoch = tonumber(redis.call('HGET', K.stats, 'epoch') or '0')
if epoch ~= tonumber(A.epoch) then
  redis.call('DEL', K.rebuiltStats, K.rebuiltServices, K.rebuiltNames)
  return {'busy', epoch}
end

local function differences(liveKey, rebuiltKey)
  local live = {}
  local flat = redis.call('HGETALL', liveKey)
  for i = 1, #flat, 2 do
    if flat[i] ~= 'epoch' and flat[i] ~= 'mt' then live[flat[i]] = flat[i + 1] end
  end
  local count = 0
  flat = redis.call('HGETALL', rebuiltKey)
  for i = 1, #flat, 2 do
    if live[flat[i]] ~= flat[i + 1] then count = count + 1 end
    live[flat[i]] = nil
  end
  for _ in pairs(live) do count = count + 1 end
  return count
end

local drift = differences(K.stats, K.rebuiltStats) + differences(K.services, K.rebuiltServices)
  + differences(K.names, K.rebuiltNames)
if drift == 0 then
  redis.call('DEL', K.rebuiltStats, K.rebuiltServices, K.rebuiltNames)
  return {'same', 0}
end
local now = redis.call('TIME')
redis.call('HSET', K.rebuiltStats, 'epoch', epoch + 1,
  'mt', now[1] .. string.format('%03d', math.floor(tonumber(now[2]) / 1000)))
redis.call('RENAME', K.rebuiltStats, K.stats)
redis.call('PERSIST', K.stats)
for _, pair in ipairs({{K.rebuiltServices, K.services}, {K.rebuiltNames, K.names}}) do
  if redis.call('EXISTS', pair[1]) == 1 then
    redis.call('RENAME', pair[1], pair[2])
    redis.call('PERSIST', pair[2])
  else
    redis.call('DEL', pair[2])
  end
end
return {'replaced', drift}
