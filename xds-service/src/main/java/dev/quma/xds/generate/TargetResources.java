package dev.quma.xds.generate;

import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;

/** What one outbound target of a proxy gives it: a listener per outbound, a cluster, endpoints. */
public record TargetResources(
    OutboundGroup group,
    List<VersionedResource<Listener>> listeners,
    VersionedResource<Cluster> cluster,
    VersionedResource<ClusterLoadAssignment> loadAssignment) {
  public TargetResources {
    listeners = List.copyOf(listeners);
  }

  /**
   * True when both hold the very same resources. The memo hands out one object per input, so
   * identity is equality here, and cheaper than comparing the protos.
   */
  public boolean sameAs(TargetResources other) {
    if (cluster != other.cluster
        || loadAssignment != other.loadAssignment
        || listeners.size() != other.listeners.size()) {
      return false;
    }
    for (int i = 0; i < listeners.size(); i++) {
      if (listeners.get(i) != other.listeners.get(i)) {
        return false;
      }
    }
    return true;
  }
}
