package dev.quma.xds.mads;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceStore;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.local.LocalRedis;
import dev.quma.xds.testing.DirectProxies;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MADS as Prometheus uses it. Debian's Prometheus (2.42) is started against this xDS replica's MADS
 * port and must list the proxies whose metrics are enabled (by the mesh, or by the dataplane
 * alone), with the labels {@code kuma_sd} gives them, and forget a proxy that left. Debian builds
 * it without the xDS discoveries ({@code kuma_sd_configs} is refused: "Disable XDS" in its
 * changelog), so it reads the same assignments through {@code http_sd_configs}; the {@code kuma_sd}
 * protocol itself (the HTTP long poll, exactly as Prometheus sends it) and the gRPC transport are
 * replayed directly.
 */
@QuarkusTest
@QuarkusTestResource(XdsTestResources.class)
@TestProfile(MadsPrometheusTest.QuickDeregistration.class)
class MadsPrometheusTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Process prometheus;
  private static int prometheusPort;
  private static Path prometheusDir;

  @Inject ResourceStore store;
  @Inject ChangeStream changes;
  @Inject MadsServer mads;

  private final HttpClient http = HttpClient.newHttpClient();

  /** A Direct proxy that leaves is deleted soon after. */
  public static class QuickDeregistration implements io.quarkus.test.junit.QuarkusTestProfile {
    @Override
    public java.util.Map<String, String> getConfigOverrides() {
      return java.util.Map.of(
          "quma.xds.deregistration-delay", "300ms",
          "quma.xds.stats-flush-interval", "100ms",
          "quma.xds.heartbeat-interval", "500ms");
    }
  }

  @BeforeEach
  void meshes() {
    put(monitoredMesh("monitored"));
    create(Seeds.mesh("default"));
  }

  @AfterAll
  static void stopPrometheus() throws IOException {
    if (prometheus != null) {
      prometheus.destroy();
    }
    if (prometheusDir != null) {
      try (var files = Files.walk(prometheusDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void prometheusListsTheMonitoredProxiesAndForgetsOneThatLeft() throws Exception {
    create(Seeds.resource(dataplane("monitored", "web-1", "127.0.0.1", "web", null)));
    // Not monitored: its mesh enables no metrics and it asks for none.
    create(Seeds.resource(dataplane("default", "quiet-1", "127.0.0.1", "quiet", null)));
    // Monitored on its own, in a mesh without metrics; joins Direct and leaves.
    int ownPort = LocalRedis.freePort();
    String own =
        dataplane(
            "default",
            "own-1",
            "127.0.0.1",
            "own",
            "{\"type\": \"prometheus\", \"conf\": {\"port\": %d, \"path\": \"/own\"}}"
                .formatted(ownPort));
    try (DirectProxies proxies =
        new DirectProxies("default", XdsTestResources.grpcPort(), store, changes, WAIT)) {
      SimulatedEnvoy joined = proxies.join("own-1", own);

      startPrometheus(mads.port());
      JsonNode web = awaitTarget(t -> dataplaneOf(t).equals("web-1"));
      JsonNode labels = web.get("discoveredLabels");
      assertThat(labels.get("__meta_kuma_mesh").asText()).isEqualTo("monitored");
      assertThat(labels.get("__meta_kuma_service").asText()).isEqualTo("web");
      assertThat(labels.get("__meta_kuma_dataplane").asText()).isEqualTo("web-1");
      assertThat(labels.get("__meta_kuma_label_kuma_io_service").asText()).isEqualTo("web");
      assertThat(labels.get("__meta_kuma_label_kuma_io_zone").asText()).isEqualTo("zone-a");
      assertThat(labels.get("__meta_kuma_label_team").asText()).isEqualTo("infra");
      assertThat(labels.get("__meta_kuma_label_version").asText()).isEqualTo("v1");
      assertThat(labels.get("__address__").asText()).isEqualTo("127.0.0.1:" + 5670);
      assertThat(labels.get("__metrics_path__").asText()).isEqualTo("/metrics");
      JsonNode ownTarget = awaitTarget(t -> dataplaneOf(t).equals("own-1"));
      assertThat(ownTarget.at("/discoveredLabels/__address__").asText())
          .isEqualTo("127.0.0.1:" + ownPort);
      assertThat(ownTarget.at("/discoveredLabels/__metrics_path__").asText()).isEqualTo("/own");
      assertThat(ownTarget.at("/discoveredLabels/__meta_kuma_mesh").asText()).isEqualTo("default");
      assertThat(targets().toString()).doesNotContain("quiet-1");

      // own-1 leaves gracefully: Direct, so its dataplane is deleted, and Prometheus forgets it.
      joined.leave();
      awaitTargets(list -> !list.toString().contains("\"own-1\""));
      assertThat(targets().toString()).contains("\"web-1\"");
    }
    // A mesh that stops asking for metrics takes its proxies out.
    put(Seeds.mesh("monitored"));
    awaitTargets(list -> !list.toString().contains("\"web-1\""));
  }

  @Test
  void theHttpFetchLongPollsByVersionAndGrpcStreamsTheSame() throws Exception {
    create(Seeds.resource(dataplane("monitored", "poll-1", "127.0.0.1", "poll", null)));
    DiscoveryResponse first = awaitFetch(r -> r.toString().contains("poll-1"));
    assertThat(first.getTypeUrl()).isEqualTo(AssignmentMessages.TYPE_URL);
    String version = first.getVersionInfo();

    // Nothing changed: held for the fetch-timeout, then 304.
    long started = System.nanoTime();
    HttpResponse<String> unchanged =
        fetch(version, "1s"); // Go's Duration.String(), as Prometheus sends it
    assertThat(unchanged.statusCode()).isEqualTo(304);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(800));

    // gRPC: the stream's first response is the same version.
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", mads.port()).usePlaintext().build();
    try {
      DiscoveryResponse unary =
          ClientCalls.blockingUnaryCall(
              channel,
              MadsGrpc.FETCH,
              io.grpc.CallOptions.DEFAULT.withDeadlineAfter(
                  10, java.util.concurrent.TimeUnit.SECONDS),
              request(""));
      assertThat(unary.getVersionInfo()).isEqualTo(version);
      java.util.concurrent.BlockingQueue<DiscoveryResponse> streamed =
          new java.util.concurrent.LinkedBlockingQueue<>();
      var requests =
          ClientCalls.asyncBidiStreamingCall(
              channel.newCall(MadsGrpc.STREAM, io.grpc.CallOptions.DEFAULT),
              new io.grpc.stub.StreamObserver<DiscoveryResponse>() {
                @Override
                public void onNext(DiscoveryResponse value) {
                  streamed.add(value);
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {}
              });
      requests.onNext(request(""));
      DiscoveryResponse pushed = streamed.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(pushed).isNotNull();
      assertThat(pushed.getVersionInfo()).isEqualTo(version);
      requests.onNext(request(version)); // the ACK

      // A change: the waiting HTTP fetch answers at once with the new version, the stream pushes.
      var waiting =
          http.sendAsync(fetchRequest(version, "30s"), HttpResponse.BodyHandlers.ofString());
      Thread.sleep(300);
      create(Seeds.resource(dataplane("monitored", "poll-2", "127.0.0.1", "poll", null)));
      HttpResponse<String> changed = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(changed.statusCode()).isEqualTo(200);
      DiscoveryResponse next = parse(changed.body());
      assertThat(next.getVersionInfo()).isNotEqualTo(version);
      assertThat(next.toString()).contains("poll-2");
      DiscoveryResponse pushedAgain = streamed.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(pushedAgain).isNotNull();
      assertThat(pushedAgain.getVersionInfo()).isEqualTo(next.getVersionInfo());
      requests.onCompleted();
    } finally {
      channel.shutdownNow();
    }

    // Bad input: 4xx naming what is wrong, never a 5xx.
    HttpResponse<String> badTimeout = fetch("", "soon");
    assertThat(badTimeout.statusCode()).isEqualTo(400);
    assertThat(badTimeout.body()).contains("fetch-timeout");
    HttpResponse<String> wrongType =
        http.send(
            HttpRequest.newBuilder(madsUri(""))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type_url\": \"x\"}"))
                .header("Content-Type", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(wrongType.body()).contains("type_url");
    HttpResponse<String> notJson =
        http.send(
            HttpRequest.newBuilder(madsUri(""))
                .POST(HttpRequest.BodyPublishers.ofString("{nope"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(notJson.statusCode()).isEqualTo(400);
  }

  // ---- Prometheus -----------------------------------------------------------------------------

  private static synchronized void startPrometheus(int madsPort) throws IOException {
    if (prometheus != null) {
      return;
    }
    Path binary = Path.of("/usr/bin/prometheus");
    assertThat(binary)
        .as("Debian's prometheus package (.ci/run installs it: apt-get install prometheus)")
        .isExecutable();
    prometheusDir = Files.createTempDirectory("quma-prometheus");
    prometheusPort = LocalRedis.freePort();
    Path config = prometheusDir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
        scrape_configs:
        - job_name: kuma-dataplanes
          scrape_interval: 1s
          http_sd_configs:
          - url: http://127.0.0.1:%d/http-sd
            refresh_interval: 1s
        """
            .formatted(madsPort),
        StandardCharsets.UTF_8);
    prometheus =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + prometheusDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
            .redirectErrorStream(true)
            .redirectOutput(prometheusDir.resolve("prometheus.log").toFile())
            .start();
  }

  private JsonNode targets() throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/targets"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(answer.body()).at("/data/activeTargets");
  }

  private JsonNode awaitTarget(Predicate<JsonNode> which) throws Exception {
    long until = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < until) {
      try {
        for (JsonNode target : targets()) {
          if (which.test(target)) {
            return target;
          }
        }
      } catch (IOException notYetUp) {
        // Prometheus is still starting
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "Prometheus did not list the target; its log: "
            + Files.readString(prometheusDir.resolve("prometheus.log")));
  }

  private void awaitTargets(Predicate<JsonNode> condition) throws Exception {
    long until = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < until) {
      if (condition.test(targets())) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Prometheus's targets did not change: " + targets());
  }

  private static String dataplaneOf(JsonNode target) {
    JsonNode name = target.at("/discoveredLabels/__meta_kuma_dataplane");
    return name.isMissingNode() ? "" : name.asText();
  }

  // ---- MADS directly --------------------------------------------------------------------------

  private DiscoveryResponse awaitFetch(Predicate<DiscoveryResponse> condition) throws Exception {
    long until = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < until) {
      HttpResponse<String> answer = fetch("", "0s");
      if (answer.statusCode() == 200) {
        DiscoveryResponse response = parse(answer.body());
        if (condition.test(response)) {
          return response;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("MADS never answered what was expected");
  }

  private HttpResponse<String> fetch(String version, String timeout) throws Exception {
    return http.send(fetchRequest(version, timeout), HttpResponse.BodyHandlers.ofString());
  }

  /** A fetch as Prometheus 2.42's kuma_sd sends it: its user agent, JSON both ways. */
  private HttpRequest fetchRequest(String version, String timeout) throws Exception {
    return HttpRequest.newBuilder(madsUri(timeout))
        .timeout(Duration.ofSeconds(40))
        .header("User-Agent", "Prometheus/2.42.0")
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JsonFormat.printer().print(request(version))))
        .build();
  }

  private URI madsUri(String timeout) {
    return URI.create(
        "http://127.0.0.1:"
            + mads.port()
            + MadsHttp.PATH
            + (timeout.isEmpty() ? "" : "?fetch-timeout=" + timeout));
  }

  private static DiscoveryRequest request(String version) {
    return DiscoveryRequest.newBuilder()
        .setVersionInfo(version)
        .setResponseNonce(version)
        .setTypeUrl(AssignmentMessages.TYPE_URL)
        .setNode(Node.newBuilder().setId("prometheus-test"))
        .build();
  }

  private static DiscoveryResponse parse(String json) throws IOException {
    DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder();
    JsonFormat.parser().usingTypeRegistry(AssignmentMessages.REGISTRY).merge(json, response);
    return response.build();
  }

  // ---- resources ------------------------------------------------------------------------------

  private static Resource<Mesh> monitoredMesh(String name) {
    String json =
        """
        {"type": "Mesh", "name": "%s", "metrics": {"enabledBackend": "prom-1", "backends": [
          {"name": "prom-1", "type": "prometheus",
           "conf": {"port": 5670, "path": "/metrics", "tags": {"team": "infra"}}}]}}
        """
            .formatted(name);
    return ResourceCodec.instance()
        .<Mesh>decode(json.getBytes(StandardCharsets.UTF_8), Format.JSON, ResourceType.MESH)
        .toResource(ResourceType.MESH);
  }

  private static String dataplane(
      String mesh, String name, String address, String service, String metrics) {
    String metricsField = metrics == null ? "" : ", \"metrics\": " + metrics;
    return ("""
        {"type": "Dataplane", "mesh": "%s", "name": "%s"%s,
         "networking": {"address": "%s", "inbound": [{"port": %d, "servicePort": 80,
           "tags": {"kuma.io/service": "%s", "version": "v1"%s}}]}}
        """)
        .formatted(
            mesh,
            name,
            metricsField,
            address,
            LocalRedis.freePort(),
            service,
            // The zone tag is the control plane's to set (a proxy registering Direct may not).
            mesh.equals("monitored") ? ", \"kuma.io/zone\": \"zone-a\"" : "");
  }

  private void create(Resource<?> resource) {
    store
        .create(resource)
        .onFailure(ResourceConflictException.class)
        .recoverWithNull()
        .await()
        .atMost(Duration.ofSeconds(10));
  }

  private void put(Resource<?> resource) {
    store.put(resource, OptionalLong.empty()).await().atMost(Duration.ofSeconds(10));
  }
}
