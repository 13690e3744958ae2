package dev.quma.xds.generate;

import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything one proxy is sent, by the part of its dataplane it comes from: the inbounds' listeners
 * and local clusters, and each outbound target's resources (in the order of the outbounds), so that
 * a change of one target replaces only its part.
 */
public record ProxyResources(
    List<VersionedResource<Listener>> inboundListeners,
    List<VersionedResource<Cluster>> localClusters,
    List<TargetResources> outbound) {
  public ProxyResources {
    inboundListeners = List.copyOf(inboundListeners);
    localClusters = List.copyOf(localClusters);
    outbound = List.copyOf(outbound);
  }

  /** The same resources with one target's part replaced by {@code target}'s. */
  public ProxyResources with(TargetResources target) {
    List<TargetResources> replaced = new ArrayList<>(outbound.size());
    for (TargetResources old : outbound) {
      replaced.add(old.group().target().equals(target.group().target()) ? target : old);
    }
    return new ProxyResources(inboundListeners, localClusters, replaced);
  }

  /** Every listener, by name. */
  public SortedMap<String, VersionedResource<Listener>> listeners() {
    SortedMap<String, VersionedResource<Listener>> byName = new TreeMap<>();
    inboundListeners.forEach(listener -> byName.put(listener.resource().getName(), listener));
    for (TargetResources target : outbound) {
      target.listeners().forEach(listener -> byName.put(listener.resource().getName(), listener));
    }
    return byName;
  }

  /** Every cluster, by name; of two inbounds with the same service port, the first one's. */
  public SortedMap<String, VersionedResource<Cluster>> clusters() {
    SortedMap<String, VersionedResource<Cluster>> byName = new TreeMap<>();
    localClusters.forEach(cluster -> byName.putIfAbsent(cluster.resource().getName(), cluster));
    for (TargetResources target : outbound) {
      byName.putIfAbsent(target.cluster().resource().getName(), target.cluster());
    }
    return byName;
  }

  /** Every load assignment, by cluster name. */
  public SortedMap<String, VersionedResource<ClusterLoadAssignment>> loadAssignments() {
    SortedMap<String, VersionedResource<ClusterLoadAssignment>> byName = new TreeMap<>();
    for (TargetResources target : outbound) {
      byName.put(target.loadAssignment().resource().getClusterName(), target.loadAssignment());
    }
    return byName;
  }
}
