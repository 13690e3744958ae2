package dev.quma.xds.snapshot;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.quma.core.model.Dataplane;
import dev.quma.xds.envoy.ClusterFactory;
import dev.quma.xds.generate.Protocol;
import dev.quma.xds.generate.ProxyConfigGenerator;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The outbound resources that many proxies share, generated once per distinct input: an outbound
 * listener depends only on its address, port, cluster and protocol, an EDS cluster only on its name
 * and protocol. When a fleet joins, most proxies need listeners and clusters that others already
 * got; building the protos and hashing them for the interner only to find the same object is most
 * of what a join costs besides I/O. Entries go away with the last snapshot that uses them.
 */
final class GeneratedResources {
  private record OutboundListenerKey(String address, int port, String cluster, Protocol protocol) {}

  private record EdsClusterKey(String cluster, Protocol protocol) {}

  private final ResourceInterner interner;
  private final Cache<OutboundListenerKey, VersionedResource<Listener>> listeners =
      CacheBuilder.newBuilder().weakValues().build();
  private final Cache<EdsClusterKey, VersionedResource<Cluster>> clusters =
      CacheBuilder.newBuilder().weakValues().build();

  GeneratedResources(ResourceInterner interner) {
    this.interner = interner;
  }

  VersionedResource<Listener> outboundListener(
      Dataplane.Outbound outbound, String cluster, Protocol protocol) {
    return get(
        listeners,
        new OutboundListenerKey(outbound.effectiveAddress(), outbound.port(), cluster, protocol),
        () -> interner.intern(ProxyConfigGenerator.outboundListener(outbound, cluster, protocol)));
  }

  VersionedResource<Cluster> edsCluster(String cluster, Protocol protocol) {
    return get(
        clusters,
        new EdsClusterKey(cluster, protocol),
        () -> interner.intern(ClusterFactory.eds(cluster, protocol)));
  }

  private static <K, V> V get(Cache<K, V> cache, K key, Supplier<V> generate) {
    try {
      return cache.get(key, generate::get);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
