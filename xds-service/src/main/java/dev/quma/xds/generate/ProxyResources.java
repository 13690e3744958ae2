package dev.quma.xds.generate;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;

/** Everything one proxy is sent, each list sorted by name. */
public record ProxyResources(
    List<Listener> listeners, List<Cluster> clusters, List<ClusterLoadAssignment> loadAssignments) {
  public ProxyResources {
    listeners = List.copyOf(listeners);
    clusters = List.copyOf(clusters);
    loadAssignments = List.copyOf(loadAssignments);
  }
}
