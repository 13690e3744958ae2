package dev.quma.bench;

import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.ProxyType;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.core.tokens.DataplaneTokenClaims;
import dev.quma.core.tokens.DataplaneTokenSigner;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.launcher.ServiceProcess;
import dev.quma.launcher.ServiceSpec;
import dev.quma.local.LocalPostgres;
import dev.quma.local.LocalRedis;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Throughput of dataplane tokens on one replica: tokens issued per second by a token-service
 * process over HTTP (RS256 signature and ledger row in PostgreSQL included), and tokens verified
 * per second by mesh-core's verifier in this JVM, as the bootstrap and xDS tiers will (signature,
 * expiry, revocation and binding to the Dataplane's tags; keys and revocations cached from Redis).
 * Each is measured in several rounds after a warm-up; the median round is the figure. Starts its
 * own Redis, a PostgreSQL database of its own (dropped afterwards) and token-service; writes {@code
 * bench/results/tokens-<UTC stamp>.json}.
 */
public final class TokenBenchmark {
  private static final String MESH = "default";

  public static void main(String[] args) throws Exception {
    int rounds = BenchSupport.intArg(args, "--rounds", 5);
    int seconds = BenchSupport.intArg(args, "--seconds", 5);
    int clients = BenchSupport.intArg(args, "--clients", 16);
    int threads =
        BenchSupport.intArg(args, "--threads", Runtime.getRuntime().availableProcessors());
    Path home = Path.of(System.getProperty("quma.home", ".")).toAbsolutePath().normalize();

    String database =
        "quma_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    LocalPostgres ownPostgres = null;
    int pgPort = 5432;
    if (!LocalPostgres.answers("127.0.0.1", pgPort)) {
      ownPostgres = LocalPostgres.startEphemeral();
      pgPort = ownPostgres.port();
    }
    LocalPostgres.createDatabaseIfAbsent("127.0.0.1", pgPort, database);
    Vertx vertx = Vertx.vertx();
    try (LocalRedis redis = LocalRedis.startEphemeral()) {
      Redis client =
          Redis.createClient(
              vertx,
              new RedisOptions()
                  .setConnectionString(redis.url())
                  .setMaxPoolSize(8)
                  .setMaxPoolWaiting(4096));
      ResourceStore store = new ResourceStore(client, StoreSettings.DEFAULTS);
      store
          .create(
              new Resource<>(ResourceMeta.of(ResourceType.MESH, null, MESH, Map.of()), Mesh.EMPTY))
          .await()
          .atMost(Duration.ofSeconds(10));

      int port = LocalRedis.freePort();
      ServiceSpec spec =
          new ServiceSpec(
              "token-service",
              home.resolve("token-service/target/quarkus-app/quarkus-run.jar"),
              port,
              "dataplane tokens",
              Map.of("QUMA_TOKEN_SERVICE_HTTP_PORT", String.valueOf(port)));
      Map<String, Object> report = BenchSupport.report("tokens");
      report.put(
          "note",
          "one token-service replica (a JVM process), Redis, PostgreSQL and this client share the"
              + " machine; other builds may be running: compare medians");
      try (ServiceProcess service =
          ServiceProcess.start(
              spec,
              Path.of(System.getProperty("java.home")),
              Map.of(
                  "QUMA_REDIS_URL",
                  redis.url(),
                  "QUMA_DATABASE_URL",
                  "postgresql://127.0.0.1:" + pgPort + "/" + database,
                  "QUMA_DATABASE_USERNAME",
                  "postgres"),
              List.of("-Xmx512m"),
              null)) {
        service.awaitReady(Duration.ofSeconds(90));
        TokenBenchmark bench = new TokenBenchmark(port, service.pid(), redis.pid(), database);
        report.put("issue_over_http", bench.issuance(rounds, seconds, clients));
      }
      report.put("sign_in_process", signing(store, client, rounds, seconds, threads));
      report.put("verify_in_process", verification(store, client, rounds, seconds, threads));
      client.close();
      BenchSupport.writeResults(home.resolve("bench/results"), "tokens", report);
    } finally {
      vertx.closeAndAwait();
      LocalPostgres.dropDatabase("127.0.0.1", pgPort, database);
      if (ownPostgres != null) {
        ownPostgres.close();
      }
    }
    // Mutiny's default scheduler (timeouts in the verifier) has non-daemon threads outside Quarkus.
    System.exit(0);
  }

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI issueUri;
  private final long servicePid;
  private final long redisPid;
  private final String database;

  private TokenBenchmark(int port, long servicePid, long redisPid, String database) {
    this.issueUri = URI.create("http://127.0.0.1:" + port + "/tokens/dataplane");
    this.servicePid = servicePid;
    this.redisPid = redisPid;
    this.database = database;
  }

  /** CPU seconds used so far by each process that takes part in issuing. */
  // ---- issuance over HTTP ----------------------------------------------------------------------

  private Map<String, Object> issuance(int rounds, int seconds, int clients) throws Exception {
    System.out.printf(
        "issuing over HTTP: %d clients, warm-up then %d rounds of %d s%n",
        clients, rounds, seconds);
    // The JIT needs a while with both the HTTP stack and Hibernate in play.
    runIssuers(clients, Duration.ofSeconds(Math.max(30, 3 * seconds)), new Latencies("warm-up"));
    Latencies latencies = new Latencies("POST /tokens/dataplane");
    Map<String, DoubleSupplier> processes = new LinkedHashMap<>();
    processes.put("token_service", () -> ProcessCpu.seconds(servicePid));
    processes.put("postgresql", () -> ProcessCpu.secondsOfProcessesNamed(database));
    processes.put("redis", () -> ProcessCpu.seconds(redisPid));
    processes.put("benchmark_client", () -> ProcessCpu.seconds(ProcessHandle.current().pid()));
    LoadRounds.Result result =
        LoadRounds.measure(
            rounds,
            seconds,
            "tokens",
            duration -> runIssuers(clients, duration, latencies),
            processes);
    Map<String, Object> out = result.throughput("tokens_per_second");
    out.put("median_cpu_ms_per_token", result.medianCpuMs(2));
    // What two otherwise idle cores would sustain: the server side's CPU cost, not the contention.
    double serverSide =
        result.medianCpuMs("token_service")
            + result.medianCpuMs("postgresql")
            + result.medianCpuMs("redis");
    long capacity = Math.round(2000 / serverSide);
    out.put("capacity_on_two_idle_cores_tokens_per_second", capacity);
    System.out.printf(
        "CPU per token (medians): token-service %.2f ms, PostgreSQL %.2f ms, Redis %.2f ms:"
            + " two idle cores would sustain about %d tokens/s%n",
        result.medianCpuMs("token_service"),
        result.medianCpuMs("postgresql"),
        result.medianCpuMs("redis"),
        capacity);
    out.put("clients", clients);
    out.put("latency", latencies.summary());
    System.out.printf(
        "issued over HTTP (sign + ledger row): median %.0f tokens/s, p50 %.2f ms, p99 %.2f ms%n",
        result.medianPerSecond(), latencies.percentileMillis(50), latencies.percentileMillis(99));
    return out;
  }

  /** {@code clients} threads issuing one token after another for {@code duration}. */
  private long runIssuers(int clients, Duration duration, Latencies latencies) throws Exception {
    return ClosedLoop.run(
        http,
        clients,
        duration,
        (client, n) ->
            HttpRequest.newBuilder(issueUri)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"mesh\":\"default\",\"name\":\"dp-%d-%d\",\"tags\":{\"kuma.io/service\":[\"svc-%d\"]},\"type\":\"dataplane\",\"validFor\":\"24h\"}"
                            .formatted(client, n, client)))
                .build(),
        "issuing",
        latencies);
  }

  // ---- signing and verification in this JVM -----------------------------------------------------

  /** RS256 signing alone (what bounds issuance), on {@code threads} threads. */
  private static Map<String, Object> signing(
      ResourceStore store, Redis client, int rounds, int seconds, int threads) throws Exception {
    SigningKeyManager keys =
        new SigningKeyManager(store, new ChangeStream(client, store.keys()), Optional.empty());
    SigningKeyManager.SigningKey key = keys.signingKey(MESH).await().atMost(Duration.ofSeconds(30));
    System.out.printf(
        "signing in this JVM: %d threads, %d rounds of %d s%n", threads, rounds, seconds);
    Rounds result =
        rounds(
            rounds,
            seconds,
            threads,
            (thread, i) ->
                DataplaneTokenSigner.sign(
                    claims("dp-" + thread + "-" + i, Instant.now()),
                    key.serial(),
                    key.privateKey()));
    System.out.printf(
        "signed in this JVM: median %.0f tokens/s, %.0f µs CPU each%n",
        BenchSupport.median(result.perSecond()), BenchSupport.median(result.cpuMicros()));
    return result.summary("tokens_per_second", threads);
  }

  /**
   * Verification of a pool of 1,000 distinct tokens, each bound to its proxy's name and service tag
   * and checked against that proxy's Dataplane spec, on {@code threads} threads.
   */
  private static Map<String, Object> verification(
      ResourceStore store, Redis client, int rounds, int seconds, int threads) throws Exception {
    ChangeStream changes = new ChangeStream(client, store.keys());
    SigningKeyManager keys = new SigningKeyManager(store, changes, Optional.empty());
    SigningKeyManager.SigningKey key = keys.signingKey(MESH).await().atMost(Duration.ofSeconds(30));
    int poolSize = 1_000;
    String[] tokens = new String[poolSize];
    Dataplane[] dataplanes = new Dataplane[poolSize];
    for (int i = 0; i < poolSize; i++) {
      tokens[i] =
          DataplaneTokenSigner.sign(
              claims("dp-" + i, Instant.now()), key.serial(), key.privateKey());
      dataplanes[i] = dataplane("dp-" + i, i);
    }
    DataplaneTokenVerifier verifier = new DataplaneTokenVerifier(store, changes, Clock.systemUTC());
    System.out.printf(
        "verifying in this JVM: %d threads, %d rounds of %d s%n", threads, rounds, seconds);
    Rounds result =
        rounds(
            rounds,
            seconds,
            threads,
            (thread, i) -> {
              int at = (int) ((i * 7919L + thread) % poolSize);
              verifier
                  .verify(tokens[at], MESH, "dp-" + at, ProxyType.DATAPLANE, dataplanes[at])
                  .await()
                  .atMost(Duration.ofSeconds(10));
            });
    System.out.printf(
        "verified in this JVM: median %.0f tokens/s, %.1f µs CPU each%n",
        BenchSupport.median(result.perSecond()), BenchSupport.median(result.cpuMicros()));
    Map<String, Object> out = result.summary("verifications_per_second", threads);
    out.put("distinct_tokens", poolSize);
    return out;
  }

  private interface Work {
    void run(int thread, long iteration) throws Exception;
  }

  /** Operations per second and CPU microseconds per operation, of each round. */
  private record Rounds(double[] perSecond, double[] cpuMicros) {
    Map<String, Object> summary(String unit, int threads) {
      Map<String, Object> out = TokenBenchmark.summary(perSecond, unit);
      out.put("threads", threads);
      out.put("median_cpu_us_each", Math.round(BenchSupport.median(cpuMicros) * 10) / 10.0);
      out.put(
          "capacity_on_two_idle_cores_per_second",
          Math.round(2e6 / BenchSupport.median(cpuMicros)));
      return out;
    }
  }

  /** A warm-up round, then {@code rounds} timed ones. */
  private static Rounds rounds(int rounds, int seconds, int threads, Work work) throws Exception {
    timed(Math.max(10, seconds), threads, work);
    double[] perSecond = new double[rounds];
    double[] cpuMicros = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      long self = ProcessHandle.current().pid();
      double cpuBefore = ProcessCpu.seconds(self);
      long count = timed(seconds, threads, work);
      cpuMicros[round] = (ProcessCpu.seconds(self) - cpuBefore) * 1e6 / count;
      perSecond[round] = count / (double) seconds;
      System.out.printf(
          "  round %d: %.0f/s, CPU %.1f µs each%n", round + 1, perSecond[round], cpuMicros[round]);
    }
    return new Rounds(perSecond, cpuMicros);
  }

  private static long timed(int seconds, int threads, Work work) throws Exception {
    AtomicLong done = new AtomicLong();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    long i = 0;
                    try {
                      while (System.nanoTime() < deadline) {
                        work.run(thread, i++);
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                    done.addAndGet(i);
                  }));
    }
    for (Thread worker : workers) {
      worker.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("benchmark work failed", failures.peek());
    }
    return done.get();
  }

  private static DataplaneTokenClaims claims(String name, Instant now) {
    return new DataplaneTokenClaims(
        name,
        MESH,
        new TreeMap<>(Map.of("kuma.io/service", List.of("svc-" + Math.abs(name.hashCode() % 100)))),
        "dataplane",
        "",
        UUID.randomUUID().toString(),
        now,
        now.minus(Duration.ofMinutes(5)),
        now.plus(Duration.ofHours(24)));
  }

  private static Dataplane dataplane(String name, int i) {
    String yaml =
        """
        type: Dataplane
        mesh: default
        name: %s
        networking:
          address: 10.0.%d.%d
          inbound:
          - port: 8000
            servicePort: 80
            tags: {kuma.io/service: svc-%d, kuma.io/protocol: http}
        """
            .formatted(name, i / 256 % 256, i % 256, Math.abs(name.hashCode() % 100));
    return ResourceCodec.instance()
        .<Dataplane>decode(
            yaml.getBytes(StandardCharsets.UTF_8), Format.YAML, ResourceType.DATAPLANE)
        .toResource(ResourceType.DATAPLANE)
        .spec();
  }

  // ---- reporting -------------------------------------------------------------------------------

  private static Map<String, Object> summary(double[] perSecond, String unit) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("median_" + unit, Math.round(BenchSupport.median(perSecond)));
    out.put(
        "rounds_" + unit,
        Arrays.stream(perSecond).mapToLong(Math::round).boxed().toList().toString());
    return out;
  }

  private static double round2(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
