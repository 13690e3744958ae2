package dev.quma.bench;

import dev.quma.launcher.ServiceJvm;
import dev.quma.launcher.ServiceProcess;
import dev.quma.launcher.ServiceSpec;
import dev.quma.local.LocalPostgres;
import dev.quma.local.LocalRedis;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bin/bench start}: each service alone on the machine (its Redis, and PostgreSQL for
 * token-service, already up), started again and again under four cases: the plain JVM (bin/run's
 * former {@code -Xmx256m}), AppCDS (a dynamic archive made by an untimed first start), the AOT
 * cache (the same heap, the training's GC), and the AOT cache with the tuned flags of the service's
 * {@code src/main/jvm/jvm.options} (what bin/run and the images run). Per start: the time from
 * launching the process to {@code /q/health/ready} answering 200, the RSS idle after ready, and the
 * RSS after a short load. The cases take turns round by round, so that the machine's load falls on
 * all of them alike. Medians of every case, and the ready-time ratio against the plain JVM, go to
 * {@code bench/results/start-<UTC stamp>.json}; each start's output goes to {@code
 * bench/target/start-logs/}.
 */
public final class StartBenchmark {
  private static final List<String> SERVICES =
      List.of(
          "api-service", "xds-service", "lifecycle-worker", "token-service", "bootstrap-service");
  private static final List<String> CASES = List.of("plain", "appcds", "aot", "aot+tuned");
  private static final Duration READY_WITHIN = Duration.ofSeconds(120);

  private final Path home;
  private final Path logs;
  private final int feature = Runtime.version().feature();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private StartBenchmark(Path home) throws IOException {
    this.home = home;
    this.logs = Files.createDirectories(home.resolve("bench/target/start-logs"));
  }

  public static void main(String[] args) throws Exception {
    int starts = BenchSupport.intArg(args, "--starts", 5);
    int requests = BenchSupport.intArg(args, "--requests", 200);
    List<String> services = SERVICES;
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--services")) {
        services = Arrays.asList(args[i + 1].split(","));
      }
    }
    Path home = Path.of(System.getProperty("quma.home", ".")).toAbsolutePath().normalize();
    new StartBenchmark(home).run(services, starts, requests);
    System.exit(0);
  }

  private void run(List<String> services, int starts, int requests) throws Exception {
    Map<String, Object> report = BenchSupport.report("start");
    report.put("starts_per_case", starts);
    report.put("load_requests", requests);
    report.put(
        "note",
        "one service at a time, with its Redis (and PostgreSQL); ready = process launch to"
            + " /q/health/ready 200 (polled every 20 ms); RSS idle 2 s after ready, RSS after the"
            + " load (GET /q/metrics and /q/health/ready, api-service also its dataplane list);"
            + " other builds may share the machine: compare medians and ratios within a run");
    Map<String, Object> results = new LinkedHashMap<>();
    try (LocalRedis redis = LocalRedis.startEphemeral();
        Database database = Database.open()) {
      for (String service : services) {
        results.put(service, service(service, redis, database, starts, requests));
      }
    }
    report.put("services", results);
    report.put("load_average_at_end", BenchSupport.loadAverage());
    BenchSupport.writeResults(home.resolve("bench/results"), "start", report);
  }

  /** Every case of one service, round by round. */
  private Map<String, Object> service(
      String name, LocalRedis redis, Database database, int starts, int requests) throws Exception {
    Path archive = Files.createTempDirectory("quma-bench-cds").resolve(name + ".jsa");
    Map<String, List<Start>> byCase = new LinkedHashMap<>();
    CASES.forEach(c -> byCase.put(c, new ArrayList<>()));
    // AppCDS's dynamic archive is written when the first start with it exits: not timed.
    start(name, "appcds-dump", options(name, "appcds", archive), redis, database, 0, 0);
    for (int round = 1; round <= starts; round++) {
      for (String c : CASES) {
        Start start = start(name, c, options(name, c, archive), redis, database, round, requests);
        byCase.get(c).add(start);
        System.out.printf(
            "%-18s %-10s start %d: ready %.2f s, RSS idle %d MiB, after load %d MiB%s%n",
            name,
            c,
            round,
            start.readySeconds(),
            start.rssIdleMib(),
            start.rssLoadedMib(),
            start.cacheRefused()
                ? " (the JVM refused the AOT cache: see " + start.log() + ")"
                : "");
      }
    }
    Map<String, Object> cases = new LinkedHashMap<>();
    double plainReady = median(byCase.get("plain"), Start::readySeconds);
    for (Map.Entry<String, List<Start>> e : byCase.entrySet()) {
      List<Start> list = e.getValue();
      double ready = median(list, Start::readySeconds);
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("options", options(name, e.getKey(), archive));
      figures.put("ready_s_median", round(ready));
      figures.put("ready_s_all", list.stream().map(s -> round(s.readySeconds())).toList());
      figures.put("rss_idle_mib_median", median(list, s -> s.rssIdleMib()));
      figures.put("rss_after_load_mib_median", median(list, s -> s.rssLoadedMib()));
      figures.put("ready_speedup_vs_plain", round(plainReady / ready));
      figures.put("cache_refused_starts", list.stream().filter(Start::cacheRefused).count());
      cases.put(e.getKey(), figures);
    }
    System.out.printf("%s medians:%n", name);
    cases.forEach(
        (c, f) -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = (Map<String, Object>) f;
          System.out.printf(
              "  %-10s ready %5.2f s (%.2fx plain), RSS idle %4.0f MiB, after load %4.0f MiB%n",
              c,
              m.get("ready_s_median"),
              m.get("ready_speedup_vs_plain"),
              m.get("rss_idle_mib_median"),
              m.get("rss_after_load_mib_median"));
        });
    return cases;
  }

  /** The JVM options of one case; every case gets the JDK's unsafe-access flag where it has one. */
  private List<String> options(String name, String c, Path archive) {
    ServiceSpec spec = spec(name);
    ServiceJvm tuned = ServiceJvm.of(spec, feature, true);
    List<String> options = new ArrayList<>();
    switch (c) {
      case "plain" -> options.add("-Xmx256m");
      case "appcds" -> {
        options.add("-Xmx256m");
        options.add("-XX:SharedArchiveFile=" + archive);
        options.add("-XX:+AutoCreateSharedArchive");
      }
      case "aot" -> {
        // The plain heap, but the GC the cache was trained with: under another the JVM refuses it.
        options.add("-Xmx256m");
        options.add(trainedGc(name));
        options.add("-XX:AOTCache=" + spec.jar().resolveSibling("app.aot"));
      }
      case "aot+tuned" -> {
        if (!tuned.usesCache()) {
          throw new IllegalStateException(
              tuned.cacheNote().orElse(name + ": no AOT cache") + " (bin/bench start builds it)");
        }
        // The JVM's own word on a refused cache is kept here (not -Xlog:aot*=off as in bin/run).
        tuned.options().stream().filter(o -> !o.startsWith("-Xlog:aot")).forEach(options::add);
        return options;
      }
      default -> throw new IllegalArgumentException(c);
    }
    if (feature >= 24) {
      options.add("--sun-misc-unsafe-memory-access=allow");
    }
    return options;
  }

  /**
   * The {@code -XX:+Use...GC} line of the service's jvm.options, which its cache was made under.
   */
  private String trainedGc(String name) {
    try {
      return Files.readAllLines(home.resolve(name + "/src/main/jvm/jvm.options")).stream()
          .map(String::trim)
          .filter(l -> l.matches("-XX:\\+Use\\w+GC"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(name + "'s jvm.options names no GC"));
    } catch (IOException e) {
      throw new IllegalStateException("could not read " + name + "'s jvm.options", e);
    }
  }

  /** One start: launch, wait for ready, measure, load, measure, stop. */
  private Start start(
      String name,
      String c,
      List<String> options,
      LocalRedis redis,
      Database database,
      int round,
      int requests)
      throws Exception {
    ServiceSpec spec = spec(name);
    Map<String, String> environment = new HashMap<>(database.environment());
    environment.put("QUMA_REDIS_URL", redis.url());
    environment.put("QUMA_TLS_DIR", Files.createTempDirectory("quma-bench-tls").toString());
    Path log = logs.resolve(name + "-" + c.replace('+', '-') + "-" + round + ".log");
    try (PrintStream out =
        new PrintStream(new FileOutputStream(log.toFile()), true, StandardCharsets.UTF_8)) {
      long launched = System.nanoTime();
      try (ServiceProcess process =
          ServiceProcess.start(
              spec, Path.of(System.getProperty("java.home")), environment, options, out)) {
        double ready = awaitReady(process, spec, launched, log);
        Thread.sleep(2000);
        long idle = process.residentMib();
        load(spec, name, requests);
        Thread.sleep(1000);
        long loaded = process.residentMib();
        boolean refused = Files.readString(log).contains("][aot]") && c.startsWith("aot");
        return new Start(ready, idle, loaded, refused, log);
      }
    }
  }

  /** Seconds from launch to the first 200 of {@code /q/health/ready}. */
  private double awaitReady(ServiceProcess process, ServiceSpec spec, long launched, Path log)
      throws InterruptedException {
    URI ready = URI.create("http://127.0.0.1:" + spec.httpPort() + "/q/health/ready");
    long deadline = launched + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.alive()) {
        throw new IllegalStateException(
            spec.name() + " exited before it was ready; its output is in " + log);
      }
      if (status(ready) == 200) {
        return (System.nanoTime() - launched) / 1e9;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(spec.name() + " was not ready in time; see " + log);
  }

  /** The short load: the service's metrics and readiness, and for api-service its main list. */
  private void load(ServiceSpec spec, String name, int requests) {
    String base = "http://127.0.0.1:" + spec.httpPort();
    List<String> paths = new ArrayList<>(List.of("/q/metrics", "/q/health/ready"));
    if (name.equals("api-service")) {
      paths.add("/meshes/default/dataplanes");
      paths.add("/meshes");
    }
    for (int i = 0; i < requests; i++) {
      int status = status(URI.create(base + paths.get(i % paths.size())));
      if (status != 200) {
        throw new IllegalStateException(name + " answered " + status + " during the load");
      }
    }
  }

  private int status(URI uri) {
    try {
      return http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * The service as bin/run knows it, on free ports (so nothing else running here is in the way),
   * its health port in {@code httpPort}.
   */
  private ServiceSpec spec(String name) {
    ServiceSpec known =
        ServiceSpec.all(home).stream()
            .filter(s -> s.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no service named " + name));
    Map<String, String> environment = new HashMap<>(known.environment());
    int health = LocalRedis.freePort();
    switch (name) {
      case "api-service" -> environment.put("KUMA_API_SERVER_HTTP_PORT", String.valueOf(health));
      case "xds-service" -> {
        environment.put("QUMA_XDS_PORT", String.valueOf(LocalRedis.freePort()));
        environment.put("QUMA_XDS_HTTP_PORT", String.valueOf(health));
      }
      case "lifecycle-worker" ->
          environment.put("QUMA_LIFECYCLE_HTTP_PORT", String.valueOf(health));
      case "token-service" ->
          environment.put("QUMA_TOKEN_SERVICE_HTTP_PORT", String.valueOf(health));
      case "bootstrap-service" -> {
        environment.put("QUMA_BOOTSTRAP_PORT", String.valueOf(LocalRedis.freePort()));
        environment.put("QUMA_BOOTSTRAP_MANAGEMENT_PORT", String.valueOf(health));
        environment.remove("QUMA_TLS_DIR");
      }
      default -> throw new IllegalArgumentException(name);
    }
    return new ServiceSpec(name, known.jar(), health, known.description(), environment);
  }

  private static double median(List<Start> starts, java.util.function.ToDoubleFunction<Start> f) {
    return BenchSupport.median(starts.stream().mapToDouble(f).toArray());
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  /** What one start measured. */
  private record Start(
      double readySeconds, long rssIdleMib, long rssLoadedMib, boolean cacheRefused, Path log) {}

  /** token-service's database: on the machine's PostgreSQL when it answers, else a local one. */
  private record Database(LocalPostgres own, int port, String name) implements AutoCloseable {
    static Database open() {
      String name = "quma_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
      LocalPostgres own = null;
      int port = 5432;
      if (!LocalPostgres.answers("127.0.0.1", port)) {
        own = LocalPostgres.startEphemeral();
        port = own.port();
      }
      LocalPostgres.createDatabaseIfAbsent("127.0.0.1", port, name);
      return new Database(own, port, name);
    }

    Map<String, String> environment() {
      return Map.of(
          "QUMA_DATABASE_URL", "postgresql://127.0.0.1:" + port + "/" + name,
          "QUMA_DATABASE_USERNAME", "postgres",
          "QUMA_DATABASE_PASSWORD", "");
    }

    @Override
    public void close() {
      try {
        LocalPostgres.dropDatabase("127.0.0.1", port, name);
      } finally {
        if (own != null) {
          own.close();
        }
      }
    }
  }
}
