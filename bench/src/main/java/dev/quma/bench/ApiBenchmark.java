package dev.quma.bench;

import dev.quma.launcher.ServiceProcess;
import dev.quma.launcher.ServiceSpec;
import dev.quma.local.LocalRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Latency of the resource API over loopback: single PUTs of dataplanes (10,000 by default, one at a
 * time) and listing pages of 100 out of them (unfiltered at random offsets, and filtered by tag).
 * Starts its own Redis and api-service process, warms the JVM up first, prints p50/p90/p99 and
 * writes them to {@code bench/results/}.
 */
public final class ApiBenchmark {
  private static final int WARMUP_REQUESTS = 3_000;

  public static void main(String[] args) throws Exception {
    int dataplanes = BenchSupport.intArg(args, "--dataplanes", 10_000);
    int pageRequests = BenchSupport.intArg(args, "--page-requests", 2_000);
    Path home = Path.of(System.getProperty("quma.home", ".")).toAbsolutePath().normalize();
    Path results = home.resolve("bench/results");

    try (LocalRedis redis = LocalRedis.startEphemeral()) {
      int port = LocalRedis.freePort();
      ServiceSpec api = BenchSupport.apiService(home, port, Map.of());
      try (ServiceProcess service =
          ServiceProcess.start(
              api,
              Path.of(System.getProperty("java.home")),
              Map.of("QUMA_REDIS_URL", redis.url()),
              List.of("-Xmx512m"),
              null)) {
        service.awaitReady(Duration.ofSeconds(60));
        Map<String, Object> report = new ApiBenchmark(port).run(dataplanes, pageRequests);
        BenchSupport.writeResults(results, "api-latency", report);
      }
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;

  private ApiBenchmark(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  private Map<String, Object> run(int dataplanes, int pageRequests) throws Exception {
    put("/meshes/warmup", "{\"type\":\"Mesh\",\"name\":\"warmup\"}", new Latencies("ignored"));
    Latencies warmup = new Latencies("warmup");
    for (int i = 0; i < WARMUP_REQUESTS; i++) {
      put("/meshes/warmup/dataplanes/dp-" + i, dataplane("warmup", "dp-" + i, i), warmup);
      get("/meshes/warmup/dataplanes?size=100&offset=" + (i % 20) * 100, warmup);
    }

    Latencies puts = new Latencies("PUT /meshes/default/dataplanes/{name}");
    long loadStart = System.nanoTime();
    for (int i = 0; i < dataplanes; i++) {
      put("/meshes/default/dataplanes/dp-" + i, dataplane("default", "dp-" + i, i), puts);
    }
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

    Random random = new Random(42);
    Latencies pages = new Latencies("GET /meshes/default/dataplanes?size=100&offset=N");
    for (int i = 0; i < pageRequests; i++) {
      get(
          "/meshes/default/dataplanes?size=100&offset=" + random.nextInt(dataplanes / 100) * 100,
          pages);
    }
    Latencies filtered =
        new Latencies("GET /meshes/default/dataplanes?size=100&tag=kuma.io/service:svc-N");
    for (int i = 0; i < pageRequests / 4; i++) {
      get(
          "/meshes/default/dataplanes?size=100&tag=kuma.io/service:svc-" + random.nextInt(100),
          filtered);
    }

    Map<String, Object> report = BenchSupport.report("api-latency");
    report.put("dataplanes", dataplanes);
    report.put("put_one_at_a_time", puts.summary());
    report.put("put_throughput_per_second", Math.round(dataplanes / loadSeconds));
    report.put("list_page_of_100", pages.summary());
    report.put("list_page_of_100_filtered_by_tag", filtered.summary());
    for (Latencies l : List.of(puts, pages, filtered)) {
      System.out.printf(
          "%-75s n=%-6d p50=%7.3f ms  p90=%7.3f ms  p99=%7.3f ms%n",
          l.name(),
          l.count(),
          l.percentileMillis(50),
          l.percentileMillis(90),
          l.percentileMillis(99));
    }
    System.out.printf(
        "load of %d dataplanes, one PUT at a time: %.1f s (%d/s)%n",
        dataplanes, loadSeconds, Math.round(dataplanes / loadSeconds));
    return report;
  }

  /** A dataplane like the seeds' backend: one inbound of one of 100 services, one outbound. */
  private static String dataplane(String mesh, String name, int i) {
    return """
        {"type":"Dataplane","mesh":"%s","name":"%s","networking":{"address":"10.%d.%d.%d",
         "inbound":[{"port":8000,"servicePort":80,"tags":{"kuma.io/service":"svc-%d","kuma.io/protocol":"http","version":"v1"}}],
         "outbound":[{"port":10000,"tags":{"kuma.io/service":"svc-%d"}}]}}
        """
        .formatted(mesh, name, i / 65536 % 256, i / 256 % 256, i % 256, i % 100, (i + 1) % 100);
  }

  private void put(String path, String json, Latencies latencies)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build();
    send(request, latencies, path);
  }

  private void get(String path, Latencies latencies) throws IOException, InterruptedException {
    send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), latencies, path);
  }

  private void send(HttpRequest request, Latencies latencies, String path)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    latencies.record(System.nanoTime() - start);
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(
          request.method()
              + " "
              + path
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
  }
}
