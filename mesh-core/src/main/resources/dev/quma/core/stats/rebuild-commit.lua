-- Ends a reconcile (after stats-lib.lua). If nothing was counted since it began but its own
-- corrections (the epoch is the one expected), the rebuilt counters replace the live ones where
-- they differ; a busy mesh keeps its live counters until the next reconcile. The rebuilt keys go
-- either way.
-- KEYS: 1 stats, 2 services, 3 names, 4 rebuilt stats, 5 rebuilt services, 6 rebuilt names
-- ARGV: 1 expected epoch
-- Returns {'busy', epoch} | {'same', 0} | {'replaced', fields that differed}
local epoch = tonumber(redis.call('HGET', KEYS[1], 'epoch') or '0')
if epoch ~= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[4], KEYS[5], KEYS[6])
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

local drift = differences(KEYS[1], KEYS[4]) + differences(KEYS[2], KEYS[5]) + differences(KEYS[3], KEYS[6])
if drift == 0 then
  redis.call('DEL', KEYS[4], KEYS[5], KEYS[6])
  return {'same', 0}
end
local now = redis.call('TIME')
redis.call('HSET', KEYS[4], 'epoch', epoch + 1,
  'mt', now[1] .. string.format('%03d', math.floor(tonumber(now[2]) / 1000)))
redis.call('RENAME', KEYS[4], KEYS[1])
redis.call('PERSIST', KEYS[1])
for i = 2, 3 do
  if redis.call('EXISTS', KEYS[i + 3]) == 1 then
    redis.call('RENAME', KEYS[i + 3], KEYS[i])
    redis.call('PERSIST', KEYS[i])
  else
    redis.call('DEL', KEYS[i])
  end
end
return {'replaced', drift}
