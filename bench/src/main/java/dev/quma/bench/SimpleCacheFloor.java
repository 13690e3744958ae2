package dev.quma.bench;

import dev.quma.envoysim.SimulatedEnvoy;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor of our own stack: java-control-plane's {@link SimpleCache} and discovery server, with
 * nothing of Quma's, serving snapshots computed before any clock starts, to the same fleet in the
 * same run. The snapshots are what the fleet's proxies hold after the xDS benchmark (the same
 * clusters, listeners and endpoints); a change is one instance's new address in its service's
 * assignment, set for each of that service's consumers as a snapshot prepared beforehand. What it
 * measures is the library, gRPC and the simulated fleet on these cores: no control plane serving
 * this fleet can do better here. The server runs in the fleet's JVM, on plaintext.
 */
final class SimpleCacheFloor {
  private static final String CONFIG_VERSION = "floor-1";

  /** One proxy's config, as its simulated Envoy held it. */
  private record Config(
      List<Cluster> clusters,
      Map<String, ClusterLoadAssignment> endpoints,
      List<Listener> listeners) {}

  private final Map<String, Config> configs = new LinkedHashMap<>();
  private final SimpleCache<String> cache = new SimpleCache<>(Node::getId);
  private final Map<String, Integer> endpointVersions = new ConcurrentHashMap<>();

  /** Takes every proxy's config from the fleet (called while its proxies are still configured). */
  SimpleCacheFloor(SimulatedEnvoy[] fleet, java.util.function.IntFunction<String> nodeIds) {
    for (int i = 0; i < fleet.length; i++) {
      configs.put(
          nodeIds.apply(i),
          new Config(
              List.copyOf(fleet[i].clusters().values()),
              new TreeMap<>(fleet[i].endpoints()),
              List.copyOf(fleet[i].listeners().values())));
    }
  }

  /**
   * Serves the fleet anew and measures: every proxy configured with every endpoint, then {@code
   * changes} endpoint changes to every affected consumer's ACK.
   *
   * @param consumersOf proxy indexes consuming each service's cluster, by cluster name
   * @param instancesOf the clusters each proxy consumes with how many endpoints each must have
   */
  Map<String, Object> measure(
      java.util.function.IntFunction<String> nodeIds,
      java.util.function.IntFunction<String> serviceOf,
      java.util.function.IntPredicate complete,
      SimulatedEnvoy[] envoys,
      Map<String, List<Integer>> consumersOf,
      int changes,
      GcPauses pauses)
      throws Exception {
    configs.forEach((node, config) -> set(node, config));
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new V3DiscoveryServer(cache).getAggregatedDiscoveryServiceImpl())
            .build()
            .start();
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < Math.max(1, envoys.length / 50); i++) {
      channels.add(
          ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      // ---- join ----
      int joinMark = pauses.mark();
      AtomicInteger done = new AtomicInteger();
      Set<Integer> counted = ConcurrentHashMap.newKeySet();
      long start = System.nanoTime();
      for (int i = 0; i < envoys.length; i++) {
        int index = i;
        SimulatedEnvoy envoy =
            SimulatedEnvoy.builder(nodeIds.apply(i)).service(serviceOf.apply(i)).build();
        envoy.onUpdate(
            type -> {
              if (envoys[index].configured() && complete.test(index) && counted.add(index)) {
                done.incrementAndGet();
              }
            });
        envoys[i] = envoy;
        envoy.connect(channels.get(i % channels.size()));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      while (done.get() < envoys.length && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      if (done.get() < envoys.length) {
        throw new IllegalStateException(
            "the floor configured only " + done.get() + " of " + envoys.length + " in 300 s");
      }
      out.put("join_all_endpoints_seconds", XdsBenchmark.round((System.nanoTime() - start) / 1e9));
      out.put("join_fleet_gc", pauses.since(joinMark));

      // ---- changes: prepared first, then set and timed ----
      System.gc();
      int changeMark = pauses.mark();
      Random random = new Random(11);
      List<String> clusters = List.copyOf(consumersOf.keySet());
      long[] propagation = new long[changes];
      for (int c = 0; c < changes; c++) {
        String cluster = clusters.get(random.nextInt(clusters.size()));
        List<Integer> consumers = consumersOf.get(cluster);
        String address = "10.201." + (c / 250) + "." + (c % 250 + 1);
        Map<String, Snapshot> prepared = new LinkedHashMap<>();
        for (int consumer : consumers) {
          String node = nodeIds.apply(consumer);
          Config config = configs.get(node);
          Map<String, ClusterLoadAssignment> endpoints = new TreeMap<>(config.endpoints());
          endpoints.put(cluster, moved(endpoints.get(cluster), random.nextInt(100), address));
          Config changed = new Config(config.clusters(), endpoints, config.listeners());
          configs.put(node, changed);
          prepared.put(node, snapshot(node, changed));
        }
        String expected = address + ":9000";
        CountDownLatch acked = new CountDownLatch(consumers.size());
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        for (int consumer : consumers) {
          envoys[consumer].onUpdate(
              type -> {
                if (type.equals(SimulatedEnvoy.ENDPOINTS)
                    && envoys[consumer].endpointAddresses(cluster).contains(expected)
                    && seen.add(consumer)) {
                  acked.countDown();
                }
              });
        }
        long begin = System.nanoTime();
        prepared.forEach(cache::setSnapshot);
        if (!acked.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("floor change " + c + " did not reach every consumer");
        }
        propagation[c] = System.nanoTime() - begin;
      }
      Arrays.sort(propagation);
      out.put("propagation_p50_ms", XdsBenchmark.round(propagation[changes / 2] / 1e6));
      out.put(
          "propagation_p99_ms",
          XdsBenchmark.round(propagation[Math.max(0, (int) Math.ceil(changes * 0.99) - 1)] / 1e6));
      out.put("changes_fleet_gc", pauses.since(changeMark));
    } finally {
      for (SimulatedEnvoy envoy : envoys) {
        if (envoy != null) {
          envoy.drop();
        }
      }
      channels.forEach(ManagedChannel::shutdownNow);
      server.shutdownNow();
    }
    return out;
  }

  private void set(String node, Config config) {
    cache.setSnapshot(node, snapshot(node, config));
  }

  /** Clusters and listeners keep their version; the endpoints' goes up with each change. */
  private Snapshot snapshot(String node, Config config) {
    int version = endpointVersions.merge(node, 1, Integer::sum);
    return Snapshot.create(
        config.clusters(),
        CONFIG_VERSION,
        config.endpoints().values(),
        "e" + version,
        config.listeners(),
        CONFIG_VERSION,
        List.of(),
        CONFIG_VERSION,
        List.of(),
        CONFIG_VERSION);
  }

  /** The assignment with one of its endpoints (picked by {@code pick}) at a new address. */
  private static ClusterLoadAssignment moved(
      ClusterLoadAssignment assignment, int pick, String address) {
    ClusterLoadAssignment.Builder builder = assignment.toBuilder();
    LocalityLbEndpoints.Builder locality = builder.getEndpointsBuilder(0);
    int which = pick % locality.getLbEndpointsCount();
    LbEndpoint.Builder endpoint = locality.getLbEndpointsBuilder(which);
    SocketAddress socket = endpoint.getEndpoint().getAddress().getSocketAddress();
    endpoint.setEndpoint(
        Endpoint.newBuilder()
            .setAddress(
                Address.newBuilder()
                    .setSocketAddress(socket.toBuilder().setAddress(address).build())));
    return builder.build();
  }
}
