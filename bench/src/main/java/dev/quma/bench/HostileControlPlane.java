package dev.quma.bench;

import dev.quma.hostile.HostileGenerator;
import dev.quma.hostile.HostileRequest.Service;
import dev.quma.hostile.HostileRun;
import dev.quma.hostile.Oracle;
import dev.quma.hostile.RawHttp;
import dev.quma.hostile.RedisSnapshot;
import dev.quma.launcher.ServiceProcess;
import dev.quma.launcher.ServiceSpec;
import dev.quma.local.LocalPostgres;
import dev.quma.local.LocalRedis;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The services the hostile-input run aims at, each a process as in production, on a Redis and a
 * PostgreSQL database of their own: api-service, token-service and bootstrap-service (HTTPS). It
 * plants a canary secret, reads the admin token and issues a dataplane token, so that the generator
 * can send requests that are valid; and it watches every line the services print for a forged one.
 * Shared by {@code bin/bench hostile} and its test in CI.
 */
public final class HostileControlPlane implements AutoCloseable {
  private static final String CANARY = "canary-" + UUID.randomUUID();
  private static final Pattern SECRET_DATA = Pattern.compile("\"data\"\\s*:\\s*\"([^\"]+)\"");

  /**
   * What a refused request must leave as it was: all but leases and the counters' reconcile (its
   * claim, and the scratch keys of its rebuild).
   */
  private static boolean compared(String key) {
    return !key.contains(":lease:")
        && !key.contains(":stats:reconcile")
        && !key.contains(":stats:rebuild:");
  }

  private final List<AutoCloseable> running =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final Map<Service, HostileRun.Endpoint> endpoints = new EnumMap<>(Service.class);
  private final ForgedLines forged;
  private final List<Listener> listeners = new ArrayList<>();
  private volatile int bootstrapManagement;
  private final LocalRedis redis;
  private final LocalRedis background;
  private final int postgresPort;
  private final String database;
  private LocalPostgres ownPostgres;
  private String adminToken;
  private String dataplaneToken;

  private HostileControlPlane(Path home, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    forged = new ForgedLines(Files.newOutputStream(log));
    redis = LocalRedis.startEphemeral();
    running.add(redis);
    // xds-service and lifecycle-worker write heartbeats and sweep by themselves: a store of their
    // own, so that the one the hostile requests meet changes only by their doing.
    background = LocalRedis.startEphemeral();
    running.add(background);
    int pgPort = 5432;
    if (!LocalPostgres.answers("127.0.0.1", pgPort)) {
      ownPostgres = LocalPostgres.startEphemeral();
      pgPort = ownPostgres.port();
    }
    postgresPort = pgPort;
    database = "quma_hostile_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    LocalPostgres.createDatabaseIfAbsent("127.0.0.1", postgresPort, database);

    // Started side by side; the API after the token-service, whose address its ledger
    // pass-through (/gui/api/tokens/...) relays to.
    CompletableFuture<Integer> tokens =
        CompletableFuture.supplyAsync(() -> startUntilReady(() -> tokens(home)));
    CompletableFuture<Integer> api =
        tokens.thenApplyAsync(port -> startUntilReady(() -> api(home, port)));
    CompletableFuture<Integer> bootstrap =
        CompletableFuture.supplyAsync(() -> startUntilReady(() -> bootstrap(home)));
    // The other HTTP listeners (health and metrics), for the connection timeouts.
    CompletableFuture<Integer> xds =
        CompletableFuture.supplyAsync(() -> startUntilReady(() -> xds(home)));
    CompletableFuture<Integer> lifecycle =
        CompletableFuture.supplyAsync(() -> startUntilReady(() -> lifecycle(home)));
    try {
      endpoints.put(Service.TOKENS, new HostileRun.Endpoint("127.0.0.1", tokens.join(), false));
      endpoints.put(Service.API, new HostileRun.Endpoint("127.0.0.1", api.join(), false));
      endpoints.put(
          Service.BOOTSTRAP, new HostileRun.Endpoint("127.0.0.1", bootstrap.join(), true));
      listeners.add(new Listener("api-service", endpoints.get(Service.API).port(), false));
      listeners.add(new Listener("token-service", endpoints.get(Service.TOKENS).port(), false));
      listeners.add(new Listener("bootstrap-service", bootstrap.join(), true));
      listeners.add(new Listener("bootstrap-service management", bootstrapManagement, false));
      listeners.add(new Listener("xds-service", xds.join(), false));
      listeners.add(new Listener("lifecycle-worker", lifecycle.join(), false));
    } catch (CompletionException e) {
      close();
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    plantFixtures();
  }

  /**
   * Starts the three services and the fixtures; {@code home} is the checkout's root, {@code log}
   * where the services' output goes.
   */
  public static HostileControlPlane start(Path home, Path log) throws IOException {
    return new HostileControlPlane(home, log);
  }

  /** Runs {@code cases} requests generated from {@code seed} against {@code services}. */
  public HostileRun.Report run(long seed, long cases, List<Service> services) throws IOException {
    Map<Service, Integer> ports = new EnumMap<>(Service.class);
    endpoints.forEach((service, at) -> ports.put(service, at.port()));
    HostileGenerator generator =
        new HostileGenerator(
            seed, new HostileGenerator.Fixtures(services, ports, adminToken, dataplaneToken));
    Oracle oracle =
        new Oracle(
            List.of(
                CANARY,
                base64(CANARY),
                adminToken,
                base64(adminToken),
                dataplaneToken.substring(dataplaneToken.lastIndexOf('.') + 1)));
    Map<Service, HostileRun.Endpoint> aimed = new EnumMap<>(Service.class);
    services.forEach(service -> aimed.put(service, endpoints.get(service)));
    try (RedisSnapshot store =
        new RedisSnapshot("127.0.0.1", redis.port(), HostileControlPlane::compared)) {
      return new HostileRun(aimed, store, oracle).run(generator, cases);
    }
  }

  /** An HTTP listener of a service: where connection timeouts are checked. */
  public record Listener(String name, int port, boolean tls) {}

  /** Every HTTP listener of the control plane's services. */
  public List<Listener> listeners() {
    return List.copyOf(listeners);
  }

  /** Lines of the services' output that start with the generator's forged-line marker. */
  public long forgedLogLines() {
    return forged.count();
  }

  private void plantFixtures() throws IOException {
    int apiPort = endpoints.get(Service.API).port();
    try (RawHttp http = new RawHttp("127.0.0.1", apiPort, false, Duration.ofSeconds(30))) {
      String host = "localhost:" + apiPort;
      RawHttp.Response secret =
          http.send(
              RawHttp.request(
                  "GET",
                  "/global-secrets/admin-user-token",
                  List.of(Map.entry("Host", host)),
                  null),
              false);
      Matcher data = SECRET_DATA.matcher(secret.text());
      if (secret.status() != 200 || !data.find()) {
        throw new IllegalStateException("no admin token: " + secret.status() + " " + secret.text());
      }
      adminToken = new String(Base64.getDecoder().decode(data.group(1)), StandardCharsets.UTF_8);
      String canary =
          "{\"type\":\"GlobalSecret\",\"name\":\"canary\",\"data\":\"" + base64(CANARY) + "\"}";
      expect(
          http.send(
              RawHttp.request(
                  "PUT",
                  "/global-secrets/canary",
                  List.of(Map.entry("Host", host), Map.entry("Content-Type", "application/json")),
                  canary.getBytes(StandardCharsets.UTF_8)),
              false),
          201,
          "the canary secret");
    }
    int tokenPort = endpoints.get(Service.TOKENS).port();
    try (RawHttp http = new RawHttp("127.0.0.1", tokenPort, false, Duration.ofSeconds(30))) {
      RawHttp.Response token =
          http.send(
              RawHttp.request(
                  "POST",
                  "/tokens/dataplane",
                  List.of(
                      Map.entry("Host", "localhost:" + tokenPort),
                      Map.entry("Content-Type", "application/json"),
                      Map.entry("Accept", "text/plain")),
                  "{\"mesh\":\"default\",\"name\":\"redis-1\",\"validFor\":\"24h\"}"
                      .getBytes(StandardCharsets.UTF_8)),
              false);
      expect(token, 200, "a dataplane token");
      dataplaneToken = token.text().trim();
    }
  }

  private static void expect(RawHttp.Response response, int status, String what) {
    if (response.status() != status) {
      throw new IllegalStateException(what + ": " + response.status() + " " + response.text());
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private record Started(int port, ServiceProcess process) {}

  private Started api(Path home, int tokenServicePort) {
    int port = LocalRedis.freePort();
    return new Started(
        port,
        process(
            new ServiceSpec(
                "api-service",
                jar(home, "api-service"),
                port,
                "HTTP API",
                Map.of("KUMA_API_SERVER_HTTP_PORT", String.valueOf(port))),
            Map.of("QUMA_TOKEN_SERVICE_ADDRESS", "http://127.0.0.1:" + tokenServicePort)));
  }

  private Started tokens(Path home) {
    int port = LocalRedis.freePort();
    return new Started(
        port,
        process(
            new ServiceSpec(
                "token-service",
                jar(home, "token-service"),
                port,
                "dataplane tokens",
                Map.of("QUMA_TOKEN_SERVICE_HTTP_PORT", String.valueOf(port))),
            Map.of(
                "QUMA_DATABASE_URL",
                "postgresql://127.0.0.1:" + postgresPort + "/" + database,
                "QUMA_DATABASE_USERNAME",
                "postgres")));
  }

  private Started bootstrap(Path home) {
    int port = LocalRedis.freePort();
    int management = LocalRedis.freePort();
    Path tls;
    try {
      tls = Files.createTempDirectory("quma-hostile-bootstrap-tls");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    bootstrapManagement = management;
    return new Started(
        port,
        process(
            new ServiceSpec(
                "bootstrap-service",
                jar(home, "bootstrap-service"),
                management,
                "bootstraps",
                Map.of()),
            Map.of(
                "QUMA_BOOTSTRAP_PORT", String.valueOf(port),
                "QUMA_BOOTSTRAP_MANAGEMENT_PORT", String.valueOf(management),
                "QUMA_TLS_DIR", tls.toString())));
  }

  private Started xds(Path home) {
    int port = LocalRedis.freePort();
    Path tls;
    try {
      tls = Files.createTempDirectory("quma-hostile-xds-tls");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new Started(
        port,
        process(
            new ServiceSpec("xds-service", jar(home, "xds-service"), port, "xDS", Map.of()),
            Map.of(
                "QUMA_XDS_PORT", String.valueOf(LocalRedis.freePort()),
                "QUMA_XDS_HTTP_PORT", String.valueOf(port),
                "QUMA_XDS_INSTANCE_ID", "xds-hostile",
                "QUMA_TLS_DIR", tls.toString()),
            background));
  }

  private Started lifecycle(Path home) {
    int port = LocalRedis.freePort();
    return new Started(
        port,
        process(
            new ServiceSpec(
                "lifecycle-worker", jar(home, "lifecycle-worker"), port, "sweeps", Map.of()),
            Map.of("QUMA_LIFECYCLE_HTTP_PORT", String.valueOf(port)),
            background));
  }

  private ServiceProcess process(ServiceSpec spec, Map<String, String> environment) {
    return process(spec, environment, redis);
  }

  private ServiceProcess process(
      ServiceSpec spec, Map<String, String> environment, LocalRedis store) {
    Map<String, String> env = new java.util.HashMap<>(environment);
    env.put("QUMA_REDIS_URL", store.url());
    ServiceProcess process =
        ServiceProcess.start(
            spec,
            Path.of(System.getProperty("java.home")),
            env,
            List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
            forged.stream());
    running.add(process);
    return process;
  }

  /**
   * Starts a service until it is ready, three tries at most: a port found free may be taken by
   * another process of this busy machine before the service binds it.
   */
  private int startUntilReady(Supplier<Started> starter) {
    return ServiceProcess.startUntilReady(
            3,
            Duration.ofSeconds(90),
            starter,
            Started::process,
            failed -> running.remove(failed.process()))
        .port();
  }

  private static Path jar(Path home, String module) {
    Path jar = home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build first (mvn -DskipTests package)");
    }
    return jar;
  }

  @Override
  public void close() {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        // already gone
      }
    }
    running.clear();
    try {
      forged.close();
    } catch (IOException e) {
      // nothing more to keep
    }
    try {
      LocalPostgres.dropDatabase("127.0.0.1", postgresPort, database);
    } catch (RuntimeException e) {
      // the server went first
    }
    if (ownPostgres != null) {
      ownPostgres.close();
    }
  }

  /**
   * Copies the services' output to a file and counts the lines that start (after the service's
   * name) with the forged-line marker.
   */
  private static final class ForgedLines extends OutputStream {
    private final AtomicLong count = new AtomicLong();
    private final StringBuilder line = new StringBuilder();
    private final OutputStream copy;

    ForgedLines(OutputStream copy) {
      this.copy = new java.io.BufferedOutputStream(copy);
    }

    PrintStream stream() {
      return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    long count() {
      return count.get();
    }

    @Override
    public synchronized void write(int b) throws IOException {
      copy.write(b);
      if (b == '\n') {
        // "[service] " comes first: the copier's prefix.
        String text = line.toString();
        if (text.substring(text.indexOf("] ") + 2).startsWith(HostileGenerator.FORGED_LINE)) {
          count.incrementAndGet();
        }
        line.setLength(0);
      } else if (line.length() < 128) {
        line.append((char) b);
      }
    }

    @Override
    public synchronized void flush() throws IOException {
      copy.flush();
    }

    @Override
    public synchronized void close() throws IOException {
      copy.close();
    }
  }
}
