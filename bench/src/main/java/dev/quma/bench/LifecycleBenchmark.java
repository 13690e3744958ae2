package dev.quma.bench;

import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.insight.Heartbeats;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.lease.Fence;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Labels;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceNotFoundException;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.lifecycle.config.LifecycleSettings;
import dev.quma.lifecycle.lease.SweepLease;
import dev.quma.lifecycle.sweep.SweepReport;
import dev.quma.lifecycle.sweep.Sweeper;
import dev.quma.local.LocalRedis;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The Redis work of one lifecycle sweep, by fleet size and by number of stale dataplanes: fleets of
 * 1,000, 10,000 and 100,000 dataplanes, written straight into a private Redis through the store and
 * insight APIs, with 1 % stale (half past the idle timeout, half offline past the cleanup age) and
 * with a fixed 100 stale. Each case runs several times (the stale ones are made stale again before
 * each run) and reports medians: round trips and commands the sweeper sent, commands Redis ran
 * (INFO commandstats, including those inside scripts) and their CPU time, and wall time.
 */
public final class LifecycleBenchmark {
  private static final Duration IDLE = Duration.ofMinutes(5);
  private static final Duration CLEANUP = Duration.ofHours(72);
  private static final int IN_FLIGHT = 64;
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(10);

  public static void main(String[] args) throws Exception {
    int runs = BenchSupport.intArg(args, "--runs", 5);
    List<Integer> sizes = List.of(1_000, 10_000, 100_000);
    Path home = Path.of(System.getProperty("quma.home", ".")).toAbsolutePath().normalize();
    Vertx vertx = Vertx.vertx();
    try (LocalRedis server = LocalRedis.startEphemeral()) {
      CountingRedis counting =
          new CountingRedis(
              io.vertx.redis.client.Redis.createClient(
                  vertx.getDelegate(),
                  new RedisOptions()
                      .setConnectionString(server.url())
                      .setMaxPoolSize(IN_FLIGHT)
                      .setMaxPoolWaiting(100_000)));
      LifecycleBenchmark bench = new LifecycleBenchmark(counting);
      bench.warmUp();
      List<Map<String, Object>> cases = new ArrayList<>();
      for (int size : sizes) {
        bench.load(size);
        for (int stale : new java.util.TreeSet<>(List.of(0, 100, size / 100))) {
          Map<String, Object> result = bench.measure(size, stale, runs);
          cases.add(result);
          print(result);
        }
      }
      Map<String, Object> report = BenchSupport.report("lifecycle-sweep");
      report.put("redis", bench.redisVersion());
      report.put(
          "note",
          "shared with other builds while measured: times are medians of " + runs + " runs");
      report.put(
          "settings",
          Map.of(
              "idle_timeout",
              "5m",
              "cleanup_age",
              "72h",
              "batch_size",
              bench.settings.batchSize()));
      report.put("runs_per_case", runs);
      report.put(
          "fields",
          Map.of(
              "round_trips", "requests or pipelines the sweeper sent (median)",
              "commands_sent", "commands in them; a pipeline of n counts n (median)",
              "commands_run_by_redis",
                  "INFO commandstats calls, the ones inside scripts included (median)",
              "redis_cpu_ms", "CPU time of the Redis process during the sweep, INFO cpu (median)",
              "sweep_ms_median", "wall time of the sweep, from start to report"));
      report.put("cases", cases);
      BenchSupport.writeResults(home.resolve("bench/results"), "lifecycle", report);
      counting.close();
    } finally {
      vertx.closeAndAwait();
    }
  }

  private final CountingRedis counting;
  private final Redis redis;
  private final ResourceStore store;
  private final InsightWriter insights;
  private final Heartbeats heartbeats;
  private final LifecycleSettings settings =
      new LifecycleSettings(
          IDLE,
          CLEANUP,
          true,
          Duration.ofSeconds(30),
          500,
          Duration.ofSeconds(30),
          Duration.ofSeconds(10));
  private Instant loadedAt;
  private int size;

  private LifecycleBenchmark(CountingRedis counting) {
    this.counting = counting;
    this.redis = Redis.newInstance(counting);
    this.store = new ResourceStore(redis, StoreSettings.DEFAULTS);
    this.insights = new InsightWriter(redis, store.keys());
    this.heartbeats = new Heartbeats(redis, store.keys());
  }

  /** Lets the JIT see every path before anything is measured. */
  private void warmUp() {
    load(2_000);
    for (int i = 0; i < 5; i++) {
      makeStale(200);
      sweep();
    }
  }

  /** A fresh Redis holding {@code size} connected dataplanes that heartbeat now. */
  private void load(int size) {
    this.size = size;
    await(redis.send(Request.cmd(Command.FLUSHALL)));
    await(
        store.put(
            new Resource<>(
                ResourceMeta.of(ResourceType.MESH, null, "default", Map.of()), Mesh.EMPTY),
            java.util.OptionalLong.empty()));
    loadedAt = Instant.now();
    long start = System.nanoTime();
    inFlight(size, i -> store.put(dataplane(i), java.util.OptionalLong.empty()));
    inFlight(size, i -> insights.open("default", name(i), open(loadedAt), loadedAt));
    System.out.printf(
        "loaded %,d dataplanes with insights in %.1f s%n", size, (System.nanoTime() - start) / 1e9);
  }

  /**
   * Makes the first {@code stale} dataplanes stale again (created anew, so that each has one
   * subscription, as at the first run): the first half went quiet past the idle timeout while
   * connected, the second half left before the cleanup age.
   */
  private void makeStale(int stale) {
    Instant idleSince = loadedAt.minus(IDLE).minusSeconds(60);
    Instant goneSince = loadedAt.minus(CLEANUP).minusSeconds(60);
    inFlight(
        stale,
        i ->
            store
                .delete(ResourceType.DATAPLANE, "default", name(i), java.util.OptionalLong.empty())
                .onFailure(ResourceNotFoundException.class)
                .recoverWithItem(0L));
    inFlight(stale, i -> store.put(dataplane(i), java.util.OptionalLong.empty()));
    inFlight(
        stale,
        i ->
            i < stale / 2
                ? insights.open("default", name(i), open(idleSince), idleSince).replaceWithVoid()
                : insights
                    .open("default", name(i), open(goneSince.minusSeconds(3600)), goneSince)
                    .flatMap(x -> insights.close("default", name(i), closed(goneSince)))
                    .replaceWithVoid());
  }

  private Map<String, Object> measure(int size, int stale, int runs) {
    List<Long> roundTrips = new ArrayList<>();
    List<Long> clientCommands = new ArrayList<>();
    List<Long> serverCommands = new ArrayList<>();
    List<Long> serverMicros = new ArrayList<>();
    List<Double> millis = new ArrayList<>();
    SweepReport last = null;
    Map<String, long[]> lastStats = Map.of();
    for (int run = 0; run < runs; run++) {
      makeStale(stale);
      await(redis.send(Request.cmd(Command.CONFIG).arg("RESETSTAT")));
      double cpuBefore = redisCpuSeconds();
      counting.reset();
      long start = System.nanoTime();
      last = sweep();
      millis.add((System.nanoTime() - start) / 1e6);
      roundTrips.add(counting.roundTrips()); // before the benchmark's own INFO calls
      clientCommands.add(counting.commands());
      serverMicros.add(Math.round((redisCpuSeconds() - cpuBefore) * 1e6));
      Map<String, long[]> stats = commandStats();
      lastStats = stats;
      serverCommands.add(stats.values().stream().mapToLong(s -> s[0]).sum());
      if (last.markedOffline() != stale / 2 || last.deleted() != stale - stale / 2) {
        throw new IllegalStateException("unexpected sweep result: " + last);
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("dataplanes", size);
    result.put("stale", stale);
    result.put("marked_offline", last.markedOffline());
    result.put("deleted", last.deleted());
    result.put("batches", last.batches());
    result.put("round_trips", median(roundTrips));
    result.put("commands_sent", median(clientCommands));
    result.put("commands_run_by_redis", median(serverCommands));
    result.put("redis_cpu_ms", median(serverMicros) / 1000.0);
    Map<String, Object> byCommand = new LinkedHashMap<>();
    lastStats.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(
            e ->
                byCommand.put(
                    e.getKey(), Map.of("calls", e.getValue()[0], "usec", e.getValue()[1])));
    result.put("redis_commands_last_run", byCommand);
    result.put("sweep_ms_median", Math.round(medianDouble(millis) * 10) / 10.0);
    result.put(
        "sweep_ms_min",
        Math.round(millis.stream().mapToDouble(d -> d).min().orElse(0) * 10) / 10.0);
    result.put(
        "sweep_ms_max",
        Math.round(millis.stream().mapToDouble(d -> d).max().orElse(0) * 10) / 10.0);
    return result;
  }

  private SweepReport sweep() {
    SweepLease alwaysHeld =
        new SweepLease() {
          @Override
          public Optional<Fence> fenceWhileHeld() {
            return Optional.of(new Fence("lifecycle-sweeper", 1));
          }

          @Override
          public Uni<Void> fencedOut(String mesh) {
            throw new IllegalStateException("fenced out in " + mesh);
          }
        };
    // The same "now" for every run: each run sees the same stale and healthy dataplanes.
    Clock clock = Clock.fixed(loadedAt, ZoneOffset.UTC);
    SweepReport report = await(new Sweeper(store, heartbeats, alwaysHeld, clock, settings).sweep());
    if (report.outcome() != SweepReport.Outcome.COMPLETED) {
      throw new IllegalStateException("sweep did not complete: " + report);
    }
    return report;
  }

  /**
   * INFO commandstats: command -> {calls, usec}, without the benchmark's own INFO and CONFIG. A
   * script's usec include the commands it ran, which are also counted on their own.
   */
  private Map<String, long[]> commandStats() {
    String info = await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
    Map<String, long[]> stats = new LinkedHashMap<>();
    for (String line : info.split("\r?\n")) {
      if (!line.startsWith("cmdstat_")) {
        continue;
      }
      String command = line.substring("cmdstat_".length(), line.indexOf(':'));
      if (command.startsWith("config") || command.startsWith("info")) {
        continue;
      }
      long calls = 0;
      long usec = 0;
      for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
        String[] kv = field.split("=");
        if (kv[0].equals("calls")) {
          calls = Long.parseLong(kv[1]);
        } else if (kv[0].equals("usec")) {
          usec = Long.parseLong(kv[1]);
        }
      }
      stats.put(command, new long[] {calls, usec});
    }
    return stats;
  }

  /** CPU time the Redis process used so far (user + system), from INFO cpu. */
  private double redisCpuSeconds() {
    String info = await(redis.send(Request.cmd(Command.INFO).arg("cpu"))).toString();
    double seconds = 0;
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
        seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).strip());
      }
    }
    return seconds;
  }

  private String redisVersion() {
    String info = await(redis.send(Request.cmd(Command.INFO).arg("server"))).toString();
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("redis_version:")) {
        return line.substring("redis_version:".length()).strip();
      }
    }
    return "unknown";
  }

  private static String name(int i) {
    return "dp-" + i;
  }

  private static Resource<Dataplane> dataplane(int i) {
    String json =
        """
        {"type":"Dataplane","mesh":"default","name":"%s","networking":{"address":"10.%d.%d.%d",
         "inbound":[{"port":8000,"servicePort":80,"tags":{"kuma.io/service":"svc-%d","kuma.io/protocol":"http"}}]}}
        """
            .formatted(name(i), i / 65536 % 256, i / 256 % 256, i % 256, i % 100);
    Dataplane spec =
        ResourceCodec.instance()
            .<Dataplane>decode(
                json.getBytes(StandardCharsets.UTF_8), Format.JSON, ResourceType.DATAPLANE)
            .toResource(ResourceType.DATAPLANE)
            .spec();
    return new Resource<>(
        ResourceMeta.of(ResourceType.DATAPLANE, "default", name(i), Labels.direct()), spec);
  }

  private static DiscoverySubscription open(Instant since) {
    return new DiscoverySubscription("s-1", "xds-1", since, null, null, null, 1);
  }

  private static DiscoverySubscription closed(Instant at) {
    return new DiscoverySubscription("s-1", "xds-1", at.minusSeconds(3600), at, null, null, 1);
  }

  /** Runs {@code count} operations with {@value #IN_FLIGHT} of them in flight at a time. */
  private static <T> void inFlight(int count, IntFunction<Uni<T>> operation) {
    Multi.createFrom()
        .range(0, count)
        .onItem()
        .transformToUni(operation::apply)
        .merge(IN_FLIGHT)
        .collect()
        .last()
        .await()
        .atMost(LOAD_TIMEOUT);
  }

  private static void print(Map<String, Object> r) {
    System.out.printf(
        "%,8d dataplanes, %,5d stale: %3d round trips, %,6d commands sent, %,6d run by Redis"
            + " (%.1f ms Redis CPU), sweep %.1f ms (median; min %.1f, max %.1f)%n",
        r.get("dataplanes"),
        r.get("stale"),
        r.get("round_trips"),
        r.get("commands_sent"),
        r.get("commands_run_by_redis"),
        r.get("redis_cpu_ms"),
        r.get("sweep_ms_median"),
        r.get("sweep_ms_min"),
        r.get("sweep_ms_max"));
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static double medianDouble(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofMinutes(2));
  }
}
