package dev.quma.bench;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.launcher.ServiceProcess;
import dev.quma.launcher.ServiceSpec;
import dev.quma.local.LocalRedis;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Bootstraps per second on one bootstrap-service replica (a JVM process, HTTPS with a certificate
 * from the control plane CA), as agents ask for them in Direct mode: each request carries its
 * dataplane resource and a token bound to it, so every answer includes parsing and validating the
 * resource, verifying the token (RS256, expiry, revocation, binding), reading the mesh, the stored
 * dataplane and its last heartbeat from Redis, and building and printing the Envoy bootstrap. A
 * pool of 1,000 distinct dataplanes and tokens. Warm-up, then several rounds; the median round is
 * the figure. Starts its own Redis; writes {@code bench/results/bootstrap-<UTC stamp>.json}.
 */
public final class BootstrapBenchmark {
  private static final String MESH = "default";
  private static final int POOL = 1_000;

  public static void main(String[] args) throws Exception {
    int rounds = BenchSupport.intArg(args, "--rounds", 5);
    int seconds = BenchSupport.intArg(args, "--seconds", 5);
    int clients = BenchSupport.intArg(args, "--clients", 16);
    int warmup = BenchSupport.intArg(args, "--warmup", 60);
    Path home = Path.of(System.getProperty("quma.home", ".")).toAbsolutePath().normalize();
    Vertx vertx = Vertx.vertx();
    try (LocalRedis redis = LocalRedis.startEphemeral()) {
      Redis client = Redis.createClient(vertx, redis.url());
      ResourceStore store = new ResourceStore(client, StoreSettings.DEFAULTS);
      store
          .create(
              new Resource<>(ResourceMeta.of(ResourceType.MESH, null, MESH, Map.of()), Mesh.EMPTY))
          .await()
          .atMost(Duration.ofSeconds(10));
      SigningKeyManager keys =
          new SigningKeyManager(store, new ChangeStream(client, store.keys()), Optional.empty());
      String[] bodies = new String[POOL];
      for (int i = 0; i < POOL; i++) {
        String name = "dp-" + i;
        String token =
            ProxyTokens.issue(keys, MESH, name, Duration.ofHours(2))
                .await()
                .atMost(Duration.ofSeconds(30));
        bodies[i] = request(name, i, token);
      }

      int port = LocalRedis.freePort();
      int managementPort = LocalRedis.freePort();
      Path tls = Files.createTempDirectory("quma-bench-bootstrap-tls");
      ServiceSpec spec =
          new ServiceSpec(
              "bootstrap-service",
              home.resolve("bootstrap-service/target/quarkus-app/quarkus-run.jar"),
              managementPort,
              "bootstraps",
              Map.of());
      Map<String, Object> report = BenchSupport.report("bootstrap");
      report.put(
          "note",
          "one bootstrap-service replica (a JVM process, HTTPS), Redis and this client share the"
              + " machine; other builds may be running: compare medians. Direct mode: parse and"
              + " validate the resource, verify the token, three Redis reads, build and print the"
              + " bootstrap");
      try (ServiceProcess service =
          ServiceProcess.start(
              spec,
              Path.of(System.getProperty("java.home")),
              Map.of(
                  "QUMA_REDIS_URL", redis.url(),
                  "QUMA_BOOTSTRAP_PORT", String.valueOf(port),
                  "QUMA_BOOTSTRAP_MANAGEMENT_PORT", String.valueOf(managementPort),
                  "QUMA_TLS_DIR", tls.toString()),
              List.of("-Xmx512m"),
              null)) {
        service.awaitReady(Duration.ofSeconds(120));
        BootstrapBenchmark bench =
            new BootstrapBenchmark(port, tls.resolve("ca.crt"), bodies, service.pid(), redis.pid());
        report.put("bootstrap_over_https", bench.measure(rounds, seconds, clients, warmup));
      }
      client.close();
      BenchSupport.writeResults(home.resolve("bench/results"), "bootstrap", report);
    } finally {
      vertx.closeAndAwait();
    }
    System.exit(0);
  }

  private final HttpClient http;
  private final URI uri;
  private final String[] bodies;
  private final long servicePid;
  private final long redisPid;

  private BootstrapBenchmark(int port, Path ca, String[] bodies, long servicePid, long redisPid)
      throws Exception {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(trusting(ca))
            .build();
    this.uri = URI.create("https://localhost:" + port + "/bootstrap");
    this.bodies = bodies;
    this.servicePid = servicePid;
    this.redisPid = redisPid;
  }

  private Map<String, Object> measure(int rounds, int seconds, int clients, int warmup)
      throws Exception {
    System.out.printf(
        "POST /bootstrap over HTTPS: %d clients, %d s warm-up, then %d rounds of %d s%n",
        clients, warmup, rounds, seconds);
    run(clients, Duration.ofSeconds(warmup), new Latencies("warm-up"));
    Latencies latencies = new Latencies("POST /bootstrap");
    Map<String, DoubleSupplier> processes = new LinkedHashMap<>();
    processes.put("bootstrap_service", () -> ProcessCpu.seconds(servicePid));
    processes.put("redis", () -> ProcessCpu.seconds(redisPid));
    processes.put("benchmark_client", () -> ProcessCpu.seconds(ProcessHandle.current().pid()));
    LoadRounds.Result result =
        LoadRounds.measure(
            rounds,
            seconds,
            "bootstraps",
            duration -> run(clients, duration, latencies),
            processes);
    Map<String, Object> out = result.throughput("bootstraps_per_second");
    out.put("median_cpu_ms_per_bootstrap", result.medianCpuMs(3));
    double serverSide = result.medianCpuMs("bootstrap_service") + result.medianCpuMs("redis");
    long capacity = Math.round(2000 / serverSide);
    out.put("capacity_on_two_idle_cores_bootstraps_per_second", capacity);
    out.put("clients", clients);
    out.put("latency", latencies.summary());
    System.out.printf(
        "bootstraps over HTTPS: median %.0f/s, p50 %.2f ms, p99 %.2f ms; server-side CPU %.3f ms"
            + " each: two idle cores would sustain about %d/s%n",
        result.medianPerSecond(),
        latencies.percentileMillis(50),
        latencies.percentileMillis(99),
        serverSide,
        capacity);
    return out;
  }

  /** {@code clients} threads asking for bootstraps one after another for {@code duration}. */
  private long run(int clients, Duration duration, Latencies latencies) throws Exception {
    return ClosedLoop.run(
        http,
        clients,
        duration,
        (client, n) ->
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(bodies[(client * 61 + n) % bodies.length]))
                .build(),
        "bootstrap",
        latencies);
  }

  private static String request(String name, int i, String token) {
    String resource =
        "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"%s\",\"networking\":{\"address\":\"10.%d.%d.%d\",\"inbound\":[{\"port\":8000,\"servicePort\":80,\"tags\":{\"kuma.io/service\":\"svc-%d\",\"kuma.io/protocol\":\"http\"}}],\"outbound\":[{\"port\":10000,\"tags\":{\"kuma.io/service\":\"redis\"}}]}}"
            .formatted(name, i / 65536, (i / 256) % 256, i % 256 + 1, i % 50);
    var request = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    request.put("mesh", MESH).put("name", name).put("proxyType", "dataplane");
    request.put("dataplaneToken", token).put("dataplaneResource", resource);
    request.putObject("version").putObject("kumaDp").put("version", "0.1.0");
    return request.toString();
  }

  private static SSLContext trusting(Path ca) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(ca)) {
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private static double round3(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
