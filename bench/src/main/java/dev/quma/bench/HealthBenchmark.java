package dev.quma.bench;

import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.envoysim.HdsClient;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.local.LocalRedis;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.ManagedChannel;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Health-aware endpoints at fleet size, on one xds-service replica: the fleet of {@link
 * XdsBenchmark} (by default 1,000 services x 10 instances, five outbounds each, so 50 consumers per
 * service) with a {@code serviceProbe} on every inbound and a Health Discovery Service stream per
 * proxy (simulated Envoys: {@link HdsClient} reporting what the benchmark sets). Measures the time
 * from a graceful leave, and from an unhealthy probe report, to every consumer's ACK of endpoints
 * without the instance (p50/p99), the replica's CPU per health report, and its heap per HDS stream.
 */
public final class HealthBenchmark {
  private static final String LOCAL_CLUSTER = "localhost:8080";

  public static void main(String[] args) throws Exception {
    int services = BenchSupport.intArg(args, "--services", 1000);
    int instances = BenchSupport.intArg(args, "--instances", 10);
    int flips = BenchSupport.intArg(args, "--flips", 200);
    Path home = Path.of(System.getProperty("quma.home", ".")).toAbsolutePath().normalize();
    try {
      new HealthBenchmark().run(home, services, instances, flips);
    } catch (Throwable failure) {
      failure.printStackTrace();
      System.exit(1); // the fleet's gRPC threads would keep this JVM alive
    }
    System.exit(0);
  }

  private final XdsBenchmark fleet = new XdsBenchmark();

  private void run(Path home, int services, int instances, int flips) throws Exception {
    int proxies = services * instances;
    try (LocalRedis redisServer = LocalRedis.startEphemeral()) {
      Vertx vertx = Vertx.vertx();
      Redis redis = Redis.createClient(vertx, redisServer.url());
      ResourceStore store = new ResourceStore(redis, StoreSettings.DEFAULTS);
      store
          .create(
              new Resource<>(
                  ResourceMeta.of(ResourceType.MESH, null, "default", Map.of()), Mesh.EMPTY))
          .await()
          .indefinitely();
      try (BenchReplica xds =
          BenchReplica.start(
              home,
              redisServer.url(),
              Map.of(
                  // Reports are sent by the benchmark, not on a timer.
                  "KUMA_DP_SERVER_HDS_INTERVAL", "1h",
                  "KUMA_DP_SERVER_HDS_REFRESH_INTERVAL", "1h",
                  "KUMA_XDS_DATAPLANE_DEREGISTRATION_DELAY", "5m"))) {
        String base = xds.base();
        String[] tokens = XdsBenchmark.tokens(store, redis, proxies, instances);
        List<ManagedChannel> channels = xds.channelsFor(proxies);

        // ---- the fleet joins over ADS; probed inbounds are no endpoints yet ----
        SimulatedEnvoy[] envoys = new SimulatedEnvoy[proxies];
        XdsBenchmark.Wave join =
            fleet.wave(
                xds,
                base,
                channels,
                envoys,
                tokens,
                instances,
                i -> probed(i, services, instances));
        System.out.printf("join: %d proxies configured in %.1f s%n", proxies, join.seconds());
        Thread.sleep(3000);
        long heapBefore = fleet.heap(base);

        // ---- every proxy opens its HDS stream, and reports its service healthy ----
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        HdsClient[] health = new HdsClient[proxies];
        long hdsStart = System.nanoTime();
        for (int i = 0; i < proxies; i++) {
          health[i] =
              HdsClient.builder(
                      Node.newBuilder().setId("default." + XdsBenchmark.name(i, instances)).build())
                  .token(tokens[i])
                  .timers(timers)
                  .activeChecks(false)
                  .build()
                  .connect(channels.get(i % channels.size()));
        }
        await(
            Duration.ofSeconds(300),
            () -> java.util.Arrays.stream(health).allMatch(h -> h.specifier() != null),
            "every HDS stream got its specifier");
        double hdsOpenSeconds = (System.nanoTime() - hdsStart) / 1e9;
        Thread.sleep(2000);
        long heapWithHds = fleet.heap(base);
        double heapPerStreamKb = (heapWithHds - heapBefore) / 1024.0 / proxies;
        System.out.printf(
            "HDS: %d streams open in %.1f s; heap %.1f MB -> %.1f MB: %.2f KB per stream%n",
            proxies, hdsOpenSeconds, heapBefore / 1e6, heapWithHds / 1e6, heapPerStreamKb);

        Map<Integer, List<Integer>> consumersOf = new HashMap<>();
        for (int i = 0; i < proxies; i++) {
          for (int target : XdsBenchmark.outboundTargets(i / instances, services)) {
            consumersOf.computeIfAbsent(target, t -> new ArrayList<>()).add(i);
          }
        }
        long healthyStart = System.nanoTime();
        for (HdsClient client : health) {
          client.set(LOCAL_CLUSTER, true);
          client.report();
        }
        await(
            Duration.ofSeconds(300),
            () ->
                IntStream.range(0, proxies)
                    .allMatch(
                        i ->
                            envoys[i]
                                    .endpointAddresses(
                                        XdsBenchmark.service(
                                            XdsBenchmark.outboundTargets(i / instances, services)[
                                                0]))
                                    .size()
                                == instances),
            "every consumer sees every healthy instance");
        System.out.printf(
            "first healthy reports: every consumer had every endpoint after %.1f s%n",
            (System.nanoTime() - healthyStart) / 1e9);

        // ---- CPU per report: every proxy reports once more, nothing changed ----
        double idleStart = ProcessCpu.seconds(xds.pid());
        Thread.sleep(5000);
        double idlePerSecond = (ProcessCpu.seconds(xds.pid()) - idleStart) / 5.0;
        double reportsBefore = fleet.metric(base, "xds_hds_reports_total");
        double readCpuBefore = fleet.metric(base, "xds_hds_reports_cpu_seconds_total");
        double cpuBefore = ProcessCpu.seconds(xds.pid());
        long reportStart = System.nanoTime();
        for (HdsClient client : health) {
          client.report();
        }
        await(
            Duration.ofSeconds(120),
            () -> metricOrZero(base, "xds_hds_reports_total") - reportsBefore >= proxies,
            "every report read");
        double reportWall = (System.nanoTime() - reportStart) / 1e9;
        double reportCpu = ProcessCpu.seconds(xds.pid()) - cpuBefore - idlePerSecond * reportWall;
        double cpuPerReportUs = reportCpu / proxies * 1e6;
        double readCpuPerReportUs =
            (fleet.metric(base, "xds_hds_reports_cpu_seconds_total") - readCpuBefore)
                / proxies
                * 1e6;
        System.out.printf(
            "CPU per unchanged report: %.1f us for the whole process (gRPC included), %.1f us"
                + " reading it%n",
            cpuPerReportUs, readCpuPerReportUs);

        // ---- unhealthy probe report -> every consumer ACKed endpoints without it ----
        Random random = new Random(11);
        Set<Integer> used = new java.util.HashSet<>();
        Latencies unhealthy = new Latencies("unhealthy report -> consumers ACKed");
        Latencies healthyAgain = new Latencies("healthy report -> consumers ACKed");
        System.gc(); // each phase starts from a collected fleet heap; its pauses are reported
        XdsBenchmark.Pauses probePauses = fleet.pausesFrom(base);
        for (int f = 0; f < flips; f++) {
          int instance = pick(random, proxies, used);
          String address = XdsBenchmark.address(instance) + ":9000";
          List<Integer> consumers = consumersOf.getOrDefault(instance / instances, List.of());
          String cluster = XdsBenchmark.service(instance / instances);
          health[instance].set(LOCAL_CLUSTER, false);
          unhealthy.record(
              timeUntilAll(envoys, consumers, cluster, address, false, health[instance]::report));
          health[instance].set(LOCAL_CLUSTER, true);
          healthyAgain.record(
              timeUntilAll(envoys, consumers, cluster, address, true, health[instance]::report));
        }
        System.out.printf(
            "unhealthy probe report -> every consumer (%d) ACKed without it: p50 %.1f ms, p99 %.1f"
                + " ms; healthy again: p50 %.1f ms, p99 %.1f ms%n",
            5 * instances,
            unhealthy.percentileMillis(50),
            unhealthy.percentileMillis(99),
            healthyAgain.percentileMillis(50),
            healthyAgain.percentileMillis(99));
        Map<String, Object> probeGc = fleet.until(probePauses, base);
        System.out.println("  GC pauses meanwhile: " + probeGc);

        // ---- graceful leave -> every consumer ACKed endpoints without it ----
        Latencies leaves = new Latencies("graceful leave -> consumers ACKed");
        int lostLeaves = 0;
        Set<Integer> left = new java.util.HashSet<>();
        System.gc();
        XdsBenchmark.Pauses leavePauses = fleet.pausesFrom(base);
        for (int f = 0; f < flips; f++) {
          int instance = pick(random, proxies, used);
          String address = XdsBenchmark.address(instance) + ":9000";
          // A consumer that has left (this one included, when it consumes its own service) gets no
          // more pushes.
          left.add(instance);
          List<Integer> consumers =
              consumersOf.getOrDefault(instance / instances, List.of()).stream()
                  .filter(c -> !left.contains(c))
                  .toList();
          String cluster = XdsBenchmark.service(instance / instances);
          SimulatedEnvoy leaving = envoys[instance];
          HdsClient itsHealth = health[instance];
          try {
            leaves.record(
                timeUntilAll(
                    envoys,
                    consumers,
                    cluster,
                    address,
                    false,
                    () -> {
                      itsHealth.leave();
                      leaving.leave();
                    }));
          } catch (IllegalStateException notSeen) {
            // Counted as the 30 s waited and reported, neither left out nor ending the run.
            leaves.record(TimeUnit.SECONDS.toNanos(30));
            lostLeaves++;
            System.out.println("  a leave not seen within 30 s: " + notSeen.getMessage());
          }
        }
        System.out.printf(
            "graceful leave -> every consumer ACKed without it: p50 %.1f ms, p99 %.1f ms; %d of %d"
                + " not seen by every consumer within 30 s%n",
            leaves.percentileMillis(50), leaves.percentileMillis(99), lostLeaves, flips);
        Map<String, Object> leaveGc = fleet.until(leavePauses, base);
        System.out.println("  GC pauses meanwhile: " + leaveGc);

        Map<String, Object> report = BenchSupport.report("health");
        report.put("proxies", proxies);
        report.put("services", services);
        report.put("consumers_per_service", 5 * instances);
        report.put("hds_streams_open_seconds", XdsBenchmark.round(hdsOpenSeconds));
        report.put("heap_mb_without_hds", XdsBenchmark.round(heapBefore / 1e6));
        report.put("heap_mb_with_hds", XdsBenchmark.round(heapWithHds / 1e6));
        report.put("heap_kb_per_hds_stream", XdsBenchmark.round(heapPerStreamKb));
        report.put("cpu_us_per_report_process", XdsBenchmark.round(cpuPerReportUs));
        report.put("cpu_us_per_report_reading", XdsBenchmark.round(readCpuPerReportUs));
        report.put("unhealthy_report_to_consumers_acked", unhealthy.summary());
        report.put("healthy_report_to_consumers_acked", healthyAgain.summary());
        report.put("graceful_leave_to_consumers_acked", leaves.summary());
        report.put("graceful_leaves_not_seen_within_30s", lostLeaves);
        report.put("gc_pauses_during_probe_flips", probeGc);
        report.put("gc_pauses_during_leaves", leaveGc);
        BenchSupport.writeResults(home.resolve("bench/results"), "health", report);
        for (int i = 0; i < proxies; i++) {
          health[i].close();
          envoys[i].drop();
        }
        timers.shutdownNow();
        channels.forEach(ManagedChannel::shutdownNow);
      }
      redis.close();
      vertx.closeAndAwait();
    }
  }

  /** The fleet's dataplane, with a TCP service probe on its inbound. */
  private static String probed(int i, int services, int instances) {
    return XdsBenchmark.dataplane(i, services, instances, 0)
        .replace(
            "\"servicePort\":8080,",
            "\"servicePort\":8080,\"serviceProbe\":{\"interval\":\"5s\",\"timeout\":\"1s\","
                + "\"unhealthyThreshold\":1,\"healthyThreshold\":1,\"tcp\":{}},");
  }

  /**
   * Runs {@code action} and returns the nanoseconds until every consumer's endpoints of {@code
   * cluster} do (or, {@code present} false, do not) hold {@code address}.
   */
  private static long timeUntilAll(
      SimulatedEnvoy[] envoys,
      List<Integer> consumers,
      String cluster,
      String address,
      boolean present,
      Runnable action)
      throws InterruptedException {
    CountDownLatch done = new CountDownLatch(consumers.size());
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    long alreadyThere =
        consumers.stream()
            .filter(c -> envoys[c].endpointAddresses(cluster).contains(address) == present)
            .count();
    for (int consumer : consumers) {
      envoys[consumer].onUpdate(
          type -> {
            if (type.equals(SimulatedEnvoy.ENDPOINTS)
                && envoys[consumer].endpointAddresses(cluster).contains(address) == present
                && seen.add(consumer)) {
              done.countDown();
            }
          });
    }
    long start = System.nanoTime();
    action.run();
    if (!done.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "only "
              + seen.size()
              + " of "
              + consumers.size()
              + " consumers saw "
              + address
              + (present ? " back" : " gone")
              + " ("
              + alreadyThere
              + " of them had it so before)");
    }
    return System.nanoTime() - start;
  }

  private static int pick(Random random, int proxies, Set<Integer> used) {
    while (true) {
      int candidate = random.nextInt(proxies);
      if (used.add(candidate)) {
        return candidate;
      }
    }
  }

  private double metricOrZero(String base, String name) {
    try {
      return fleet.metric(base, name);
    } catch (Exception e) {
      return 0;
    }
  }

  private static void await(Duration timeout, BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }
}
