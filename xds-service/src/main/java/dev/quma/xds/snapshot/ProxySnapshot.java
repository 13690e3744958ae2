package dev.quma.xds.snapshot;

import io.envoyproxy.controlplane.cache.ResourceVersionResolver;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What java-control-plane serves one proxy. Each type's version is derived from the names and
 * versions of its resources, so a type whose resources did not change keeps its version and is not
 * pushed again over SotW.
 */
final class ProxySnapshot extends io.envoyproxy.controlplane.cache.v3.Snapshot {
  private static final SnapshotResources<RouteConfiguration> NO_ROUTES =
      SnapshotResources.create(
          List.<VersionedResource<RouteConfiguration>>of(), (ResourceVersionResolver) names -> "");
  private static final SnapshotResources<Secret> NO_SECRETS =
      SnapshotResources.create(
          List.<VersionedResource<Secret>>of(), (ResourceVersionResolver) names -> "");

  private final SnapshotResources<Cluster> clusters;
  private final SnapshotResources<ClusterLoadAssignment> endpoints;
  private final SnapshotResources<Listener> listeners;

  ProxySnapshot(
      Map<String, VersionedResource<Listener>> listeners,
      Map<String, VersionedResource<Cluster>> clusters,
      Map<String, VersionedResource<ClusterLoadAssignment>> endpoints) {
    this.listeners = resources(listeners);
    this.clusters = resources(clusters);
    this.endpoints = resources(endpoints);
  }

  private static <T extends com.google.protobuf.Message> SnapshotResources<T> resources(
      Map<String, VersionedResource<T>> byName) {
    String version = version(byName);
    return SnapshotResources.create(byName.values(), (ResourceVersionResolver) names -> version);
  }

  /** A 64-bit FNV-1a hash of "name=version;" over the resources in name order. */
  static <T extends com.google.protobuf.Message> String version(
      Map<String, VersionedResource<T>> byName) {
    long hash = 0xcbf29ce484222325L;
    Map<String, VersionedResource<T>> ordered =
        byName instanceof java.util.SortedMap<?, ?> ? byName : new TreeMap<>(byName);
    for (Map.Entry<String, VersionedResource<T>> entry : ordered.entrySet()) {
      hash = mix(hash, entry.getKey());
      hash = mix(hash, "=");
      hash = mix(hash, entry.getValue().version());
      hash = mix(hash, ";");
    }
    return Long.toHexString(hash);
  }

  private static long mix(long hash, String text) {
    for (int i = 0; i < text.length(); i++) {
      hash ^= text.charAt(i);
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  @Override
  public SnapshotResources<Cluster> clusters() {
    return clusters;
  }

  @Override
  public SnapshotResources<ClusterLoadAssignment> endpoints() {
    return endpoints;
  }

  @Override
  public SnapshotResources<Listener> listeners() {
    return listeners;
  }

  @Override
  public SnapshotResources<RouteConfiguration> routes() {
    return NO_ROUTES;
  }

  @Override
  public SnapshotResources<Secret> secrets() {
    return NO_SECRETS;
  }
}
