package dev.quma.xds.admission;

import dev.quma.core.model.Dataplane;
import dev.quma.xds.snapshot.ProxyKey;
import java.util.Map;

/**
 * A proxy whose stream may be served: its dataplane as stored (version, spec, labels), and whether
 * it was registered from its own resource (Direct) or created through the API first (Indirect).
 */
public record AdmittedProxy(
    ProxyKey key, long version, Dataplane spec, boolean direct, Map<String, String> labels) {

  public AdmittedProxy {
    labels = Map.copyOf(labels);
  }

  public AdmittedProxy(ProxyKey key, long version, Dataplane spec, boolean direct) {
    this(key, version, spec, direct, Map.of());
  }
}
