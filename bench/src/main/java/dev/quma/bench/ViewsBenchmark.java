package dev.quma.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Labels;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.stats.DataplaneClass;
import dev.quma.core.stats.MeshStatsStore;
import dev.quma.core.stats.ReconcileReport;
import dev.quma.core.store.ListQuery;
import dev.quma.core.store.ResourceQueries;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.launcher.ServiceProcess;
import dev.quma.launcher.ServiceSpec;
import dev.quma.local.LocalRedis;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Latency of the operator views over loopback with a mesh of 10,000 dataplanes (1 % offline, 2 %
 * gateways, 0.5 % partially degraded, three kuma-dp versions): {@code /mesh-insights/default},
 * {@code /global-insight} and a page of 100 overviews, beside the time of a full walk of the 10,000
 * measured in the same run three ways (every overview over HTTP in pages of 1,000; every record and
 * insight read from Redis and counted in-process; the API's periodic reconcile). Starts its own
 * Redis and api-service; writes the fleet straight into Redis through the store and insight APIs
 * (the same scripts that keep the counters). Each measurement repeats {@code --runs} times and
 * medians are reported, because the machine is shared.
 */
public final class ViewsBenchmark {
  private static final int IN_FLIGHT = 64;
  private static final int WARMUP_REQUESTS = 3_000;
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    int dataplanes = BenchSupport.intArg(args, "--dataplanes", 10_000);
    int requests = BenchSupport.intArg(args, "--requests", 2_000);
    int runs = BenchSupport.intArg(args, "--runs", 5);
    Path home = Path.of(System.getProperty("quma.home", ".")).toAbsolutePath().normalize();
    Vertx vertx = Vertx.vertx();
    try (LocalRedis server = LocalRedis.startEphemeral()) {
      Redis redis =
          Redis.createClient(
              vertx,
              new RedisOptions()
                  .setConnectionString(server.url())
                  .setMaxPoolSize(IN_FLIGHT)
                  .setMaxPoolWaiting(100_000));
      int port = LocalRedis.freePort();
      ServiceSpec api =
          BenchSupport.apiService(
              home,
              port,
              // The benchmark runs the reconcile itself, as one of its walks.
              Map.of("QUMA_API_INSIGHTS_RECONCILE_INTERVAL", "0s"));
      try (ServiceProcess service =
          ServiceProcess.start(
              api,
              Path.of(System.getProperty("java.home")),
              Map.of("QUMA_REDIS_URL", server.url()),
              List.of("-Xmx512m"),
              null)) {
        service.awaitReady(Duration.ofSeconds(60));
        ViewsBenchmark bench = new ViewsBenchmark(redis, port);
        Map<String, Object> report = bench.run(dataplanes, requests, runs);
        BenchSupport.writeResults(home.resolve("bench/results"), "views", report);
      }
      redis.close();
    } finally {
      vertx.closeAndAwait();
    }
  }

  private final Redis redis;
  private final ResourceStore store;
  private final InsightWriter insights;
  private final InsightReader insightReader;
  private final MeshStatsStore stats;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;

  private ViewsBenchmark(Redis redis, int port) {
    this.redis = redis;
    this.store = new ResourceStore(redis, StoreSettings.DEFAULTS);
    this.insights = new InsightWriter(redis, store.keys());
    this.insightReader = new InsightReader(redis, store.keys());
    this.stats = new MeshStatsStore(redis, store);
    this.base = "http://127.0.0.1:" + port;
  }

  private Map<String, Object> run(int dataplanes, int requests, int runs) throws Exception {
    long loadStart = System.nanoTime();
    Instant now = Instant.now();
    inFlight(dataplanes, i -> store.put(dataplane(i), java.util.OptionalLong.empty()));
    inFlight(dataplanes, i -> insights.open("default", name(i), subscription(i, now, null), now));
    // One in a hundred has left.
    inFlight(
        dataplanes / 100,
        i ->
            insights.close(
                "default", name(i * 100), subscription(i * 100, now, now.minusSeconds(60))));
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
    System.out.printf("loaded %,d dataplanes with insights in %.1f s%n", dataplanes, loadSeconds);

    JsonNode insight = getJson("/mesh-insights/default");
    System.out.println("mesh insight: dataplanes " + insight.get("dataplanes"));
    if (insight.at("/dataplanes/total").asInt() != dataplanes
        || insight.at("/dataplanes/offline").asInt() != dataplanes / 100) {
      throw new IllegalStateException("unexpected counts: " + insight.get("dataplanes"));
    }

    Map<String, String> endpoints = new LinkedHashMap<>();
    endpoints.put("mesh_insight", "/mesh-insights/default");
    endpoints.put("global_insight", "/global-insight");
    endpoints.put("overview_page_of_100", "/meshes/default/dataplanes/_overview?size=100");
    for (int i = 0; i < WARMUP_REQUESTS; i++) {
      for (String path : endpoints.values()) {
        get(path, null);
      }
    }
    walkOverHttp(dataplanes);
    walkTheStore();

    Map<String, List<Map<String, Object>>> perRun = new LinkedHashMap<>();
    Map<String, List<Double>> p50 = new LinkedHashMap<>();
    Map<String, List<Double>> p99 = new LinkedHashMap<>();
    List<Double> httpWalks = new ArrayList<>();
    List<Double> storeWalks = new ArrayList<>();
    List<Double> reconciles = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      for (Map.Entry<String, String> endpoint : endpoints.entrySet()) {
        Latencies latencies = new Latencies(endpoint.getValue());
        for (int i = 0; i < requests; i++) {
          get(endpoint.getValue(), latencies);
        }
        perRun.computeIfAbsent(endpoint.getKey(), k -> new ArrayList<>()).add(latencies.summary());
        p50.computeIfAbsent(endpoint.getKey(), k -> new ArrayList<>())
            .add(latencies.percentileMillis(50));
        p99.computeIfAbsent(endpoint.getKey(), k -> new ArrayList<>())
            .add(latencies.percentileMillis(99));
      }
      httpWalks.add(walkOverHttp(dataplanes));
      storeWalks.add(walkTheStore());
      long start = System.nanoTime();
      ReconcileReport reconciled = stats.reconcile("default", 500).await().atMost(LOAD_TIMEOUT);
      reconciles.add((System.nanoTime() - start) / 1e6);
      if (reconciled.outcome() != ReconcileReport.Outcome.SAME || reconciled.corrected() != 0) {
        throw new IllegalStateException("the counters drifted: " + reconciled);
      }
      System.out.printf(
          "run %d: mesh insight p50 %.3f p99 %.3f | global p50 %.3f p99 %.3f | page p50 %.3f p99"
              + " %.3f ms | walks: http %.0f, store %.0f, reconcile %.0f ms%n",
          run + 1,
          last(p50, "mesh_insight"),
          last(p99, "mesh_insight"),
          last(p50, "global_insight"),
          last(p99, "global_insight"),
          last(p50, "overview_page_of_100"),
          last(p99, "overview_page_of_100"),
          last(httpWalks),
          last(storeWalks),
          last(reconciles));
    }

    Map<String, Object> report = BenchSupport.report("operator-views");
    report.put(
        "note",
        "shared with other builds while measured: figures are medians of " + runs + " runs");
    report.put("dataplanes", dataplanes);
    report.put(
        "fleet",
        "1% offline, 2% builtin gateways, 0.5% partially degraded, 100 services, kuma-dp 2.9.0-2");
    report.put("requests_per_endpoint_per_run", requests);
    report.put("runs", runs);
    Map<String, Object> medians = new LinkedHashMap<>();
    for (String key : endpoints.keySet()) {
      medians.put(
          key,
          Map.of(
              "path", endpoints.get(key),
              "p50_ms", round(median(p50.get(key))),
              "p99_ms", round(median(p99.get(key)))));
    }
    medians.put(
        "full_walk_http_ms",
        Map.of(
            "what",
            "every overview over HTTP, pages of 1000, statuses counted by the client",
            "ms",
            round(median(httpWalks))));
    medians.put(
        "full_walk_store_ms",
        Map.of(
            "what",
            "every dataplane record and insight read from Redis (pipelines of 500) and counted"
                + " in-process",
            "ms",
            round(median(storeWalks))));
    medians.put(
        "reconcile_ms",
        Map.of(
            "what",
            "the API's periodic reconcile of the mesh (reads every record, recounts in Redis)",
            "ms",
            round(median(reconciles))));
    report.put("medians", medians);
    report.put("per_run", perRun);
    report.put(
        "walks_per_run_ms",
        Map.of(
            "http",
            rounded(httpWalks),
            "store",
            rounded(storeWalks),
            "reconcile",
            rounded(reconciles)));
    System.out.println();
    for (String key : endpoints.keySet()) {
      System.out.printf(
          "%-55s p50 %7.3f ms  p99 %7.3f ms (medians of %d runs)%n",
          "GET " + endpoints.get(key), median(p50.get(key)), median(p99.get(key)), runs);
    }
    System.out.printf(
        "full walk of %,d: over HTTP %.0f ms, from Redis in-process %.0f ms, reconcile %.0f ms"
            + " (medians)%n",
        dataplanes, median(httpWalks), median(storeWalks), median(reconciles));
    return report;
  }

  /** Every overview over HTTP, counting statuses as a client would: the time in ms. */
  private double walkOverHttp(int dataplanes) throws Exception {
    long start = System.nanoTime();
    Map<String, Integer> byStatus = new HashMap<>();
    int seen = 0;
    for (int offset = 0; offset < dataplanes; offset += 1000) {
      JsonNode page = getJson("/meshes/default/dataplanes/_overview?size=1000&offset=" + offset);
      for (JsonNode item : page.get("items")) {
        boolean online = false;
        for (JsonNode subscription : item.at("/dataplaneInsight/subscriptions")) {
          online |= subscription.has("connectTime") && !subscription.has("disconnectTime");
        }
        byStatus.merge(online ? "online" : "offline", 1, Integer::sum);
        seen++;
      }
    }
    if (seen != dataplanes) {
      throw new IllegalStateException("walked " + seen + " of " + dataplanes);
    }
    return (System.nanoTime() - start) / 1e6;
  }

  /** Every record and insight from Redis, classified and counted in-process: the time in ms. */
  private double walkTheStore() {
    long start = System.nanoTime();
    Map<String, Integer> counts = new HashMap<>();
    long offset = 0;
    while (true) {
      var page =
          new ResourceQueries(store)
              .list(ResourceType.DATAPLANE, "default", ListQuery.page(offset, 500))
              .await()
              .atMost(LOAD_TIMEOUT);
      if (page.items().isEmpty()) {
        break;
      }
      List<String> names = page.items().stream().map(Resource::name).toList();
      List<DataplaneInsight> found =
          insightReader.getAll("default", names).await().atMost(LOAD_TIMEOUT);
      for (int i = 0; i < names.size(); i++) {
        String spec = DataplaneClass.ofSpec((Dataplane) page.items().get(i).spec());
        String key = spec.substring(0, spec.indexOf('\t', spec.indexOf('\t') + 1));
        counts.merge(key + (found.get(i).online() ? "/online" : "/offline"), 1, Integer::sum);
      }
      offset += 500;
    }
    return (System.nanoTime() - start) / 1e6;
  }

  private JsonNode getJson(String path) throws Exception {
    return JSON.readTree(get(path, null));
  }

  private byte[] get(String path, Latencies latencies) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).GET().build();
    long start = System.nanoTime();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (latencies != null) {
      latencies.record(System.nanoTime() - start);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET "
              + path
              + " answered "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    return response.body();
  }

  private static String name(int i) {
    return "dp-" + i;
  }

  /**
   * Dataplane {@code i}: every 50th a builtin gateway, every 200th (from 7) with a second inbound
   * that is not ready, the others one inbound of one of 100 services.
   */
  private static Resource<Dataplane> dataplane(int i) {
    String address = "10.%d.%d.%d".formatted(i / 65536 % 256, i / 256 % 256, i % 256);
    String networking;
    if (i % 50 == 49) {
      networking =
          """
          {"address":"%s","gateway":{"type":"BUILTIN","tags":{"kuma.io/service":"edge-%d"}}}
          """
              .formatted(address, i % 5);
    } else if (i % 200 == 7) {
      networking =
          """
          {"address":"%s","inbound":[
            {"port":8000,"servicePort":80,"tags":{"kuma.io/service":"svc-%d","kuma.io/protocol":"http"}},
            {"port":8001,"health":{"ready":false},"tags":{"kuma.io/service":"svc-%d-admin"}}]}
          """
              .formatted(address, i % 100, i % 100);
    } else {
      networking =
          """
          {"address":"%s","inbound":[{"port":8000,"servicePort":80,
            "tags":{"kuma.io/service":"svc-%d","kuma.io/protocol":"http","version":"v1"}}],
           "outbound":[{"port":10000,"tags":{"kuma.io/service":"svc-%d"}}]}
          """
              .formatted(address, i % 100, (i + 1) % 100);
    }
    String json =
        "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"%s\",\"networking\":%s}"
            .formatted(name(i), networking);
    Dataplane spec =
        ResourceCodec.instance()
            .<Dataplane>decode(
                json.getBytes(StandardCharsets.UTF_8), Format.JSON, ResourceType.DATAPLANE)
            .toResource(ResourceType.DATAPLANE)
            .spec();
    return new Resource<>(
        ResourceMeta.of(ResourceType.DATAPLANE, "default", name(i), Labels.direct()), spec);
  }

  /** Every 100th dataplane's proxy left (offline); the others are connected. */
  private static DiscoverySubscription subscription(int i, Instant now, Instant disconnected) {
    DataplaneInsight.Version version =
        new DataplaneInsight.Version(
            new DataplaneInsight.Version.KumaDp("2.9." + (i % 3), null, null, null, null),
            new DataplaneInsight.Version.Envoy("1.31." + (i % 2), null, null),
            null);
    return new DiscoverySubscription(
        "s-" + i, "xds-1", now.minusSeconds(600), disconnected, null, version, 1);
  }

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

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static double last(Map<String, List<Double>> values, String key) {
    return last(values.get(key));
  }

  private static double last(List<Double> values) {
    return values.get(values.size() - 1);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  private static List<Double> rounded(List<Double> values) {
    return values.stream().map(v -> Math.round(v * 10) / 10.0).toList();
  }
}
