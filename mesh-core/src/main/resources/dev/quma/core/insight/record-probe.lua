-- Records the service probe results of one dataplane's proxy, when they differ from those stored:
-- the probes hash holds "SINCE;HEALTH" (HEALTH as ProbeHealth writes it), and the mesh's change
-- stream says so, for every xDS replica's view. Nothing is written for a dataplane that does not
-- exist, so a deleted one leaves nothing behind. The mesh's counters follow (after stats-lib.lua):
-- a failing probe makes an online dataplane partially degraded, or offline when no inbound is left.
-- K: record (the dataplane's), online, probes, stats, services, names, events
-- A: name, health, since (epoch ms), mesh, maxlen (of the stream), eventType
-- Returns 1 when written, 0 when unchanged, -1 when there is no such dataplane.
if redis.call('EXISTS', K.record) == 0 then return -1 end
local old = redis.call('HGET', K.probes, A.name)
if old then
  local separator = string.find(old, ';', 1, true)
  if separator and string.sub(old, separator + 1) == A.health then return 0 end
end
redis.call('HSET', K.probes, A.name, A.since .. ';' .. A.health)
qs_restat(K, A.name, {})
redis.call('XADD', K.events, 'MAXLEN', '~', A.maxlen, '*', 'op', 'update', 'type', A.eventType, 'mesh', A.mesh, 'name', A.name, 'version', '0')
return 1
