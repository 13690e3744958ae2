package dev.quma.xds.generate;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.protobuf.Message;
import dev.quma.xds.envoy.clusters.ClusterFactory;
import dev.quma.xds.envoy.endpoints.LoadAssignmentFactory;
import dev.quma.xds.envoy.listeners.ListenerFactory;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Every resource the generator builds, one object per distinct input. Each factory takes exactly
 * one input record and nothing else, and its memo is keyed by that record: whatever a resource is
 * built from is in its key by construction, so a changed input can never be answered with a stale
 * resource. Proxies that need the same cluster, listener or load assignment share one {@link
 * VersionedResource} (memory; java-control-plane's cached serializer packs it once for all of
 * them), and a resource keeps its version while its input stays the same (Delta xDS sends only what
 * changed). Entries go away with the last snapshot that uses them.
 */
public final class ResourceMemo {
  private final AtomicLong versions = new AtomicLong();
  private final Memo<ListenerFactory.InboundInput, Listener> inboundListeners =
      new Memo<>(ListenerFactory::inbound);
  private final Memo<ListenerFactory.OutboundInput, Listener> outboundListeners =
      new Memo<>(ListenerFactory::outbound);
  private final Memo<ClusterFactory.LocalInput, Cluster> localClusters =
      new Memo<>(ClusterFactory::local);
  private final Memo<ClusterFactory.EdsInput, Cluster> edsClusters =
      new Memo<>(ClusterFactory::eds);
  private final Memo<LoadAssignmentFactory.EndpointsInput, ClusterLoadAssignment> loadAssignments =
      new Memo<>(LoadAssignmentFactory::of);
  private final Memo<ListenerFactory.PrometheusInput, Listener> prometheusListeners =
      new Memo<>(ListenerFactory::prometheus);
  private final Memo<ClusterFactory.AdminInput, Cluster> adminClusters =
      new Memo<>(ClusterFactory::admin);

  VersionedResource<Listener> prometheusListener(ListenerFactory.PrometheusInput input) {
    return prometheusListeners.get(input);
  }

  VersionedResource<Cluster> adminCluster(ClusterFactory.AdminInput input) {
    return adminClusters.get(input);
  }

  VersionedResource<Listener> inboundListener(ListenerFactory.InboundInput input) {
    return inboundListeners.get(input);
  }

  VersionedResource<Listener> outboundListener(ListenerFactory.OutboundInput input) {
    return outboundListeners.get(input);
  }

  VersionedResource<Cluster> localCluster(ClusterFactory.LocalInput input) {
    return localClusters.get(input);
  }

  VersionedResource<Cluster> edsCluster(ClusterFactory.EdsInput input) {
    return edsClusters.get(input);
  }

  VersionedResource<ClusterLoadAssignment> loadAssignment(
      LoadAssignmentFactory.EndpointsInput input) {
    return loadAssignments.get(input);
  }

  /** How many distinct resources the memo holds; for metrics. */
  public long size() {
    long size = 0;
    for (Memo<?, ?> memo :
        List.of(
            inboundListeners,
            outboundListeners,
            localClusters,
            edsClusters,
            loadAssignments,
            prometheusListeners,
            adminClusters)) {
      size += memo.cache.size();
    }
    return size;
  }

  /** The resources of one factory, by its input; {@code I} is a record, compared by value. */
  private final class Memo<I extends Record, T extends Message> {
    private final Cache<I, VersionedResource<T>> cache =
        CacheBuilder.newBuilder().weakValues().build();
    private final Function<I, T> factory;

    Memo(Function<I, T> factory) {
      this.factory = factory;
    }

    VersionedResource<T> get(I input) {
      VersionedResource<T> resource = cache.getIfPresent(input);
      if (resource != null) {
        return resource;
      }
      return cache
          .asMap()
          .computeIfAbsent(
              input,
              key ->
                  VersionedResource.create(
                      factory.apply(key), Long.toString(versions.incrementAndGet(), 36)));
    }
  }
}
