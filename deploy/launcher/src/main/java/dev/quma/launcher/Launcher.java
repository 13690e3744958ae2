package dev.quma.launcher;

import dev.quma.local.LocalPostgres;
import dev.quma.local.LocalRedis;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the whole control plane on one machine: Redis (a local one unless {@code QUMA_REDIS_URL} or
 * {@code --redis-url} names one), then every service as its own process; waits until each is ready,
 * prints where they listen, and stops them all on Ctrl-C.
 */
public final class Launcher {
  private static final int DEFAULT_REDIS_PORT = 6379;
  private static final String DATABASE = "quma";

  public static void main(String[] args) throws Exception {
    LauncherOptions options;
    try {
      options = LauncherOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("launcher: " + e.getMessage());
      System.err.println(LauncherOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(LauncherOptions.USAGE);
      return;
    }
    new Launcher().run(options, System.out);
  }

  void run(LauncherOptions options, PrintStream out) throws InterruptedException {
    List<AutoCloseable> running = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("stopping...");
                  long stopping = System.nanoTime();
                  stopAll(running);
                  out.printf(
                      "stopped (%.1f s)%n", (System.nanoTime() - stopping) / 1_000_000_000.0);
                  out.flush();
                  stopped.countDown();
                }));
    long start = System.nanoTime();
    String redisUrl = options.redisUrl();
    if (redisUrl == null) {
      int port =
          LocalRedis.answersPing("127.0.0.1", DEFAULT_REDIS_PORT) || !portFree(DEFAULT_REDIS_PORT)
              ? LocalRedis.freePort()
              : DEFAULT_REDIS_PORT;
      LocalRedis redis = LocalRedis.start(port, options.home().resolve(".quma/redis"));
      running.add(redis);
      redisUrl = redis.url();
      out.println(
          "started a local Redis on "
              + redisUrl
              + " (data in .quma/redis; set QUMA_REDIS_URL to use your own)");
    } else {
      out.println("using Redis at " + redisUrl);
    }
    Map<String, String> environment = new HashMap<>();
    environment.put("QUMA_REDIS_URL", redisUrl);
    if (options.redisClientType() != null) {
      environment.put("QUMA_REDIS_CLIENT_TYPE", options.redisClientType());
    }
    String databaseUrl = options.databaseUrl();
    if (databaseUrl == null) {
      LocalPostgres postgres =
          LocalPostgres.start(LocalRedis.freePort(), options.home().resolve(".quma/postgres"));
      running.add(postgres);
      postgres.createDatabaseIfAbsent(DATABASE);
      databaseUrl = postgres.reactiveUrl(DATABASE);
      environment.put("QUMA_DATABASE_USERNAME", "postgres");
      environment.put("QUMA_DATABASE_PASSWORD", "");
      out.println(
          "started a local PostgreSQL on "
              + databaseUrl
              + " (data in .quma/postgres; set QUMA_DATABASE_URL to use your own)");
    } else {
      out.println("using PostgreSQL at " + databaseUrl);
    }
    environment.put("QUMA_DATABASE_URL", databaseUrl);
    List<ServiceProcess> services = new ArrayList<>();
    try {
      for (ServiceSpec spec : ServiceSpec.all(options.home())) {
        Map<String, String> serviceEnvironment = new HashMap<>(environment);
        // Where a service writes the certificate it got from the control plane CA, and the CA
        // that agents trust (--ca-cert-file .quma/tls/bootstrap-service/ca.crt).
        serviceEnvironment.put("QUMA_TLS_DIR", tlsDir(options, spec).toString());
        ServiceJvm jvm = ServiceJvm.of(spec, options.javaHome());
        jvm.cacheNote().ifPresent(out::println);
        ServiceProcess service =
            ServiceProcess.start(spec, options.javaHome(), serviceEnvironment, jvm.options(), out);
        running.add(service);
        services.add(service);
      }
      for (ServiceProcess service : services) {
        service.awaitReady(Duration.ofSeconds(90));
      }
    } catch (RuntimeException e) {
      out.println("launcher: " + e.getMessage());
      System.exit(1);
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    out.println();
    out.printf("Quma control plane is ready (%.1f s):%n", elapsed.toMillis() / 1000.0);
    for (ServiceProcess service : services) {
      long rss = service.residentMib();
      out.printf(
          "  %-18s http://localhost:%d  %s (pid %d%s)%n",
          service.spec().name(),
          service.spec().httpPort(),
          service.spec().description(),
          service.pid(),
          rss < 0 ? "" : ", RSS " + rss + " MiB");
    }
    out.println("  Redis              " + redisUrl);
    out.println("  PostgreSQL         " + databaseUrl);
    out.println();
    out.println("Try:  curl localhost:5681/meshes/default/dataplanes");
    out.println(
        "      bin/qumactl generate dataplane-token --mesh default --name redis-1"
            + " --tag kuma.io/service=redis --valid-for 24h > /tmp/kuma-dp-redis-1-token");
    out.println(
        "      bin/dp-agent run --cp-address=https://localhost:5682"
            + " --ca-cert-file=.quma/tls/bootstrap-service/ca.crt --dataplane-file=dp.yaml"
            + " --dataplane-token-file=/tmp/kuma-dp-redis-1-token --bootstrap-only");
    out.println(
        "      prometheus, with kuma_sd_configs: [{server: http://localhost:5676}] (MADS, on"
            + " xds-service)");
    out.println("Admin token (for calls from other hosts):");
    out.println(
        "  curl -s localhost:5681/global-secrets/admin-user-token | sed 's/.*\"data\":\"\\([^\"]*\\)\".*/\\1/' | base64 -d");
    if (options.demo()) {
      try {
        running.add(
            new Demo(
                    options.home(),
                    options.home().resolve(".quma/tls/bootstrap-service/ca.crt"),
                    out)
                .run());
      } catch (Exception e) {
        out.println("launcher: the demo failed: " + e.getMessage());
        System.exit(1);
      }
    }
    out.println("Ctrl-C stops everything.");
    stopped.await();
  }

  private static java.nio.file.Path tlsDir(LauncherOptions options, ServiceSpec spec) {
    return options.home().resolve(".quma/tls").resolve(spec.name());
  }

  private static void stopAll(List<AutoCloseable> running) {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        // keep stopping the others
      }
    }
  }

  private static boolean portFree(int port) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
      socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
