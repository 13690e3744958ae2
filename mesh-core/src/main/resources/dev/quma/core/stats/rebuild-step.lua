-- One dataplane of a reconcile (after stats-lib.lua): its live contribution is recomputed, with the
-- spec class the reconciler derived from the version it read (a newer write wins over it), and
-- added to the counters being rebuilt beside the live ones.
-- KEYS: 1 record, 2 online zset, 3 stats, 4 services, 5 names,
--       6 rebuilt stats, 7 rebuilt services, 8 rebuilt names
-- ARGV: 1 dataplane name, 2 version read, 3 spec class
-- Returns 1 when the live contribution had to be corrected, else 0.
local live = {record = KEYS[1], online = KEYS[2], stats = KEYS[3], services = KEYS[4], names = KEYS[5]}
local xc, changed = qs_restat(live, ARGV[1], {xs = ARGV[3], xsVersion = ARGV[2]})
if xc then qs_add({stats = KEYS[6], services = KEYS[7], names = KEYS[8]}, xc) end
if changed then return 1 end
return 0
