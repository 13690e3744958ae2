package dev.quma.xds.lifecycle;

import dev.quma.core.model.Dataplane;
import dev.quma.xds.snapshot.ProxyKey;

/**
 * A proxy whose stream may be served: its dataplane as stored (version, spec), and whether it was
 * registered from its own resource (Direct) or created through the API first (Indirect).
 */
public record AdmittedProxy(ProxyKey key, long version, Dataplane spec, boolean direct) {}
