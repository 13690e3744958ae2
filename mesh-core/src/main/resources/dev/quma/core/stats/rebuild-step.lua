-- One dataplane of a reconcile (after stats-lib.lua): its live contribution is recomputed, with the
-- spec class the reconciler derived from the version it read (a newer write wins over it), and
-- added to the counters being rebuilt beside the live ones.
-- K: record, online, stats, services, names (live), rebuiltStats, rebuiltServices, rebuiltNames
-- A: name (dataplane), version (read), specClass
-- Returns 1 when the live contribution had to be corrected, else 0.
local xc, changed = qs_restat(K, A.name, {xs = A.specClass, xsVersion = A.version})
if xc then qs_add({stats = K.rebuiltStats, services = K.rebuiltServices, names = K.rebuiltNames}, xc) end
if changed then return 1 end
return 0
